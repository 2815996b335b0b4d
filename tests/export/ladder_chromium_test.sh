#!/bin/bash
# The ladder diagram of the worked example's failing pair in headless
# Chromium: the page's script runs without error (it marks <body
# data-ladder="ok">), and a screenshot is not blank. Skips (exit 0) only
# when Debian's chromium is not installed (tools/bootstrap.sh installs it).
set -u
QUICSIM="$1"
OUT="${TEST_TMPDIR:-/tmp}/ladder"
rm -rf "$OUT" && mkdir -p "$OUT"
fail() { echo "FAIL: $*"; exit 1; }

CHROMIUM=$(command -v chromium || true)
if [[ -z $CHROMIUM ]]; then
  echo "SKIPPED: chromium is not installed (tools/bootstrap.sh installs it)"
  exit 0
fi

"$QUICSIM" run --scenario=scenarios/examples/failing.textproto --seeds=1 \
  --trace_dir="$OUT" --progress=false >"$OUT/run.txt"
[[ $? == 1 ]] || fail "the worked example should fail: $(cat "$OUT/run.txt")"
"$QUICSIM" export "$OUT/failing-seed1.trace" >"$OUT/export.txt" || fail "export"
HTML="$OUT/failing-seed1.html"
[[ -s $HTML ]] || fail "no ladder diagram"

chrome() {
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --no-first-run --disable-background-networking --disable-component-update \
    --disable-sync --user-data-dir="$OUT/profile" --hide-scrollbars "$@" \
    2>>"$OUT/chromium.log"
}

# The DOM after the script ran.
chrome --dump-dom "file://$HTML" >"$OUT/dom.html" || fail "chromium --dump-dom: $(tail -5 "$OUT/chromium.log")"
grep -q '<body[^>]* data-ladder="ok"' "$OUT/dom.html" ||
  fail "the page's script did not finish: $(grep -o '<body[^>]*>' "$OUT/dom.html")"
grep -q '<body[^>]* data-ladder-error=' "$OUT/dom.html" &&
  fail "script error: $(grep -o '<body[^>]*>' "$OUT/dom.html")"
# The failing pair is the one shown; the others are hidden.
python3 - "$OUT/dom.html" <<'PY' || fail "pair selection"
import re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
shown = re.findall(r'<div class="pair" data-pair="([^"]+)"(?! hidden)>', dom)
hidden = re.findall(r'<div class="pair" data-pair="([^"]+)" hidden', dom)
assert shown == ["pair/1"], (shown, hidden)
assert hidden == ["pair/0"], hidden
for want in ["ClientHello", "ServerHello", "EncryptedExtensions", "Certificate",
             "CertificateVerify", "Finished", "PTO #1 fired", "handshake keys",
             "CONNECTION_CLOSE 0x12a bad_certificate",
             "CONNECTION_CLOSE received 0x12a bad_certificate",
             "VERDICT closed_sent 0x12a bad_certificate",
             "VERDICT closed_received 0x12a bad_certificate"]:
    assert want in dom, want
PY

# A screenshot that is not blank: many non-white pixels, several colours.
chrome --window-size=1420,1100 --screenshot="$OUT/ladder.png" "file://$HTML" ||
  fail "chromium --screenshot: $(tail -5 "$OUT/chromium.log")"
python3 - "$OUT/ladder.png" <<'PY' || fail "blank or unreadable screenshot"
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, width = 8, b"", 0
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        width, height, depth, colour = struct.unpack(">IIBB", body[:10])
        assert depth == 8 and colour in (2, 6), (depth, colour)
        bpp = 3 if colour == 2 else 4
    elif kind == b"IDAT":
        idat += body
    pos += 12 + length
raw = zlib.decompress(idat)
stride = width * bpp
prev = bytearray(stride)
nonwhite, colours = 0, set()
for y in range(height):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    if y % 4 == 0:
        for x in range(0, width, 2):
            px = bytes(line[x * bpp:x * bpp + 3])
            if px != b"\xff\xff\xff":
                nonwhite += 1
                colours.add(px)
    prev = line
sampled = (height // 4) * (width // 2)
print("screenshot %dx%d: %.1f%% non-white, %d colours" % (width, height, 100.0 * nonwhite / sampled, len(colours)))
assert nonwhite > sampled * 0.01, "almost blank"
assert len(colours) > 20, "too few colours"
PY
echo PASS
