#!/bin/sh
# Runs one shard of a quicsim suite (see //tools:quicsim_suite.bzl). The
# quicsim binary reads TEST_TOTAL_SHARDS / TEST_SHARD_INDEX, touches
# TEST_SHARD_STATUS_FILE and writes failing traces to
# TEST_UNDECLARED_OUTPUTS_DIR itself; its exit status is the verdict.
exec "$@"
