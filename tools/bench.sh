#!/usr/bin/env bash
# Builds the benchmarks with --config=opt and runs them: the simulation core
# (//tests/bench:sim_bench), the TLS engine against the BoringSSL floor
# (//tests/bench/tls:tls_bench), interleaved A/B time ratios
# (//tests/bench:interleaved_bench: median and IQR of per-round ratios) and
# the handshake-pair suite (//tests/bench/pair:pair_bench), which ends with
# the table of absolute figures and memory per pair.
#
#   tools/bench.sh                 # everything
#   tools/bench.sh --pair-only     # just the pair suite
#   tools/bench.sh --interleaved-only   # just the interleaved ratios
#   tools/bench.sh -- ARGS...      # extra Google Benchmark flags for pair_bench
#   tools/bench.sh --instructions [--only=a,b] [--work=DIR]
#                                  # instructions per handshake pair under
#                                  # cachegrind (tools/bench_instructions.py)
#   tools/bench.sh --scale [--instructions] [--no-native] [--validate] [--window=T1,T2]
#                  [--sizes=100,...] [--work=DIR] [--svg=PATH]
#                                  # CPU per handshake and peak RSS from 100
#                                  # to 1,000,000 pairs; with --instructions
#                                  # also instructions per handshake in a
#                                  # callgrind window of virtual time
#                                  # (tools/bench_scale.py)
#   tools/bench.sh --explore       # quicsim explore throughput, prefix
#                                  # sharing vs from scratch
#                                  # (tools/bench_explore.py)
#
# Times are noisy on a loaded machine; instruction counts are not: they are
# the primary figure.
set -euo pipefail
cd "$(dirname "$0")/.."

output_base="${QUICSIM_BENCH_OUTPUT_BASE:-/root/.cache/bazel-ob-bench}"
pair_only=0
interleaved_only=0
instructions=0
scale=0
explore=0
instr_args=()
extra=()
while (($#)); do
  case "$1" in
    --pair-only) pair_only=1 ;;
    --interleaved-only) interleaved_only=1 ;;
    --instructions) instructions=1 ;;
    --scale) scale=1 ;;
    --explore) explore=1 ;;
    --only=*|--work=*|--jobs=*|--sizes=*|--svg=*|--rounds=*|--window=*)
      instr_args+=("$1") ;;
    --no-native) instr_args+=(--no_native) ;;
    --validate) instr_args+=(--validate) ;;
    --) shift; extra=("$@"); break ;;
    *) echo "usage: tools/bench.sh [--pair-only | --interleaved-only |" \
            "--instructions [--only=SUBJECTS] [--work=DIR] [--jobs=N] |" \
            "--scale [--instructions] [--no-native] [--validate] [--window=T1,T2]" \
            "[--sizes=N,...] [--work=DIR] [--svg=PATH] |" \
            "--explore [--rounds=N]] [-- benchmark flags]" >&2
       exit 2 ;;
  esac
  shift
done

if ((scale || explore)); then
  bazel --output_base="$output_base" build --config=opt //tools/quicsim:quicsim
  bin="$(bazel --output_base="$output_base" info --config=opt bazel-bin 2>/dev/null)"
  echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  if ((explore)); then
    exec python3 tools/bench_explore.py --quicsim="$bin/tools/quicsim/quicsim" \
      "${instr_args[@]}"
  fi
  work="$(mktemp -d /tmp/quicsim-scale.XXXXXX)"
  if ((instructions)); then
    command -v valgrind >/dev/null ||
      { echo "bench.sh: valgrind missing; run tools/bootstrap.sh" >&2; exit 2; }
    instr_args+=(--instructions)
  fi
  exec python3 tools/bench_scale.py run --quicsim="$bin/tools/quicsim/quicsim" \
    --work="$work" "${instr_args[@]}"
fi

if ((instructions)); then
  command -v valgrind >/dev/null ||
    { echo "bench.sh: valgrind missing; run tools/bootstrap.sh" >&2; exit 2; }
  bazel --output_base="$output_base" build --config=opt \
    //tests/bench:instr_driver //tools/quicsim:quicsim
  bin="$(bazel --output_base="$output_base" info --config=opt bazel-bin 2>/dev/null)"
  work="$(mktemp -d /tmp/quicsim-instructions.XXXXXX)"
  for a in "${instr_args[@]}"; do
    [[ "$a" == --work=* ]] && work="${a#--work=}"
  done
  echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "== valgrind outputs in $work"
  exec python3 tools/bench_instructions.py run \
    --driver="$bin/tests/bench/instr_driver" \
    --quicsim="$bin/tools/quicsim/quicsim" --work="$work" "${instr_args[@]}"
fi

targets=(//tests/bench/pair:pair_bench //tests/bench:interleaved_bench)
if ((!pair_only)); then
  targets+=(//tests/bench:sim_bench //tests/bench/tls:tls_bench)
fi
bazel --output_base="$output_base" build --config=opt "${targets[@]}"
bin="$(bazel --output_base="$output_base" info --config=opt bazel-bin 2>/dev/null)"

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "== load average: $(cut -d' ' -f1-3 /proc/loadavg)"
if ((interleaved_only)); then
  exec "$bin/tests/bench/interleaved_bench" --benchmark_color=false "${extra[@]}"
fi
if ((!pair_only)); then
  echo "== sim_bench"
  "$bin/tests/bench/sim_bench" --benchmark_color=false
  echo "== tls_bench"
  "$bin/tests/bench/tls/tls_bench" --benchmark_color=false
  echo "== interleaved_bench"
  "$bin/tests/bench/interleaved_bench" --benchmark_color=false
fi
echo "== pair_bench"
"$bin/tests/bench/pair/pair_bench" --benchmark_color=false "${extra[@]}"
