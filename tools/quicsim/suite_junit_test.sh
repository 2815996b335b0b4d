#!/bin/bash
# A suite shard run as `bazel test` runs it (through suite_test.sh, with
# Bazel's test environment): JUnit XML with one test case per seed, failing
# seeds with their message and trace path, --test_filter seed selection
# alone and with sharding, and malformed filters. Python's XML parser reads
# every file.
set -u
QUICSIM="$1"
SUITE="$2"
# The same command line over the fake runner (the default of run()).
QUICSIM_FAKE="$3"
BIN="$QUICSIM_FAKE"
D="tools/quicsim/testdata"
OUT="${TEST_TMPDIR:-/tmp}/junit"
rm -rf "$OUT" && mkdir -p "$OUT"
fail() { echo "FAIL: $*"; exit 1; }

# run NAME SCENARIO [ENV=VALUE...] -- [quicsim flags]: one suite shard with
# its own XML_OUTPUT_FILE and undeclared outputs; sets $rc.
run() {
  local name="$1" scenario="$2"; shift 2
  local envs=()
  while [[ $# -gt 0 && $1 != -- ]]; do envs+=("$1"); shift; done
  shift
  mkdir -p "$OUT/$name/outputs"
  env -u TESTBRIDGE_TEST_ONLY -u TEST_TOTAL_SHARDS -u TEST_SHARD_INDEX \
    XML_OUTPUT_FILE="$OUT/$name/test.xml" \
    TEST_UNDECLARED_OUTPUTS_DIR="$OUT/$name/outputs" \
    TEST_TARGET="//tools/quicsim:$name" "${envs[@]}" \
    "$SUITE" "$BIN" run --scenario="$scenario" --progress=false "$@" \
    >"$OUT/$name/stdout" 2>"$OUT/$name/stderr"
  rc=$?
}

# junit NAME: "seed_N ok|FAIL <message>" per test case, after checking the
# document's counts agree with its test cases.
junit() {
  python3 - "$OUT/$1/test.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites", root.tag
suites = root.findall("testsuite")
assert len(suites) == 1, suites
cases = suites[0].findall("testcase")
fails = [c for c in cases if c.find("failure") is not None]
assert int(suites[0].get("tests")) == len(cases)
assert int(suites[0].get("failures")) == len(fails)
assert int(root.get("failures")) == len(fails)
for c in cases:
    f = c.find("failure")
    assert float(c.get("time")) >= 0
    if f is None:
        print(c.get("name"), "ok")
    else:
        assert "\n" not in f.get("message")
        print(c.get("name"), "FAIL", f.get("message"))
        print("  text:", " | ".join(f.text.strip().split("\n")))
PY
}

# A passing suite: every seed a passing test case.
run clean "$D/fake_clean.textproto" --
[[ $rc == 0 ]] || fail "clean suite exit $rc"
junit clean >"$OUT/clean.txt" || fail "clean XML: $(cat "$OUT/clean.txt")"
[[ $(grep -c ' ok$' "$OUT/clean.txt") == 30 && $(wc -l <"$OUT/clean.txt") == 30 ]] ||
  fail "clean: want 30 passing cases: $(cat "$OUT/clean.txt")"
grep -q "^seed_100 ok$" "$OUT/clean.txt" && grep -q "^seed_129 ok$" "$OUT/clean.txt" ||
  fail "clean: seeds 100..129 expected: $(head -3 "$OUT/clean.txt")"

# A failing suite (the fake breaks some seeds): each failing seed its own
# case with the summary line and the trace path, the others pass.
run lossy "$D/fake_lossy.textproto" --
[[ $rc == 1 ]] || fail "lossy suite exit $rc"
junit lossy >"$OUT/lossy.txt" || fail "lossy XML: $(cat "$OUT/lossy.txt")"
failing=$(sed -n 's/^failing seed //p' "$OUT/lossy/stdout" | sort -n | tr '\n' ' ')
xml_failing=$(sed -n 's/^seed_\([0-9]*\) FAIL.*/\1/p' "$OUT/lossy.txt" | sort -n | tr '\n' ' ')
[[ -n $failing && $failing == "$xml_failing" ]] ||
  fail "failing seeds: stdout '$failing', XML '$xml_failing'"
[[ $(grep -c '^seed_[0-9]* \(ok\|FAIL\)' "$OUT/lossy.txt") == 20 ]] || fail "lossy: want 20 cases"
for s in $failing; do
  line=$(grep "^seed_$s FAIL" "$OUT/lossy.txt")
  [[ $line == *"seed $s: pair "*": verdicts_agree: "* ]] || fail "message: $line"
  want="trace: bazel-testlogs/tools/quicsim/lossy/test.outputs/fake_lossy-seed$s.trace"
  [[ $line == *"$want" ]] || fail "no trace path in: $line"
  [[ -f "$OUT/lossy/outputs/fake_lossy-seed$s.trace" ]] || fail "trace of seed $s missing"
done
grep -q "text: pair .*VIOLATED verdicts_agree.* | trace: .* | replay: .*--test_filter=" "$OUT/lossy.txt" ||
  fail "failure text: $(grep text: "$OUT/lossy.txt" | head -2)"

# The real endpoints on the worked example: the close reaches the peer too late.
BIN="$QUICSIM"
run example scenarios/examples/failing.textproto -- --seeds=3
BIN="$QUICSIM_FAKE"
[[ $rc == 1 ]] || fail "example exit $rc"
junit example >"$OUT/example.txt" || fail "example XML: $(cat "$OUT/example.txt")"
grep -Eq "^seed_1 FAIL seed 1: pair [01]: error_propagation: client closed with 0x12a; the server heard of it after [0-9.]+m?s, bound 100ms \(client CLOSED_SENT 0x12a after [0-9.]+m?s, server CLOSED_RECEIVED 0x12a after [0-9.]+m?s(; [0-9]+ more violations?)?\); trace: bazel-testlogs/tools/quicsim/example/test.outputs/failing-seed1.trace$" \
  "$OUT/example.txt" || fail "example seed 1: $(cat "$OUT/example.txt")"

# --test_filter: exactly the seeds named, whatever the suite's range.
run only17 "$D/fake_lossy.textproto" TESTBRIDGE_TEST_ONLY=17 --
junit only17 >"$OUT/only17.txt" || fail "only17 XML"
[[ $(cut -d' ' -f1 "$OUT/only17.txt" | grep seed_) == seed_17 ]] ||
  fail "--test_filter=17 ran: $(cat "$OUT/only17.txt")"
grep -q "^seeds  *1$" "$OUT/only17/stdout" || fail "summary: $(cat "$OUT/only17/stdout")"
run list "$D/fake_clean.textproto" TESTBRIDGE_TEST_ONLY="3,9,12,100-104,seed_500" --
junit list >"$OUT/list.txt" || fail "list XML"
[[ $(cut -d' ' -f1 "$OUT/list.txt" | tr '\n' ' ') == "seed_3 seed_9 seed_12 seed_100 seed_101 seed_102 seed_103 seed_104 seed_500 " ]] ||
  fail "list filter ran: $(cat "$OUT/list.txt")"

# Filter and shards together: the shards split the filtered seeds.
all=""
for i in 0 1 2; do
  run "shard$i" "$D/fake_clean.textproto" TESTBRIDGE_TEST_ONLY="100-199" \
    TEST_TOTAL_SHARDS=3 TEST_SHARD_INDEX=$i --
  [[ $rc == 0 ]] || fail "shard $i exit $rc"
  junit "shard$i" >"$OUT/shard$i.txt" || fail "shard $i XML"
  all+=$(cut -d' ' -f1 "$OUT/shard$i.txt")$'\n'
done
[[ $(echo "$all" | grep -c seed_) == 100 && $(echo "$all" | grep seed_ | sort -u | wc -l) == 100 ]] ||
  fail "shards did not partition 100-199: $(echo "$all" | wc -l) cases"
[[ $(echo "$all" | grep seed_ | sed "s/seed_//" | sort -n | sed -n '1p;$p' | tr '\n' ' ') == "100 199 " ]] ||
  fail "shard seeds out of range"

# Malformed filters: one line, exit 2, and no XML.
for bad in "abc" "9-3" "1,,2" "-5" "17x"; do
  run bad "$D/fake_clean.textproto" TESTBRIDGE_TEST_ONLY="$bad" --
  [[ $rc == 2 ]] || fail "filter '$bad': exit $rc"
  [[ $(wc -l <"$OUT/bad/stderr") == 1 ]] || fail "filter '$bad': $(cat "$OUT/bad/stderr")"
  grep -q "test_filter" "$OUT/bad/stderr" || fail "filter '$bad': $(cat "$OUT/bad/stderr")"
  rm -rf "$OUT/bad"
done
echo PASS
