mkdir -p "$TRACE"
