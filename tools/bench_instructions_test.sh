#!/usr/bin/env bash
# Runs the Python unit test of tools/bench_instructions.py.
set -euo pipefail
exec python3 "$(dirname "$0")/bench_instructions_test.py"
