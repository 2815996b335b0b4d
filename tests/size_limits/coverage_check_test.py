#!/usr/bin/env python3
"""Self-test of coverage_check.py: an uncovered production file fails it."""

import contextlib
import io
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import coverage_check  # noqa: E402


def write(path, text=""):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


class CoverageCheckTest(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        base = self.tmp.name
        self.src = os.path.join(base, "src")
        write(os.path.join(self.src, "WORKSPACE"))
        for f in ["sim/a.cc", "sim/a.h", "sim/a_test.cc", "sim/sub/b.cc",
                  "tools/fake.cc", "tools/notes.md", "tests/x.cc"]:
            write(os.path.join(self.src, f))
        # A runfiles tree of symlinks into the source tree, as Bazel makes.
        self.runfiles = os.path.join(base, "runfiles")
        os.makedirs(os.path.join(self.runfiles, "sim"))
        os.symlink(os.path.join(self.src, "sim/a.cc"),
                   os.path.join(self.runfiles, "sim/a.cc"))
        self.cwd = os.getcwd()
        os.chdir(self.runfiles)

    def tearDown(self):
        os.chdir(self.cwd)
        self.tmp.cleanup()

    def run_main(self, collected, testonly, must=()):
        write("collected.txt", "".join(p + "\n" for p in collected))
        write("testonly.txt", "".join(p + "\n" for p in testonly))
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = coverage_check.main(
                ["--files_from=collected.txt", "--testonly_from=testonly.txt",
                 "--dir=sim", "--dir=tools"] +
                ["--must_include=" + m for m in must])
        return code, out.getvalue()

    def test_finds_the_source_tree_behind_a_runfile(self):
        self.assertEqual(coverage_check.source_root("sim/a.cc"),
                         os.path.realpath(self.src))

    def test_everything_covered_passes(self):
        code, out = self.run_main(
            ["sim/a.cc", "sim/a.h", "sim/sub/b.cc"], ["tools/fake.cc"],
            must=["sim/a.cc"])
        self.assertEqual(code, 0, out)
        self.assertIn("5 source files under sim, tools: 3 checked, 1 of "
                      "testonly targets, 1 unit tests, 0 uncovered", out)

    def test_a_file_in_a_new_subpackage_is_reported(self):
        code, out = self.run_main(["sim/a.cc", "sim/a.h"], ["tools/fake.cc"])
        self.assertEqual(code, 1)
        self.assertIn("sim/sub/b.cc: production source not reached", out)
        self.assertNotIn("tests/x.cc", out)
        self.assertNotIn("a_test.cc", out)

    def test_a_missing_required_file_fails(self):
        code, out = self.run_main(
            ["sim/a.cc", "sim/a.h", "sim/sub/b.cc"], ["tools/fake.cc"],
            must=["sim/link.cc"])
        self.assertEqual(code, 1)
        self.assertIn("sim/link.cc: not collected", out)

    def test_no_source_tree_is_an_error_not_a_pass(self):
        write("sim/copy.cc")  # a plain file: no tree behind it
        code, out = self.run_main(["sim/copy.cc"], [])
        self.assertEqual(code, 2, out)


if __name__ == "__main__":
    unittest.main()
