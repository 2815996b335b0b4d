"""quicsim_suite_test: a scenario file as a sharded Bazel test.

Each shard runs `quicsim run` on its slice of the seeds (seed ordinal i runs
on shard i % TEST_TOTAL_SHARDS; the binary touches TEST_SHARD_STATUS_FILE),
so all shards together run every seed exactly once. Traces of failing seeds
go to TEST_UNDECLARED_OUTPUTS_DIR (bazel-testlogs/.../test.outputs/). The
seed base comes from `seed_base`, else `--test_env=QUICSIM_SEED_BASE=N`,
else the scenario file. Each shard writes JUnit XML to XML_OUTPUT_FILE (one
test case "seed_<n>" per seed, failing ones with their summary line and
trace path), and --test_filter (TESTBRIDGE_TEST_ONLY) picks seeds: "17",
"3,9,12", "100-199".

Example:
    load("//tools:quicsim_suite.bzl", "quicsim_suite_test")
    quicsim_suite_test(
        name = "handshake_loss_test",
        scenario = "handshake_loss.textproto",
        shard_count = 4,
        seeds = 2000,
    )
"""

def quicsim_suite_test(
        name,
        scenario,
        shard_count = 1,
        seeds = None,
        seed_base = None,
        pairs = None,
        check_determinism = False,
        extra_args = [],
        quicsim = "//tools/quicsim:quicsim",
        size = "medium",
        tags = [],
        **kwargs):
    """Runs `scenario` with the quicsim binary as a sharded sh_test.

    Args:
      name: test name.
      scenario: the scenario .textproto label.
      shard_count: Bazel shards; each runs a disjoint slice of the seeds.
      seeds: number of seeds (default: the scenario's seeds.count).
      seed_base: first seed (default: $QUICSIM_SEED_BASE, else the scenario's).
      pairs: pairs per seed (default: the scenario's population.pairs).
      check_determinism: run each seed twice and compare digests.
      extra_args: more quicsim flags.
      quicsim: the quicsim binary label.
      size: test size.
      tags: test tags.
      **kwargs: passed to sh_test.
    """
    args = [
        "$(rootpath %s)" % quicsim,
        "run",
        "--scenario=$(rootpath %s)" % scenario,
        "--progress=false",
        # A failing seed leaves its trace and a pcap, keylog, qlog and
        # ladder diagram in the test's undeclared outputs.
        "--export",
    ]
    if seeds != None:
        args.append("--seeds=%d" % seeds)
    if seed_base != None:
        args.append("--seed_base=%d" % seed_base)
    if pairs != None:
        args.append("--pairs=%d" % pairs)
    if check_determinism:
        args.append("--check_determinism")
    native.sh_test(
        name = name,
        srcs = ["//tools/quicsim:suite_test.sh"],
        args = args + extra_args,
        data = [quicsim, scenario],
        shard_count = shard_count,
        size = size,
        tags = tags + ["quicsim_suite"],
        **kwargs
    )
