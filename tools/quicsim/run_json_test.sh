#!/bin/bash
# `quicsim run --format=json`: stdout is exactly one JSON object whose
# figures agree with the text summary of the same run; text stays the
# default; a bad --format is a one-line error, exit 2.
set -u
QUICSIM="$1"
D="tools/quicsim/testdata"
OUT="${TEST_TMPDIR:-/tmp}/run_json"
rm -rf "$OUT" && mkdir -p "$OUT"
fail() { echo "FAIL: $*"; exit 1; }

# run NAME ARGS...: stdout, stderr and exit code of one run.
run() {
  local name="$1"; shift
  env -u TESTBRIDGE_TEST_ONLY -u XML_OUTPUT_FILE -u TEST_TOTAL_SHARDS \
    "$QUICSIM" run --progress=false "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"
  echo $? >"$OUT/$name.rc"
}

# A failing run (fake runner), as text and as JSON, traces and exports.
run text --scenario="$D/fake_lossy.textproto"
run json --scenario="$D/fake_lossy.textproto" \
  --format=json --trace_dir="$OUT/traces" --export
[[ $(cat "$OUT/text.rc") == 1 && $(cat "$OUT/json.rc") == 1 ]] ||
  fail "exit codes $(cat "$OUT/text.rc") $(cat "$OUT/json.rc"): $(cat "$OUT/json.err")"
grep -q "^result  *FAIL" "$OUT/text.out" || fail "text is not the default"
python3 - "$OUT/json.out" "$OUT/text.out" <<'PY' || fail "JSON report"
import json, os, re, sys
raw = open(sys.argv[1]).read()
assert raw.endswith("}\n") and raw.count("\n") == 1, "not one JSON line"
r = json.loads(raw)
text = open(sys.argv[2]).read()
def figure(label):
    return int(re.search(r"^%s +(\d+)" % label, text, re.M).group(1))
assert r["scenario"] == "fake_lossy"
assert r["seeds"] == {"base": 1, "count": 20}, r["seeds"]
assert r["shard"] == {"index": 0, "total": 1}
assert r["seeds_run"] == figure("seeds") == 20
assert r["pairs"] == figure("pairs") == 40
assert r["confirmed"] == figure("confirmed")
assert r["violations"]["verdicts_agree"] == figure("VIOLATED verdicts_agree")
assert r["result"] == "FAIL" and r["exit_code"] == 1
failing = [int(s) for s in re.findall(r"^failing seed (\d+)$", text, re.M)]
assert r["failing_seeds"] == failing and r["failing_seed_count"] == len(failing)
assert r["failing_pairs"] >= len(failing) > 0
assert len(r["traces"]) == len(failing)
for t in r["traces"]:
    assert os.path.exists(t), t
assert r["exported"] and all(os.path.exists(p) for p in r["exported"])
assert any(p.endswith(".html") for p in r["exported"])
assert r["not_written"] == []
assert r["cpu_seconds"] >= 0 and r["handshakes_per_cpu_second"] >= 0
ht = r["handshake_time_ms"]
assert ht is None or ht["p50"] <= ht["p90"] <= ht["p99"] <= ht["max"]
PY

# A passing run with the real endpoints that closes every pair (ALPN
# mismatch, as expected): the close code with its name.
run alpn --scenario=scenarios/error_alpn_mismatch.textproto --seeds=2 --format=json
[[ $(cat "$OUT/alpn.rc") == 0 ]] || fail "alpn exit $(cat "$OUT/alpn.rc"): $(cat "$OUT/alpn.err")"
python3 - "$OUT/alpn.out" <<'PY' || fail "alpn JSON: $(cat "$OUT/alpn.out")"
import json, sys
r = json.loads(open(sys.argv[1]).read())
assert r["result"] == "PASS" and r["exit_code"] == 0
assert r["closed"] == [{"code": 0x178, "hex": "0x178",
                        "name": "no_application_protocol", "pairs": 4}], r["closed"]
assert r["confirmed"] == 0 and r["handshake_time_ms"] is None
assert r["failing_seeds"] == [] and r["traces"] == []
PY

# A seed filter shows as such.
TESTBRIDGE_TEST_ONLY=3,5-6 "$QUICSIM" run --progress=false \
  --scenario="$D/fake_clean.textproto" --format=json >"$OUT/filter.out" || fail "filter run"
python3 -c '
import json, sys
r = json.loads(open(sys.argv[1]).read())
assert r["seeds"] == {"filter": "3,5-6"} and r["seeds_run"] == 3, r
' "$OUT/filter.out" || fail "filter JSON: $(cat "$OUT/filter.out")"

# Bad formats.
for bad in xml JSON "" text,json; do
  run bad --scenario="$D/fake_clean.textproto" --format="$bad"
  [[ $(cat "$OUT/bad.rc") == 2 ]] || fail "--format=$bad: exit $(cat "$OUT/bad.rc")"
  [[ $(wc -l <"$OUT/bad.err") == 1 && ! -s "$OUT/bad.out" ]] ||
    fail "--format=$bad: $(cat "$OUT/bad.err" "$OUT/bad.out")"
done
echo PASS
