# A good trace cut short.
"$FORGE" "$GOOD" "$TMP/whole.trace" && head -c 80 "$TMP/whole.trace" >"$TRACE"
