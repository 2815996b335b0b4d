#!/usr/bin/env bash
# Runs the Python unit test of tests/size_limits/check_sizes.py.
set -euo pipefail
exec python3 "$(dirname "$0")/check_sizes_test.py"
