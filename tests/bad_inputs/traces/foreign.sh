echo "not a trace" >"$TRACE"
