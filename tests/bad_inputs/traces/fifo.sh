rm -f "$TRACE" && mkfifo "$TRACE"
