#!/bin/bash
# Every .sqlog quicsim exports is qlog 0.3 that qvis reads: runs a lossy
# mix of handshakes (plain, Retry, Version Negotiation, ALPN failure) and the
# worked example with --export, then checks every file with qlog_check.py
# (event names from the qlog 0.3 drafts, required fields, monotone times)
# and that the recovery events are there.
set -u
QUICSIM="$1"
CHECK="$2"
OUT="${TEST_TMPDIR:-/tmp}/qlog"
rm -rf "$OUT" && mkdir -p "$OUT/mix" "$OUT/example"
fail() { echo "FAIL: $*"; exit 1; }

"$QUICSIM" run --scenario=tests/export/testdata/qlog_mix.textproto \
  --trace_dir="$OUT/mix" --export --progress=false >"$OUT/mix.txt" 2>&1
[[ $? == 1 ]] || fail "the mix should fail its 1 ms bound: $(tail -5 "$OUT/mix.txt")"
"$QUICSIM" run --scenario=scenarios/examples/failing.textproto --seeds=3 \
  --trace_dir="$OUT/example" --export --progress=false >"$OUT/example.txt" 2>&1
[[ $? == 1 ]] || fail "the worked example should fail: $(tail -5 "$OUT/example.txt")"

files=("$OUT"/mix/*.sqlog "$OUT"/example/*.sqlog)
[[ ${#files[@]} -ge 40 ]] || fail "only ${#files[@]} qlog files"
python3 "$CHECK" "${files[@]}" >"$OUT/check.txt" || fail "$(tail -3 "$OUT/check.txt")"
cat "$OUT/check.txt" | tail -40
for want in recovery:packet_lost recovery:loss_timer_updated \
    recovery:metrics_updated transport:packet_dropped \
    connectivity:connection_closed security:key_discarded; do
  grep -q "^  $want " "$OUT/check.txt" || fail "no $want event in any file"
done
# The recovery events carry RFC 9002's vocabulary.
grep -h -o '"name":"recovery:loss_timer_updated","data":{"event_type":"[a-z]*","timer_type":"[a-z]*"' \
  "${files[@]}" | sed 's/.*event_type":"\([a-z]*\)","timer_type":"\([a-z]*\)"/\1 \2/' | sort -u >"$OUT/timers.txt"
for want in "set pto" "expired pto"; do
  grep -qx "$want" "$OUT/timers.txt" || fail "no loss_timer_updated $want: $(cat "$OUT/timers.txt")"
done
grep -h -q '"name":"recovery:packet_lost","data":{"header":{"packet_type":"initial","packet_number":[0-9]*}.*"trigger":"\(time\|reordering\)_threshold"' \
  "${files[@]}" || fail "no lost Initial with its trigger"
grep -h -q '"connection_code":"crypto_error_0x178"' "${files[@]}" ||
  fail "no ALPN close as crypto_error_0x178"
grep -h -q '"name":"transport:packet_dropped","data":{.*"trigger":"decryption_failure"' "${files[@]}" ||
  fail "no packet dropped for want of keys or a bad tag"
echo PASS
