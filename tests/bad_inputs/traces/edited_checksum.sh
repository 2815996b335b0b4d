# A good trace whose recorded checksum was edited.
"$FORGE" "$GOOD" "$TMP/whole.trace" &&
  sed '1s/sha256=./sha256=Z/' "$TMP/whole.trace" >"$TRACE"
