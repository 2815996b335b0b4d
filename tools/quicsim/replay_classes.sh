#!/bin/bash
# Determinism classes end to end (design rule 4). For every class scenario
# in CLASS_DIR (each names its level on a "# level: BYTE_LEVEL" or
# "# level: EVENT_LEVEL" line):
#   1. RECORDER runs it with --check_determinism, which must pass (every
#      seed twice: events digest equal, and the wire digest too for a
#      byte-level class);
#   2. RECORDER runs a failing variant (the expectation inverted), writing a
#      trace per seed, which must say the class's level;
#   3. REPLAYER replays every trace: "REPRODUCES byte for byte" for a
#      byte-level class, "REPRODUCES event for event" for an event-level one.
# RECORDER and REPLAYER are quicsim binaries: the same one for the unit
# test, a -c dbg and a -c opt build for tools/crossbuild_check.sh.
#
#   replay_classes.sh RECORDER REPLAYER CLASS_DIR [OUT_DIR]
set -u
RECORDER="$1"
REPLAYER="$2"
CLASS_DIR="$3"
OUT="${4:-${TEST_TMPDIR:-/tmp}/replay_classes}"
mkdir -p "$OUT"
fail() { echo "FAIL: $*"; exit 1; }

classes=0
for scenario in "$CLASS_DIR"/*.textproto; do
  name=$(basename "$scenario" .textproto)
  level=$(sed -n 's/^# level: \([A-Z_]*\).*/\1/p' "$scenario")
  [[ $level == BYTE_LEVEL || $level == EVENT_LEVEL ]] ||
    fail "$scenario: no '# level:' line"
  "$RECORDER" run --progress=false --check_determinism \
    --scenario="$scenario" >"$OUT/$name.check" 2>&1 ||
    { cat "$OUT/$name.check"; fail "$name: --check_determinism"; }
  # The failing variant: the same runs judged against the opposite outcome.
  failing="$OUT/$name.failing.textproto"
  sed -e 's/expect { outcome: CLOSED error_codes: [0-9a-fx]* }/@CONFIRMED@/' \
      -e 's/expect { outcome: CONFIRMED }/expect { outcome: CLOSED error_codes: 0x1 }/' \
      -e 's/@CONFIRMED@/expect { outcome: CONFIRMED }/' \
      "$scenario" >"$failing"
  rm -rf "$OUT/$name.traces"
  "$RECORDER" run --progress=false --scenario="$failing" \
    --trace_dir="$OUT/$name.traces" >"$OUT/$name.run" 2>&1
  [[ $? == 1 ]] || { cat "$OUT/$name.run"; fail "$name: the failing variant did not fail"; }
  traces=0
  for t in "$OUT/$name.traces"/*.trace; do
    [[ -e $t ]] || break
    "$RECORDER" trace print "$t" | grep -q "^determinism: $level\$" ||
      fail "$name: $t is not $level"
    "$REPLAYER" replay "$t" >"$OUT/$name.replay" 2>&1 ||
      { cat "$OUT/$name.replay"; fail "$name: replay of $t"; }
    if [[ $level == BYTE_LEVEL ]]; then
      want="REPRODUCES byte for byte"
    else
      want="REPRODUCES event for event"
    fi
    grep -q "$want" "$OUT/$name.replay" ||
      { cat "$OUT/$name.replay"; fail "$name: $t: want '$want'"; }
    traces=$((traces + 1))
  done
  [[ $traces -gt 0 ]] || fail "$name: no traces written"
  echo "$name: $level, --check_determinism passes, $traces traces replay"
  classes=$((classes + 1))
done
[[ $classes -gt 0 ]] || fail "no class scenarios in $CLASS_DIR"
echo "PASS: $classes classes"
