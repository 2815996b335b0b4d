#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang-14
# (-fsanitize=fuzzer,address) and runs each for --seconds=N (default 20) on a
# scratch copy of its seed corpus. Fails if any fuzzer crashes, leaks or
# times out. Uses its own Bazel output base so the clang build never
# invalidates the gcc one.
set -uo pipefail
cd "$(dirname "$0")/.."

seconds=20
for arg in "$@"; do
  case "$arg" in
    --seconds=*) seconds="${arg#--seconds=}" ;;
    *) echo "usage: tools/fuzz.sh [--seconds=N]" >&2; exit 2 ;;
  esac
done

output_base="${QUICSIM_FUZZ_OUTPUT_BASE:-/root/.cache/bazel-ob-fuzz}"
targets=(packet_header frames transport_parameters initial_open endpoint_datagram
  schedule scenario trace endpoint_frames)

# --config=fuzz sets the sanitizer flags; CC/CXX must reach the C++ toolchain
# autoconfiguration, which reads the repository environment (--repo_env).
# No convenience symlinks: bazel-<workspace> pointing into this output base
# would be loaded as packages by a later `bazel test //...`.
bazel_flags=(
  --config=fuzz
  --repo_env=CC=clang-14
  --repo_env=CXX=clang++-14
  --symlink_prefix=/
)

bazel --output_base="$output_base" build "${bazel_flags[@]}" \
  $(for t in "${targets[@]}"; do echo "//tests/fuzz:${t}_fuzzer"; done) || {
  echo "fuzz: build failed" >&2
  exit 1
}
bin_dir="$(bazel --output_base="$output_base" info "${bazel_flags[@]}" bazel-bin 2>/dev/null)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
status=0
for t in "${targets[@]}"; do
  mkdir -p "$work/$t"
  cp tests/fuzz/corpus/"$t"/* "$work/$t"/ 2>/dev/null
  rm -f "$work/$t/README.md"
  echo "fuzz: $t for ${seconds}s"
  if ! "$bin_dir/tests/fuzz/${t}_fuzzer" -max_total_time="$seconds" \
      -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$work/$t-" "$work/$t" >"$work/$t.log" 2>&1; then
    echo "fuzz: $t FAILED; last lines of its log:" >&2
    tail -n 40 "$work/$t.log" >&2
    for crash in "$work/$t"-*; do
      [[ -e "$crash" ]] && cp "$crash" "/tmp/" && echo "fuzz: input kept at /tmp/$(basename "$crash")" >&2
    done
    status=1
  else
    grep -E "stat::number_of_executed_units|Done [0-9]+ runs" "$work/$t.log" | tail -n 2
  fi
done
exit $status
