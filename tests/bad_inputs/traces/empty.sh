: >"$TRACE"
