#!/bin/bash
# Every mutant patch still applies to the tree (tools/mutants.sh fails on a
# patch that does not): patch --dry-run against the sources in runfiles.
set -u
status=0
n=0
# Runfiles are symlinks, which patch refuses: work on copies.
tree="${TEST_TMPDIR:-$(mktemp -d)}/tree"
mkdir -p "$tree/endpoints" "$tree/tls"
cp -L endpoints/*.cc endpoints/*.h "$tree/endpoints/"
cp -L tls/*.cc "$tree/tls/"
for p in tests/mutants/*.patch; do
  n=$((n + 1))
  if ! (cd "$tree" && patch -p1 --dry-run --silent --force) < "$p" \
      > "$tree/log" 2>&1; then
    echo "DOES NOT APPLY: $p"
    cat "$tree/log"
    status=1
  fi
done
[ "$n" -ge 12 ] || { echo "expected at least 12 mutants, found $n"; status=1; }
[ $status -eq 0 ] && echo "all $n mutants apply"
exit $status
