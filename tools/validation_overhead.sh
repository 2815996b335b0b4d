#!/bin/bash
# The validation layer's share of a suite's CPU work, in instructions
# (cachegrind, no cache simulation): instructions of one ValidateScenario
# call (difference of 1000 calls and none) against the instructions of the
# whole `quicsim run` of the scenario. `run` validates once, at load.
# Builds --config=opt in its own output base without convenience symlinks
# (a bazel-<dir> link into it would make //... descend there).
#
#   tools/validation_overhead.sh [SCENARIO]   (default: the 2,000-pair suite)
set -euo pipefail
cd "$(dirname "$0")/.."
scenario="${1:-scenarios/shared_bottleneck.textproto}"
output_base="${QUICSIM_BENCH_OUTPUT_BASE:-/root/.cache/bazel-ob-validation}"
command -v valgrind >/dev/null ||
  { echo "validation_overhead.sh: valgrind missing; run tools/bootstrap.sh" >&2; exit 2; }
bazel --output_base="$output_base" build --config=opt --symlink_prefix=/ \
  //tests/bench:validate_driver //tools/quicsim:quicsim
bin="$(bazel --output_base="$output_base" info --config=opt bazel-bin 2>/dev/null)"
work="$(mktemp -d /tmp/quicsim-validation.XXXXXX)"
ir() {  # ir NAME COMMAND...: total instructions of COMMAND
  local name="$1"; shift
  valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file="$work/$name.out" \
    "$@" >"$work/$name.stdout" 2>"$work/$name.log"
  grep -m1 "^summary:" "$work/$name.out" | awk '{print $2}'
}
v0=$(ir validate0 "$bin/tests/bench/validate_driver" "$scenario" 0)
v1000=$(ir validate1000 "$bin/tests/bench/validate_driver" "$scenario" 1000)
run=$(ir run "$bin/tools/quicsim/quicsim" run --progress=false --scenario="$scenario")
per=$(( (v1000 - v0) / 1000 ))
echo "scenario:                      $scenario"
echo "instructions per validation:   $per"
echo "instructions of quicsim run:   $run"
awk -v p="$per" -v r="$run" 'BEGIN { printf "validation share of the run:   %.5f%%\n", 100 * p / r }'
echo "(valgrind outputs in $work)"
