#!/bin/bash
# The quicsim command end to end with the fake runner: exit codes 0/1/2,
# traces of failing seeds, replay, shrink, trace print, sharding env.
set -u
QUICSIM="$1"
D="tools/quicsim/testdata"
OUT="${TEST_TMPDIR:-/tmp}/cli"
rm -rf "$OUT" && mkdir -p "$OUT"
fail() { echo "FAIL: $*"; exit 1; }

expect_exit() {
  local want="$1"; shift
  "$@" >"$OUT/stdout" 2>"$OUT/stderr"
  local got=$?
  [[ $got == "$want" ]] || { cat "$OUT/stdout" "$OUT/stderr"; fail "exit $got, want $want: $*"; }
}

# Bad input: one line, exit 2.
expect_exit 2 "$QUICSIM" run --testonly_fake_runner --scenario="$D/bad_syntax.textproto"
[[ $(wc -l <"$OUT/stderr") == 1 ]] || fail "error is not one line"
grep -q "bad_syntax.textproto:4:9: .*colour" "$OUT/stderr" || fail "no file:line:col: $(cat "$OUT/stderr")"
expect_exit 2 "$QUICSIM" run --testonly_fake_runner --scenario=/nonexistent.textproto
expect_exit 2 "$QUICSIM" frobnicate
expect_exit 2 "$QUICSIM" replay /nonexistent.trace
echo "not a trace" >"$OUT/foreign.trace"
expect_exit 2 "$QUICSIM" trace print "$OUT/foreign.trace"
grep -q "not a quicsim trace" "$OUT/stderr" || fail "foreign trace message"

# The default runner is the real QUIC endpoint: a clean scenario passes.
expect_exit 0 "$QUICSIM" run --progress=false --scenario="$D/fake_clean.textproto"

# A passing scenario: exit 0, summary.
expect_exit 0 "$QUICSIM" run --testonly_fake_runner --progress=false \
  --scenario="$D/fake_clean.textproto" --check_determinism
grep -q "confirmed  *90" "$OUT/stdout" || fail "summary: $(cat "$OUT/stdout")"
grep -q "result  *PASS" "$OUT/stdout" || fail "no PASS"

# A failing scenario: exit 1 and traces.
expect_exit 1 "$QUICSIM" run --testonly_fake_runner --scenario="$D/fake_lossy.textproto" \
  --trace_dir="$OUT"
grep -q "VIOLATED verdicts_agree" "$OUT/stdout" || fail "no violation in summary"
grep -q "^progress: 20/20 seeds" "$OUT/stderr" || fail "no plain progress lines"
TRACE=$(ls "$OUT"/fake_lossy-seed*.trace | head -1)
[[ -f "$TRACE" ]] || fail "no trace written"
ls "$OUT" | grep -q tmp && fail "temporary file left behind"

# Seed base from the environment.
QUICSIM_SEED_BASE=500 "$QUICSIM" run --testonly_fake_runner --progress=false \
  --scenario="$D/fake_clean.textproto" --seeds=2 >"$OUT/stdout" 2>&1
grep -q "seeds 500..501" "$OUT/stdout" || fail "QUICSIM_SEED_BASE ignored: $(cat "$OUT/stdout")"
# The flag wins over the environment.
QUICSIM_SEED_BASE=500 "$QUICSIM" run --testonly_fake_runner --progress=false \
  --scenario="$D/fake_clean.textproto" --seeds=2 --seed_base=7 >"$OUT/stdout" 2>&1
grep -q "seeds 7..8" "$OUT/stdout" || fail "--seed_base lost to env"

# Sharding env and the status file.
TEST_TOTAL_SHARDS=3 TEST_SHARD_INDEX=1 TEST_SHARD_STATUS_FILE="$OUT/status" \
  "$QUICSIM" run --testonly_fake_runner --progress=false \
  --scenario="$D/fake_clean.textproto" >"$OUT/stdout" 2>&1 || fail "shard run"
grep -q "seeds  *10$" "$OUT/stdout" || fail "shard ran wrong seed count: $(cat "$OUT/stdout")"
[[ -f "$OUT/status" ]] || fail "shard status file not touched"

# Replay, print, shrink.
expect_exit 0 "$QUICSIM" replay --testonly_fake_runner "$TRACE"
grep -q "REPRODUCES" "$OUT/stdout" || fail "replay"
expect_exit 0 "$QUICSIM" trace print "$TRACE"
grep -q "VIOLATED verdicts_agree" "$OUT/stdout" || fail "trace print"
expect_exit 0 "$QUICSIM" shrink --testonly_fake_runner "$TRACE"
MIN="${TRACE%.trace}.min.trace"
[[ -f "$MIN" ]] || fail "no minimal trace"
grep -q -- "-> 2 " "$OUT/stdout" || fail "shrink did not reach the 2 trigger decisions: $(cat "$OUT/stdout")"
expect_exit 0 "$QUICSIM" replay --testonly_fake_runner "$MIN"

# A truncated trace: exit 2, clear message.
head -c 100 "$TRACE" >"$OUT/cut.trace"
expect_exit 2 "$QUICSIM" replay --testonly_fake_runner "$OUT/cut.trace"
grep -q "truncated trace" "$OUT/stderr" || fail "truncation message: $(cat "$OUT/stderr")"
# The worked example with the real endpoints: a failing seed's trace
# replays, shrinks, and exports a capture Wireshark can decrypt.
EX="$OUT/example"
expect_exit 1 "$QUICSIM" run --progress=false --scenario=scenarios/examples/failing.textproto \
  --trace_dir="$EX"
ETRACE="$(ls "$EX"/*.trace | head -n 1)"
[[ -f "$ETRACE" ]] || fail "example wrote no trace"
expect_exit 0 "$QUICSIM" replay "$ETRACE"
grep -q "REPRODUCES byte for byte" "$OUT/stdout" || fail "example replay: $(cat "$OUT/stdout")"
expect_exit 0 "$QUICSIM" export --out="$EX/x" "$ETRACE"
for f in x.sent.pcap x.delivered.pcap x.keys x.html; do
  [[ -s "$EX/$f" ]] || fail "export did not write $f"
done
ls "$EX"/x.pair_*_client.sqlog >/dev/null 2>&1 || fail "export wrote no qlog"
grep -q "CLIENT_HANDSHAKE_TRAFFIC_SECRET" "$EX/x.keys" || fail "keylog lacks handshake secrets"
grep -q "<svg" "$EX/x.html" || fail "ladder has no drawing"
head -c 4 "$EX/x.sent.pcap" | od -An -tx1 | grep -q "4d 3c b2 a1" || fail "not a nanosecond pcap"
expect_exit 2 "$QUICSIM" export /nonexistent.trace

echo PASS
