#!/bin/bash
# The quicsim command end to end with the fake runner: exit codes 0/1/2,
# traces of failing seeds, replay, shrink, trace print, sharding env.
set -u
QUICSIM="$1"
# The same command line over the fake runner.
QUICSIM_FAKE="$2"
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
expect_exit 2 "$QUICSIM_FAKE" run --scenario="$D/bad_syntax.textproto"
[[ $(wc -l <"$OUT/stderr") == 1 ]] || fail "error is not one line"
grep -q "bad_syntax.textproto:4:9: .*colour" "$OUT/stderr" || fail "no file:line:col: $(cat "$OUT/stderr")"
expect_exit 2 "$QUICSIM_FAKE" run --scenario=/nonexistent.textproto
expect_exit 2 "$QUICSIM" frobnicate
expect_exit 2 "$QUICSIM" replay /nonexistent.trace
echo "not a trace" >"$OUT/foreign.trace"
expect_exit 2 "$QUICSIM" trace print "$OUT/foreign.trace"
grep -q "not a quicsim trace" "$OUT/stderr" || fail "foreign trace message"

# The default runner is the real QUIC endpoint: a clean scenario passes.
expect_exit 0 "$QUICSIM" run --progress=false --scenario="$D/fake_clean.textproto"

# A passing scenario: exit 0, summary.
expect_exit 0 "$QUICSIM_FAKE" run --progress=false \
  --scenario="$D/fake_clean.textproto" --check_determinism
grep -q "confirmed  *90" "$OUT/stdout" || fail "summary: $(cat "$OUT/stdout")"
grep -q "result  *PASS" "$OUT/stdout" || fail "no PASS"

# A failing scenario: exit 1 and traces.
expect_exit 1 "$QUICSIM_FAKE" run --scenario="$D/fake_lossy.textproto" \
  --trace_dir="$OUT"
grep -q "VIOLATED verdicts_agree" "$OUT/stdout" || fail "no violation in summary"
grep -q "^progress: 20/20 seeds" "$OUT/stderr" || fail "no plain progress lines"
TRACE=$(ls "$OUT"/fake_lossy-seed*.trace | head -1)
[[ -f "$TRACE" ]] || fail "no trace written"
ls "$OUT" | grep -q tmp && fail "temporary file left behind"

# Seed base from the environment.
QUICSIM_SEED_BASE=500 "$QUICSIM_FAKE" run --progress=false \
  --scenario="$D/fake_clean.textproto" --seeds=2 >"$OUT/stdout" 2>&1
grep -q "seeds 500..501" "$OUT/stdout" || fail "QUICSIM_SEED_BASE ignored: $(cat "$OUT/stdout")"
# The flag wins over the environment.
QUICSIM_SEED_BASE=500 "$QUICSIM_FAKE" run --progress=false \
  --scenario="$D/fake_clean.textproto" --seeds=2 --seed_base=7 >"$OUT/stdout" 2>&1
grep -q "seeds 7..8" "$OUT/stdout" || fail "--seed_base lost to env"

# Sharding env and the status file.
TEST_TOTAL_SHARDS=3 TEST_SHARD_INDEX=1 TEST_SHARD_STATUS_FILE="$OUT/status" \
  "$QUICSIM_FAKE" run --progress=false \
  --scenario="$D/fake_clean.textproto" >"$OUT/stdout" 2>&1 || fail "shard run"
grep -q "seeds  *10$" "$OUT/stdout" || fail "shard ran wrong seed count: $(cat "$OUT/stdout")"
[[ -f "$OUT/status" ]] || fail "shard status file not touched"

# Replay, print, shrink.
expect_exit 0 "$QUICSIM_FAKE" replay "$TRACE"
grep -q "REPRODUCES" "$OUT/stdout" || fail "replay"
expect_exit 0 "$QUICSIM" trace print "$TRACE"
grep -q "VIOLATED verdicts_agree" "$OUT/stdout" || fail "trace print"
expect_exit 0 "$QUICSIM_FAKE" shrink "$TRACE"
MIN="${TRACE%.trace}.min.trace"
[[ -f "$MIN" ]] || fail "no minimal trace"
grep -q -- "-> 2 " "$OUT/stdout" || fail "shrink did not reach the 2 trigger decisions: $(cat "$OUT/stdout")"
expect_exit 0 "$QUICSIM_FAKE" replay "$MIN"

# A truncated trace: exit 2, clear message.
head -c 100 "$TRACE" >"$OUT/cut.trace"
expect_exit 2 "$QUICSIM_FAKE" replay "$OUT/cut.trace"
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

# --help: exit 0, quicsim's own flags by command, no gflags internals and
# no test-only flag.
expect_exit 0 "$QUICSIM" --help
for f in scenario seeds seed_base pairs trace_dir check_determinism output max_shrink_runs pcap keylog qlog html out; do
  grep -q -- "--$f " "$OUT/stdout" || fail "--help lacks --$f"
done
grep -q "flagfile\|helpfull\|fromenv\|testonly\|tryfromenv" "$OUT/stdout" && fail "--help lists foreign flags"
[[ -s "$OUT/stderr" ]] && fail "--help wrote to stderr"
# --version: the build identity traces record.
expect_exit 0 "$QUICSIM" --version
VERSION=$(cat "$OUT/stdout")
expect_exit 0 "$QUICSIM" trace print "$ETRACE"
BUILD_LINE=$(grep "^build:" "$OUT/stdout")
ID=$(echo "$BUILD_LINE" | sed 's/^build: *\([^,]*\), BoringSSL API \([0-9]*\), runner \(.*\)$/quicsim \1 (BoringSSL API \2, runner \3)/')
[[ "$VERSION" == "$ID" ]] || fail "--version \"$VERSION\" is not the trace's build \"$BUILD_LINE\""
# Bad flags are bad input: exit 2, one line.
for bad in --seeds=abc --pairs=-1 --nosuchflag --helpfull; do
  expect_exit 2 "$QUICSIM" run --scenario="$D/fake_clean.textproto" "$bad"
  [[ $(wc -l <"$OUT/stderr") == 1 ]] || fail "$bad: not one line"
done

# A trace that cannot be written (its name is too long) does not end the
# run: the summary, every failing seed and the unwritten trace are
# reported, every seed runs, and the exit code is 2.
LONG=$(printf 'n%.0s' $(seq 300))
sed "s/^name: .*/name: \"$LONG\"/" "$D/fake_lossy.textproto" >"$OUT/long.textproto"
expect_exit 2 "$QUICSIM_FAKE" run --progress=false \
  --scenario="$OUT/long.textproto" --trace_dir="$OUT/long"
grep -q "^seeds  *20$" "$OUT/stdout" || fail "not every seed ran: $(cat "$OUT/stdout")"
grep -q "^result" "$OUT/stdout" || fail "no summary after a write failure"
grep -q "^failing seed" "$OUT/stdout" || fail "failing seeds not listed"
grep -q "^NOT WRITTEN: .*-seed[0-9]*.trace" "$OUT/stdout" || fail "unwritten trace not named"
[[ $(wc -l <"$OUT/stderr") == 1 ]] || fail "write failure: not one stderr line"
grep -q "could not be written" "$OUT/stderr" || fail "write failure message: $(cat "$OUT/stderr")"

# export is all or nothing: a later output that fails removes the earlier.
mkdir -p "$OUT/exp"
expect_exit 2 "$QUICSIM" export --pcap="$OUT/exp/x" --keylog="$OUT/exp/missing/dir/x.keys" "$ETRACE"
[[ -z "$(ls -A "$OUT/exp")" ]] || fail "export left files behind: $(ls "$OUT/exp")"
[[ $(wc -l <"$OUT/stderr") == 1 ]] || fail "export failure: not one line"

# shrink never overwrites its input, however the path is spelled.
cp "$TRACE" "$OUT/input.trace"
SUM=$(sha256sum <"$OUT/input.trace")
expect_exit 2 "$QUICSIM_FAKE" shrink --output="$OUT/input.trace" "$OUT/input.trace"
expect_exit 2 "$QUICSIM_FAKE" shrink --output="$OUT/./input.trace" "$OUT/input.trace"
ln -sf "$OUT/input.trace" "$OUT/link.trace"
expect_exit 2 "$QUICSIM_FAKE" shrink --output="$OUT/link.trace" "$OUT/input.trace"
[[ "$(sha256sum <"$OUT/input.trace")" == "$SUM" ]] || fail "shrink changed its input"

echo PASS
