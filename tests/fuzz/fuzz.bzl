"""quicsim_fuzz_target: one libFuzzer entry point, built two ways.

  <name>_test    cc_test (gcc, part of `bazel test //...`): feeds every file of
                 corpus/<name>/ plus deterministic pseudo-random mutations of
                 them through LLVMFuzzerTestOneInput (fuzz_driver.cc).
  <name>_fuzzer  cc_binary for libFuzzer (tagged manual): built by
                 tools/fuzz.sh with clang-14 and --config=fuzz, which links
                 -fsanitize=fuzzer and so supplies main().
"""

load("@rules_cc//cc:defs.bzl", "cc_binary", "cc_test")

def quicsim_fuzz_target(name, srcs, deps, mutations = 3000):
    corpus = native.glob(["corpus/%s/**" % name])
    cc_test(
        name = name + "_test",
        srcs = srcs,
        deps = deps + [":fuzz_driver"],
        data = corpus,
        args = [
            "--mutations=%d" % mutations,
            "tests/fuzz/corpus/%s" % name,
        ],
    )
    # Test code: may use testonly helpers (endpoints/testing).
    cc_binary(
        name = name + "_fuzzer",
        testonly = True,
        srcs = srcs,
        deps = deps,
        tags = ["manual"],
    )
