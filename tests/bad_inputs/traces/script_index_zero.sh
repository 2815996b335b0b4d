# A scripted DROP on datagram 0: links count datagrams from 1, so it would
# silently never apply.
"$FORGE" "$GOOD" "$TRACE" 1 0 0 0
