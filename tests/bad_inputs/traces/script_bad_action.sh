# A scripted decision with an action the schema does not name.
"$FORGE" "$GOOD" "$TRACE" 9 0 0
