# Checksum right, payload not a Trace message.
p='\xff\xff\xff\xff'
sum=$(printf "$p" | sha256sum | cut -d' ' -f1)
{ printf 'quicsim-trace v1 len=4 sha256=%s\n' "$sum"; printf "$p"; } >"$TRACE"
