# DUPLICATE with four billion copies.
"$FORGE" "$GOOD" "$TRACE" 2 4000000000 0
