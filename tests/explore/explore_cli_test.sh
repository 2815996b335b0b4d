#!/bin/bash
# quicsim explore end to end: exit codes, traces of failing schedules that
# replay byte for byte and hold at most K decisions, bad input.
set -u
quicsim="$1"
clean="$2"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
fail() { echo "FAIL: $*"; exit 1; }

"$quicsim" explore --scenario="$clean" --max_faults=1 --first_datagrams=2 \
  --progress=false > "$tmp/pass.txt" || fail "clean K=1 should pass"
grep -q "^schedules  *[0-9]" "$tmp/pass.txt" || fail "no schedules line"
grep -q "^distinct outcomes  *1$" "$tmp/pass.txt" || fail "distinct outcomes"
grep -q "^failing  *0$" "$tmp/pass.txt" || fail "failing line"
grep -q "^schedules per CPU second" "$tmp/pass.txt" || fail "rate line"

# The clean scenario's 100 ms bound kept: a lost first Initial costs a PTO.
mkdir -p "$tmp/traces"
"$quicsim" explore --scenario="$clean" --max_faults=1 --first_datagrams=1 \
  --faults=drop --keep_handshake_time --trace_dir="$tmp/traces" \
  --progress=false > "$tmp/fail.txt"
[ $? -eq 1 ] || fail "a failing schedule must exit 1"
n=$(ls "$tmp/traces" | wc -l)
[ "$n" -ge 1 ] || fail "no trace written"
grep -q "^failing  *$n$" "$tmp/fail.txt" || fail "one trace per failing schedule"
for t in "$tmp"/traces/*.trace; do
  "$quicsim" replay "$t" > "$tmp/replay.txt" || fail "replay of $t diverged"
  grep -q "byte for byte" "$tmp/replay.txt" || fail "not byte for byte: $t"
  "$quicsim" trace print "$t" | grep -q "script:      1 network decisions" ||
    fail "trace $t should hold exactly one decision"
done

"$quicsim" explore --scenario="$clean" --faults=bogus 2> "$tmp/err.txt"
[ $? -eq 2 ] || fail "bad --faults must exit 2"
"$quicsim" explore --max_faults=1 2> "$tmp/err.txt"
[ $? -eq 2 ] || fail "missing --scenario must exit 2"
"$quicsim" explore --scenario="$clean" --mode=nope 2> "$tmp/err.txt"
[ $? -eq 2 ] || fail "unknown mode must exit 2"
[ "$(wc -l < "$tmp/err.txt")" -eq 1 ] || fail "one line on stderr"
echo PASS
