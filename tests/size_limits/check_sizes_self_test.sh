#!/usr/bin/env bash
# Runs the Python unit tests of tests/size_limits/check_sizes.py and
# tests/size_limits/coverage_check.py.
set -euo pipefail
python3 "$(dirname "$0")/check_sizes_test.py"
python3 "$(dirname "$0")/coverage_check_test.py"
