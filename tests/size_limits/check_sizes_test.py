#!/usr/bin/env python3
"""Self-test of check_sizes.py: it catches what it must and nothing else."""

import contextlib
import io
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_sizes  # noqa: E402


def function(name, body_lines, indent=""):
    """A function whose body spans body_lines lines from '{' to '}'."""
    inner = [indent + "  x += %d;  // }{ in a comment" % i
             for i in range(body_lines - 2)]
    return "\n".join([indent + "int %s(int x) {" % name] + inner +
                     [indent + "}"]) + "\n"


def run(text, **limits):
    return check_sizes.check("f.cc", text, limits.get("files", 900),
                             limits.get("functions", 120))


class CheckSizesTest(unittest.TestCase):

    def test_function_at_the_limit_passes_one_over_fails(self):
        self.assertEqual(run(function("ok", 120)), [])
        findings = run("namespace a {\n" + function("long", 121) + "}\n")
        self.assertEqual(findings,
                         ["f.cc:2: function of 121 lines (limit 120)"])

    def test_member_functions_and_constructors(self):
        text = ("class A {\n public:\n" + function("M", 121, "  ") +
                "};\n" + "A::A(int y) : y_(y), z_{y} {\n" +
                "  y_ = 1;\n" * 130 + "}\n")
        findings = run(text)
        self.assertEqual(len(findings), 2, findings)
        self.assertTrue(findings[0].startswith("f.cc:3: function of 121"))
        self.assertIn("function of 132 lines", findings[1])

    def test_lambdas_and_blocks_count_towards_their_function(self):
        inner = "  auto f = [&](int a) {\n" + "    a++;\n" * 60 + "  };\n"
        inner += "  if (x) {\n" + "    x++;\n" * 60 + "  }\n"
        findings = run("void F(int x) {\n" + inner + "}\n")
        self.assertEqual(len(findings), 1, findings)
        self.assertIn("f.cc:1: function of", findings[0])

    def test_braces_in_literals_and_comments_are_ignored(self):
        text = ('const char* s = "{{{";\n'
                "char c = '{';\n"
                "/* { */\n"
                'const char* r = R"pb(\n{\n{\n)pb";\n' +
                function("ok", 120))
        self.assertEqual(run(text), [])

    def test_aggregates_and_scopes_are_not_functions(self):
        text = ("namespace {\nconst int kTable[] = {\n" + "  1,\n" * 200 +
                "};\nstruct S {\n" + "  int a;\n" * 200 + "};\n}\n")
        self.assertEqual(run(text), [])

    def test_long_file(self):
        self.assertEqual(run("int a;\n" * 900), [])
        self.assertEqual(run("int a;\n" * 901),
                         ["f.cc:1: 901 lines (limit 900)"])

    def test_files_from_must_not_be_empty_and_must_include(self):
        with tempfile.TemporaryDirectory() as tmp:
            ok = os.path.join(tmp, "ok.cc")
            with open(ok, "w") as f:
                f.write(function("ok", 10))
            empty = os.path.join(tmp, "empty.txt")
            listed = os.path.join(tmp, "listed.txt")
            open(empty, "w").close()
            with open(listed, "w") as f:
                f.write(ok + "\n")

            def main(*argv):
                with contextlib.redirect_stdout(io.StringIO()) as out:
                    return check_sizes.main(list(argv)), out.getvalue()

            code, out = main("--files_from=" + empty)
            self.assertEqual(code, 1)
            self.assertIn("no files to check", out)
            self.assertEqual(main("--files_from=" + listed,
                                  "--must_include=" + ok)[0], 0)
            code, out = main("--files_from=" + listed,
                             "--must_include=sim/link.cc")
            self.assertEqual(code, 1)
            self.assertIn("sim/link.cc: not among the files checked", out)


if __name__ == "__main__":
    unittest.main()
