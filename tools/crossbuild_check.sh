#!/bin/bash
# Cross-build determinism check (design rule 4): builds quicsim in two
# compilation modes (default -c dbg and -c opt), then has each build replay,
# byte for byte, the traces the other recorded for every determinism class
# in tools/quicsim/testdata/classes (clean, lossy, Retry, 0-RTT, an error
# row, P-256, ngtcp2 on each side, ngtcp2 resumption with 0-RTT accepted and
# rejected on each side).
#
#   tools/crossbuild_check.sh [WORK_DIR]
#
# WORK_DIR (default: $TMPDIR or /tmp, /quicsim-crossbuild) holds the
# binaries and the traces, and by default one output base per mode (so
# neither evicts the other; the shared disk cache of .bazelrc/user.bazelrc
# serves both); it is reused between runs, so a second run only rebuilds
# what changed.
#
# Environment:
#   CROSSBUILD_MODES="fastbuild opt"  the two compilation modes (-c values)
#   CROSSBUILD_SHARED_BASE=1          build in the workspace's own output
#       base (Bazel keeps each mode's outputs apart there), which reuses a
#       build the workspace already has: CI runs `bazel test //...` first,
#       so with "fastbuild opt" only the -c opt build is new.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK="${1:-${TMPDIR:-/tmp}/quicsim-crossbuild}"
mkdir -p "$WORK"
read -r -a modes <<<"${CROSSBUILD_MODES:-dbg opt}"
if [[ ${#modes[@]} -ne 2 || "${modes[0]}" == "${modes[1]}" ]]; then
  echo "crossbuild_check: CROSSBUILD_MODES needs two different modes" >&2
  exit 2
fi
for c in "${modes[@]}"; do
  base_flag=()
  if [[ "${CROSSBUILD_SHARED_BASE:-0}" != 1 ]]; then
    base_flag=(--output_base="$WORK/output_base-$c")
  fi
  # --symlink_prefix=/: no bazel-* convenience links into this output base
  # (the workspace's own server would then see them as packages).
  bazel "${base_flag[@]}" build -c "$c" --symlink_prefix=/ \
    //tools/quicsim:quicsim
  bin="$(bazel "${base_flag[@]}" info -c "$c" bazel-bin 2>/dev/null)"
  cp -f "$bin/tools/quicsim/quicsim" "$WORK/quicsim-$c"
  if [[ ${#base_flag[@]} -gt 0 ]]; then
    # Free the memory of this output base's server; the next run restarts it.
    bazel "${base_flag[@]}" shutdown
  fi
done
a="${modes[0]}"
b="${modes[1]}"
status=0
echo "== recorded by -c $a, replayed by -c $b"
tools/quicsim/replay_classes.sh "$WORK/quicsim-$a" "$WORK/quicsim-$b" \
  tools/quicsim/testdata/classes "$WORK/$a-to-$b" | grep -v "^ " || status=1
echo "== recorded by -c $b, replayed by -c $a"
tools/quicsim/replay_classes.sh "$WORK/quicsim-$b" "$WORK/quicsim-$a" \
  tools/quicsim/testdata/classes "$WORK/$b-to-$a" | grep -v "^ " || status=1
exit $status
