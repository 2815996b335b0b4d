"$FORGE" "$GOOD" "$TRACE" && printf 'xyz' >>"$TRACE"
