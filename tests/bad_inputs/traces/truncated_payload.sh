# A good trace cut inside its payload.
"$FORGE" "$GOOD" "$TMP/whole.trace" && head -c 150 "$TMP/whole.trace" >"$TRACE"
