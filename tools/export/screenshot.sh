#!/usr/bin/env bash
# Renders an exported ladder diagram to a PNG with headless Chromium
# (Debian package "chromium"; not needed by any test):
#   tools/export/screenshot.sh LADDER.html OUT.png [WIDTH,HEIGHT]
# Example, the picture in docs/ladder.png:
#   bazel run //tools/export:export_demo -- impaired /tmp/impaired
#   tools/export/screenshot.sh /tmp/impaired.html docs/ladder.png
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
