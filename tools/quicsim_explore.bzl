"""quicsim_explore_test: bounded exhaustive search of a scenario as a test.

Runs `quicsim explore --mode=exhaustive` with K faults on the first N
datagrams of every link; the test fails (exit 1) if any schedule violates
an oracle, leaving one replayable trace per failing schedule in
TEST_UNDECLARED_OUTPUTS_DIR. Shards split the first fault's choices.

Example:
    load("//tools:quicsim_explore.bzl", "quicsim_explore_test")
    quicsim_explore_test(
        name = "clean_explore_test",
        scenario = "//scenarios:clean.textproto",
    )
"""

def quicsim_explore_test(
        name,
        scenario,
        max_faults = 2,
        first_datagrams = 8,
        faults = None,
        shard_count = 1,
        extra_args = [],
        quicsim = "//tools/quicsim:quicsim",
        size = "small",
        tags = [],
        **kwargs):
    """Exhaustive search over `scenario` as an sh_test.

    Args:
      name: test name.
      scenario: the scenario .textproto label.
      max_faults: K.
      first_datagrams: N.
      faults: fault kinds, e.g. "drop,reorder" (default: all four).
      shard_count: Bazel shards.
      extra_args: more quicsim flags.
      quicsim: the quicsim binary label.
      size: test size.
      tags: test tags.
      **kwargs: passed to sh_test.
    """
    args = [
        "$(rootpath %s)" % quicsim,
        "explore",
        "--mode=exhaustive",
        "--scenario=$(rootpath %s)" % scenario,
        "--max_faults=%d" % max_faults,
        "--first_datagrams=%d" % first_datagrams,
        "--progress=false",
    ]
    if faults != None:
        args.append("--faults=%s" % faults)
    native.sh_test(
        name = name,
        srcs = ["//tools/quicsim:suite_test.sh"],
        args = args + extra_args,
        data = [quicsim, scenario],
        shard_count = shard_count,
        size = size,
        tags = tags + ["quicsim_explore"],
        **kwargs
    )
