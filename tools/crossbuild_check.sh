#!/bin/bash
# Cross-build determinism check (design rule 4): builds quicsim with -c dbg
# and with -c opt (separate output bases, so neither evicts the other; the
# shared disk cache of .bazelrc/user.bazelrc serves both), then has each
# build replay, byte for byte, the traces the other recorded for every
# determinism class in tools/quicsim/testdata/classes (clean, lossy, Retry,
# 0-RTT, an error row, P-256, ngtcp2 on each side, ngtcp2 resumption with
# 0-RTT accepted and rejected on each side).
#
#   tools/crossbuild_check.sh [WORK_DIR]
#
# WORK_DIR (default: $TMPDIR or /tmp, /quicsim-crossbuild) holds the two
# output bases, the binaries and the traces; it is reused between runs, so
# a second run only rebuilds what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK="${1:-${TMPDIR:-/tmp}/quicsim-crossbuild}"
mkdir -p "$WORK"
for c in dbg opt; do
  base="$WORK/output_base-$c"
  # --symlink_prefix=/: no bazel-* convenience links into this output base
  # (the workspace's own server would then see them as packages).
  bazel --output_base="$base" build -c "$c" --symlink_prefix=/ \
    //tools/quicsim:quicsim
  bin="$(bazel --output_base="$base" info -c "$c" bazel-bin 2>/dev/null)"
  cp -f "$bin/tools/quicsim/quicsim" "$WORK/quicsim-$c"
  # Free the memory of this output base's server; the next run restarts it.
  bazel --output_base="$base" shutdown
done
status=0
echo "== recorded by -c dbg, replayed by -c opt"
tools/quicsim/replay_classes.sh "$WORK/quicsim-dbg" "$WORK/quicsim-opt" \
  tools/quicsim/testdata/classes "$WORK/dbg-to-opt" | grep -v "^ " || status=1
echo "== recorded by -c opt, replayed by -c dbg"
tools/quicsim/replay_classes.sh "$WORK/quicsim-opt" "$WORK/quicsim-dbg" \
  tools/quicsim/testdata/classes "$WORK/opt-to-dbg" | grep -v "^ " || status=1
exit $status
