#!/usr/bin/env python3
"""Fails when a production C++ file escapes the size-limit test.

Usage: coverage_check.py --files_from=LIST --testonly_from=LIST --dir=D...
                         [--must_include=PATH]...

LIST files hold workspace-relative paths, one a line: the sources the
production_sizes_test aspect collected, and those of testonly targets. The
source tree is found behind the runfiles: the first collected path is a
symlink into it. Every .cc/.h file under each --dir of that tree must be
collected, be a *_test.cc (a unit test), or belong to a testonly target;
anything else is reported, as is a collected set without a --must_include
path. Exits 1 on a finding, 2 if the source tree cannot be found.
"""

import argparse
import os
import sys


def read_list(path):
    with open(path, encoding="utf-8") as f:
        return [line.strip() for line in f if line.strip()]


def source_root(relative):
    """The source tree's root behind the runfile `relative`, or None."""
    real = os.path.realpath(relative)
    suffix = os.sep + relative
    if real == os.path.abspath(relative) or not real.endswith(suffix):
        return None
    root = real[:-len(suffix)]
    return root if os.path.isfile(os.path.join(root, "WORKSPACE")) else None


def tree_files(root, dirs):
    """Workspace-relative .cc/.h paths under `dirs` of `root`, sorted."""
    found = []
    for d in dirs:
        for parent, subdirs, names in os.walk(os.path.join(root, d)):
            subdirs[:] = sorted(s for s in subdirs if not s.startswith("."))
            for name in names:
                if name.endswith((".cc", ".h")):
                    found.append(os.path.relpath(os.path.join(parent, name),
                                                 root))
    return sorted(found)


def uncovered(tree, collected, testonly):
    collected, testonly = set(collected), set(testonly)
    return [p for p in tree if p not in collected and p not in testonly and
            not p.endswith("_test.cc")]


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("--files_from", required=True)
    parser.add_argument("--testonly_from", required=True)
    parser.add_argument("--dir", action="append", default=[])
    parser.add_argument("--must_include", action="append", default=[])
    args = parser.parse_args(argv)
    collected = read_list(args.files_from)
    testonly = read_list(args.testonly_from)
    findings = ["%s: not collected from the roots" % m
                for m in args.must_include if m not in collected]
    if not collected:
        print("%s: no files collected" % args.files_from)
        return 1
    root = source_root(collected[0])
    if root is None:
        print("cannot find the source tree behind runfile %s" % collected[0])
        return 2
    tree = tree_files(root, args.dir)
    for path in uncovered(tree, collected, testonly):
        findings.append(
            "%s: production source not reached by the size-limit test's "
            "roots (add its binary to the roots, or make its target "
            "testonly and list it in testonly_roots)" % path)
    for finding in findings:
        print(finding)
    print("%d source files under %s: %d checked, %d of testonly targets, "
          "%d unit tests, %d uncovered" %
          (len(tree), ", ".join(args.dir), len(set(collected) & set(tree)),
           len(set(testonly) & set(tree)),
           sum(p.endswith("_test.cc") for p in tree), len(findings)))
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
