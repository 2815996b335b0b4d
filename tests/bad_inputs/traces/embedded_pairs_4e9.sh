# The scenario inside a trace edited to 4e9 pairs (checksum recomputed).
printf 'population { pairs: 4000000000 } seeds { count: 1 } expect { outcome: CONFIRMED }' >"$TMP/p.textproto"
"$FORGE" "$TMP/p.textproto" "$TRACE"
