#!/usr/bin/env bash
# Runs the Python unit test of tools/bench_scale.py and tools/bench_common.py.
set -euo pipefail
exec python3 "$(dirname "$0")/bench_scale_test.py"
