#!/usr/bin/env bash
# Renders an exported ladder diagram to a PNG with headless Chromium
# (Debian package "chromium", installed by tools/bootstrap.sh):
#   tools/export/screenshot.sh LADDER.html OUT.png [WIDTH,HEIGHT]
# The pictures in docs/: the worked example's failing pair (see
# scenarios/examples/README.md for the trace),
#   quicsim export /tmp/qs-traces/failing-seed1.min.trace
#   tools/export/screenshot.sh /tmp/qs-traces/failing-seed1.min.html \
#     docs/ladder.png 1420,1260
# and an ALPN mismatch closed with 0x178:
#   bazel run //tools/export:export_demo -- alpn_mismatch /tmp/alpn
#   tools/export/screenshot.sh /tmp/alpn.html docs/ladder_close.png 1420,1600
set -euo pipefail
html=$(realpath "$1")
png=$(realpath -m "$2")
size=${3:-1220,900}
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --hide-scrollbars --window-size="$size" \
  --screenshot="$png" "file://$html" 2>/dev/null
test -s "$png"
