# A good trace with one payload byte changed and the checksum left alone.
"$FORGE" "$GOOD" "$TMP/whole.trace" &&
  sed 's/good/gxod/' "$TMP/whole.trace" >"$TRACE"
