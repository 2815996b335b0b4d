#!/usr/bin/env bash
# Mutation score: how thorough quicsim's search modes are.
#
#   tools/mutants.sh [--budget=SECONDS] [--modes=suite,sweep,exhaustive,swarm,fuzz]
#                    [--only=REGEX] [--max_k=K]
#   tools/mutants.sh --check      # every patch still applies (fast, for CI)
#
# Each tests/mutants/*.patch re-plants a known kind of bug. For every patch
# the script resets one scratch worktree of HEAD (git worktree add under
# /tmp, Bazel's shared disk cache via a copy of user.bazelrc, so only the
# patched files rebuild), applies the patch, builds quicsim and runs each
# search mode for at most --budget seconds (default 120):
#   suite       every scenarios/*.textproto with its own seeds (the default
#               suite), stopping at the first failure;
#   sweep       the lossy scenarios over 300 extra seeds (30000...), 50 at a
#               time round-robin;
#   exhaustive  quicsim explore --mode=exhaustive, K = 0, 1, ... --max_k
#               (default 3), N = 8, over the clean, Retry, VN, 0-RTT,
#               amplification and error-row scenarios (single-datagram
#               faults, and bursts where the idle timeout allows them),
#               K = 0 and 1 everywhere, then (base, K) by estimated size;
#   swarm       quicsim explore --mode=swarm around clean.textproto;
#   fuzz        the schedule fuzzer (tests/fuzz:schedule_fuzzer, clang), if
#               it builds.
# It prints a table mutant x mode -> found (seconds to find, failing trace)
# and a last line "killed K of M". Exit 0 when every mutant is killed, 1 when
# one survives, 2 when a patch no longer applies (the patches must follow
# the code). CPU-heavy: run it niced.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

budget=120
modes="suite,sweep,exhaustive,swarm,fuzz"
only=""
max_k=3
check=0
for arg in "$@"; do
  case "$arg" in
    --budget=*) budget="${arg#--budget=}" ;;
    --modes=*) modes="${arg#--modes=}" ;;
    --only=*) only="${arg#--only=}" ;;
    --max_k=*) max_k="${arg#--max_k=}" ;;
    --check) check=1 ;;
    *)
      echo "usage: tools/mutants.sh [--budget=SECONDS] [--modes=LIST] [--only=REGEX] [--max_k=K] | --check" >&2
      exit 2
      ;;
  esac
done

patches=()
for p in tests/mutants/*.patch; do
  name="$(basename "$p" .patch)"
  [[ -n "$only" && ! "$name" =~ $only ]] && continue
  patches+=("$p")
done
if [[ ${#patches[@]} -eq 0 ]]; then
  echo "mutants: no patches" >&2
  exit 2
fi

if [[ $check -eq 1 ]]; then
  bad=0
  for p in "${patches[@]}"; do
    if git apply --check "$p" 2>/dev/null ||
        patch -p1 --dry-run --silent --force <"$p" >/dev/null 2>&1; then
      echo "applies: $p"
    else
      echo "DOES NOT APPLY: $p" >&2
      bad=1
    fi
  done
  exit $((bad * 2))
fi

work="$(mktemp -d /tmp/quicsim-mutants.XXXXXX)"
scratch="$work/tree"
git worktree add --detach "$scratch" HEAD >/dev/null 2>&1 || {
  echo "mutants: git worktree add failed" >&2
  exit 2
}
cleanup() {
  (cd "$scratch" && bazel shutdown >/dev/null 2>&1)
  git worktree remove --force "$scratch" >/dev/null 2>&1
}
trap cleanup EXIT
[[ -f user.bazelrc ]] && cp user.bazelrc "$scratch/user.bazelrc"

# Exhaustive search bases: a scenario, then explore flags. Single-datagram
# faults everywhere; bursts (4 datagrams in a row) only where the idle timeout
# is the default 30 s (with a short one a burst legitimately silences a side),
# and at most two of them. Every (base, K) used passes on the unmutated tree
# (checked for K <= 3, bursts K <= 2), so a failure is the mutant's.
exhaustive_entries=(clean retry version_negotiation resumption_0rtt
  resumption_0rtt_rejected amplification_limit error_alpn_mismatch
  error_server_internal_error error_signing_failure
  error_refuse_transport_parameters error_no_certificate_for_sni
  error_untrusted_certificate error_bad_signature
  error_bad_signature_amplification error_invalid_server_transport_parameters
  error_drop_connection_close error_alpn_mismatch_short_idle
  "clean --faults=burst" "retry --faults=burst"
  "version_negotiation --faults=burst" "resumption_0rtt --faults=burst"
  "resumption_0rtt_rejected --faults=burst")
sweep_scenarios=(handshakeloss handshakecorruption retry_lossy
  version_negotiation_lossy resumption_0rtt_lossy error_alpn_mismatch_lossy
  error_server_internal_error_lossy error_untrusted_certificate_lossy)

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.0f", b - a }'; }

# run_mode MODE BIN OUT: prints "found SECONDS TRACE" or "-".
run_mode() {
  local mode="$1" bin="$2" out="$3" start deadline left rc trace
  start="$(now)"
  deadline=$(($(date +%s) + budget))
  mkdir -p "$out"
  left() { echo $((deadline - $(date +%s))); }
  found() {
    trace="$(ls "$out"/*.trace 2>/dev/null | head -1)"
    echo "found $(elapsed "$start")s ${1}${trace:+ $trace}"
  }
  case "$mode" in
    suite)
      for f in "$scratch"/scenarios/*.textproto; do
        (($(left) <= 0)) && break
        timeout "$(left)" "$bin" run --scenario="$f" --trace_dir="$out" \
          --progress=false >"$out/log" 2>&1
        rc=$?
        [[ $rc -eq 1 ]] && { found "$(basename "$f" .textproto)"; return; }
      done
      ;;
    sweep)
      # Round-robin in chunks of 50 seeds, so that every lossy scenario gets
      # its share of the budget.
      for chunk in 0 1 2 3 4 5; do
        for s in "${sweep_scenarios[@]}"; do
          (($(left) <= 0)) && break 2
          timeout "$(left)" "$bin" run --scenario="$scratch/scenarios/$s.textproto" \
            --seeds=50 --seed_base=$((30000 + 50 * chunk)) --trace_dir="$out" \
            --progress=false >"$out/log" 2>&1
          rc=$?
          [[ $rc -eq 1 ]] && { found "$s"; return; }
        done
      done
      ;;
    exhaustive)
      # K = 0 and 1 over every entry; then every (entry, K >= 2) in the
      # order of its estimated schedule count (from the K=1 width w:
      # 1 + w + w^2/2! + ... + w^K/K!), so the deep levels of small trees
      # run before the shallow levels of big ones use up the budget.
      local -A width=()
      local -a plan=()
      local e s flags k
      for k in 0 1; do
        for e in "${exhaustive_entries[@]}"; do
          plan+=("$k	$e")
        done
      done
      local i=0
      while :; do
        if ((i == 2 * ${#exhaustive_entries[@]})); then
          mapfile -t -O "${#plan[@]}" plan < <(
            for e in "${exhaustive_entries[@]}"; do
              local top=$max_k
              # Three bursts of 4 can silence a client for good (12 drops):
              # the unmutated tree fails there too, so bursts stop at K=2.
              [[ "$e" == *burst* ]] && ((top > 2)) && top=2
              for k in $(seq 2 "$top"); do
                awk -v w="${width[$e]:-1000}" -v k="$k" -v e="$e" 'BEGIN {
                  t = 1; s = 1
                  for (j = 1; j <= k; j++) { t = t * w / j; s += t }
                  printf "%.0f\t%d\t%s\n", s, k, e }'
              done
            done | sort -n -k1,1 | cut -f2-)
        fi
        ((i < ${#plan[@]})) || break
        k="${plan[$i]%%	*}"
        e="${plan[$i]#*	}"
        i=$((i + 1))
        (($(left) <= 0)) && break
        s="${e%% *}"
        flags=""
        [[ "$e" == *" "* ]] && flags="${e#* }"
        echo "$(elapsed "$start")s $e K=$k" >>"$out/steps"
        # shellcheck disable=SC2086
        timeout "$(left)" "$bin" explore --mode=exhaustive \
          --scenario="$scratch/scenarios/$s.textproto" --max_faults="$k" \
          --first_datagrams=8 --trace_dir="$out" --progress=false $flags \
          >"$out/log" 2>&1
        rc=$?
        [[ $rc -eq 1 ]] && { found "$e K=$k"; return; }
        if ((k == 1)); then
          width[$e]=$(awk '$1 == "schedules" && $2 ~ /^[0-9]+$/ {
            print $2 - 1 }' "$out/log")
        fi
      done
      ;;
    swarm)
      timeout "$((budget + 30))" "$bin" explore --mode=swarm \
        --scenario="$scratch/scenarios/clean.textproto" --budget="${budget}s" \
        --seed=1 --trace_dir="$out" --progress=false >"$out/log" 2>&1
      rc=$?
      [[ $rc -eq 1 ]] && { found "swarm"; return; }
      ;;
    fuzz)
      if [[ -x "$work/fuzzer" ]]; then
        mkdir -p "$out/corpus"
        cp "$root"/tests/fuzz/corpus/schedule/* "$out/corpus/" 2>/dev/null
        rm -f "$out/corpus/README.md"
        QUICSIM_FUZZ_TRACE_DIR="$out" timeout "$((budget + 30))" \
          "$work/fuzzer" -max_total_time="$budget" -timeout=20 \
          -artifact_prefix="$out/crash-" "$out/corpus" >"$out/log" 2>&1
        rc=$?
        [[ $rc -ne 0 ]] && { found "fuzz"; return; }
      else
        echo "n/a"
        return
      fi
      ;;
  esac
  echo "-"
}

declare -A result
killed=0
broken=0
names=()
IFS=',' read -r -a mode_list <<<"$modes"
for p in "${patches[@]}"; do
  name="$(basename "$p" .patch)"
  names+=("$name")
  (cd "$scratch" && git checkout -q -- . && git clean -fdq -e user.bazelrc)
  # As //tests/mutants:apply_check_test: exact, else with patch's fuzz.
  if ! (cd "$scratch" && { git apply "$root/$p" 2>/dev/null ||
      patch -p1 --silent --force <"$root/$p" >/dev/null 2>&1; }); then
    echo "mutants: $name NO LONGER APPLIES" >&2
    result["$name"]="DOES NOT APPLY"
    broken=1
    continue
  fi
  echo "mutants: $name: building" >&2
  if ! (cd "$scratch" && bazel build //tools/quicsim:quicsim >"$work/build.log" 2>&1); then
    echo "mutants: $name does not build:" >&2
    tail -20 "$work/build.log" >&2
    result["$name"]="DOES NOT BUILD"
    broken=1
    continue
  fi
  cp -f "$scratch/bazel-bin/tools/quicsim/quicsim" "$work/quicsim"
  rm -f "$work/fuzzer"
  if [[ ",$modes," == *,fuzz,* ]]; then
    ob="${QUICSIM_FUZZ_OUTPUT_BASE:-/root/.cache/bazel-ob-fuzz}-mutants"
    if (cd "$scratch" && bazel --output_base="$ob" build --config=fuzz \
        --repo_env=CC=clang-14 --repo_env=CXX=clang++-14 \
        //tests/fuzz:schedule_fuzzer >"$work/fuzzbuild.log" 2>&1); then
      bin_dir="$(cd "$scratch" && bazel --output_base="$ob" info --config=fuzz \
        --repo_env=CC=clang-14 --repo_env=CXX=clang++-14 bazel-bin 2>/dev/null)"
      cp -f "$bin_dir/tests/fuzz/schedule_fuzzer" "$work/fuzzer"
    fi
  fi
  any=0
  for mode in "${mode_list[@]}"; do
    echo "mutants: $name: $mode" >&2
    r="$(run_mode "$mode" "$work/quicsim" "$work/out/$name/$mode")"
    result["$name/$mode"]="$r"
    echo "mutants: $name: $mode -> $r" >&2
    [[ "$r" == found* ]] && any=1
  done
  killed=$((killed + any))
  result["$name"]=$([[ $any -eq 1 ]] && echo killed || echo SURVIVED)
done

printf '\n%-55s' "mutant"
for mode in "${mode_list[@]}"; do printf ' | %-28s' "$mode"; done
printf '\n'
for name in "${names[@]}"; do
  printf '%-55s' "$name"
  if [[ "${result[$name]}" == DOES* ]]; then
    printf ' | %s\n' "${result[$name]}"
    continue
  fi
  for mode in "${mode_list[@]}"; do
    r="${result[$name/$mode]}"
    # "found 12s clean K=1 /path" -> "12s clean K=1"
    r="${r#found }"
    r="${r% /*}"
    printf ' | %-28s' "$r"
  done
  printf '\n'
done
echo "traces under $work/out (kept)"
trap - EXIT
cleanup
echo "killed $killed of ${#names[@]}"
[[ $broken -eq 1 ]] && exit 2
[[ $killed -eq ${#names[@]} ]] && exit 0
exit 1
