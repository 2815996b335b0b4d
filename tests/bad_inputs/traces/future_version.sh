printf 'quicsim-trace v9 len=0 sha256=x\n' >"$TRACE"
