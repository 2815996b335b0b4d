#!/bin/bash
# The bad-input corpus, checked against the exit-code contract: every entry
# names its expected exit code and its exact one-line message (stderr for
# exit 2, which must be that one line and nothing else; for exit 0 or 1 a
# line that stdout must contain).
#
#   scenarios/NAME.textproto  `quicsim run --scenario=NAME.textproto`; then
#                             the same scenario forged into a well-formed
#                             trace must be refused by replay, shrink, export
#                             and trace print with the same field path.
#   args/NAME.args            `quicsim ARGS` (one line; $GOOD, $TMP, $C
#                             expanded).
#   traces/NAME.sh            a recipe that writes $TMP/NAME.trace; then
#                             replay, shrink, export and trace print of it.
#   NAME.expected             line 1: exit code; line 2: the message ($IN is
#                             the input path, $TMP the scratch directory).
set -u
QUICSIM="$1"
FORGE="$2"
C=tests/bad_inputs
GOOD="$C/good.textproto"
TMP="${TEST_TMPDIR:-/tmp}/bad_inputs"
rm -rf "$TMP" && mkdir -p "$TMP"
failures=0
checked=0

fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

expand() {
  local s="$1"
  s="${s//\$IN/$2}"
  s="${s//\$TMP/$TMP}"
  s="${s//\$GOOD/$GOOD}"
  s="${s//\$C/$C}"
  printf '%s' "$s"
}

# check LABEL WANT_CODE WANT_MESSAGE COMMAND...
check() {
  local label="$1" want_code="$2" want="$3"
  shift 3
  checked=$((checked + 1))
  "$@" >"$TMP/stdout" 2>"$TMP/stderr" </dev/null
  local code=$?
  if [[ "$code" != "$want_code" ]]; then
    fail "$label: exit $code, want $want_code: $(head -c 300 "$TMP/stderr")"
    return
  fi
  if [[ "$want_code" == 2 ]]; then
    local lines
    lines=$(wc -l <"$TMP/stderr")
    [[ "$lines" == 1 ]] || { fail "$label: $lines lines on stderr, want 1: $(head -c 300 "$TMP/stderr")"; return; }
    local got
    got=$(cat "$TMP/stderr")
    [[ "$got" == "$want" ]] || fail "$label: stderr
   got: $got
  want: $want"
  elif [[ -n "$want" ]]; then
    grep -qF -- "$want" "$TMP/stdout" || fail "$label: stdout lacks \"$want\": $(head -c 300 "$TMP/stdout")"
  fi
}

read_expected() {
  local exp="$1"
  [[ -f "$exp" ]] || { fail "$exp missing"; return 1; }
  WANT_CODE=$(sed -n 1p "$exp")
  WANT_MSG=$(sed -n 2p "$exp")
}

# The trace-reading commands must all give the same verdict: replay always,
# then shrink, export and trace print (all of them, or with ONE=k only the
# k-th, to keep the test fast: the embedded scenarios rotate through them).
check_trace() {
  local label="$1" trace="$2" code="$3" msg="$4" one="${5:-}"
  check "$label: replay" "$code" "$msg" "$QUICSIM" replay "$trace"
  [[ -z "$one" || "$one" == 0 ]] &&
    check "$label: shrink" "$code" "$msg" "$QUICSIM" shrink --output="$TMP/min.trace" "$trace"
  [[ -z "$one" || "$one" == 1 ]] &&
    check "$label: export" "$code" "$msg" "$QUICSIM" export --out="$TMP/export" "$trace"
  [[ -z "$one" || "$one" == 2 ]] &&
    check "$label: trace print" "$code" "$msg" "$QUICSIM" trace print "$trace"
  if ls "$TMP" | grep -q "^export\|^min.trace\|\.tmp"; then
    fail "$label: output left behind: $(ls "$TMP")"
    rm -f "$TMP"/export* "$TMP"/min.trace*
  fi
}

n=0
for f in "$C"/scenarios/*.textproto; do
  n=$((n + 1))
  name=$(basename "$f" .textproto)
  read_expected "$C/scenarios/$name.expected" || continue
  msg=$(expand "$WANT_MSG" "$f")
  check "$name" "$WANT_CODE" "$msg" "$QUICSIM" run --progress=false --scenario="$f"
  # The same scenario inside a trace is validated exactly like the file.
  if [[ "$WANT_CODE" == 2 && "$msg" == "quicsim: $f: "* ]]; then
    trace="$TMP/$name.trace"
    "$FORGE" "$f" "$trace"
    rc=$?
    [[ $rc == 3 ]] && continue  # not parseable: no trace can hold it
    [[ $rc == 0 ]] || { fail "$name: trace_forge exit $rc"; continue; }
    want="quicsim: $trace: embedded scenario: ${msg#"quicsim: $f: "}"
    # A string that is not UTF-8 makes the whole payload unparseable.
    [[ "$msg" == *"is not valid UTF-8" ]] &&
      want="quicsim: $trace: corrupt trace: the payload does not parse as a trace (wrong structure, or a string that is not UTF-8)"
    check_trace "$name (embedded)" "$trace" 2 "$want" $((n % 3))
  fi
done

for f in "$C"/args/*.args; do
  name=$(basename "$f" .args)
  read_expected "$C/args/$name.expected" || continue
  args=$(expand "$(cat "$f")" "")
  # shellcheck disable=SC2086
  check "$name" "$WANT_CODE" "$(expand "$WANT_MSG" "")" "$QUICSIM" $args
done

for f in "$C"/traces/*.sh; do
  name=$(basename "$f" .sh)
  read_expected "$C/traces/$name.expected" || continue
  trace="$TMP/$name.trace"
  TMP="$TMP" GOOD="$GOOD" FORGE="$FORGE" QUICSIM="$QUICSIM" TRACE="$trace" bash "$f" ||
    { fail "$name: recipe failed"; continue; }
  check_trace "$name" "$trace" "$WANT_CODE" "$(expand "$WANT_MSG" "$trace")"
done

echo "$checked checks, $failures failures"
[[ $failures == 0 && $checked -gt 100 ]] || exit 1
echo PASS
