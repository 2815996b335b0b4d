#!/usr/bin/env python3
"""Fails when a production C++ file or function is too long.

Usage: check_sizes.py [--max_file_lines N] [--max_function_lines N]
                      [--files_from=LIST] [--must_include=PATH]... FILE...

--files_from reads more paths from LIST, one a line; with it, an empty set of
files is a finding, and so is a --must_include path that is not in the set
(so a collected set cannot pass vacuously).

A function is a brace block whose header (the text since the previous
statement) has a parameter list and that opens outside any other function;
its length is counted from the line of its opening brace to the line of its
closing brace. Comments, string and character literals (raw strings too) are
ignored, so braces inside them do not count. Prints one line per finding,
"path:line: ...", and exits 1 if there is any.
"""

import argparse
import re
import sys

_SCOPE_KEYWORDS = re.compile(r"\b(namespace|extern|class|struct|union|enum)\b")


def strip(text):
    """Blanks comments and literals, keeping newlines (and so line numbers)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("\n" * text.count("\n", i, j))
            i = j
        elif c == "R" and text.startswith('R"', i) and (
                i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            open_paren = text.find("(", i + 2)
            delim = text[i + 2:open_paren]
            end = text.find(")" + delim + '"', open_paren)
            end = n if end < 0 else end + len(delim) + 2
            out.append('""' + "\n" * text.count("\n", i, end))
            i = end
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(c + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def functions(text):
    """Yields (start_line, end_line) of every outermost function body."""
    code = strip(text)
    stack = []  # (kind, line) per open brace: "func", "scope" or "other"
    header = []
    line = 1
    for c in code:
        if c == "\n":
            line += 1
            header.append(" ")
        elif c == "{":
            in_function = any(kind == "func" for kind, _ in stack)
            h = "".join(header)
            tail = h[h.rfind(")") + 1:] if ")" in h else None
            if in_function:
                kind = "other"
            elif _SCOPE_KEYWORDS.search(h) and "(" not in h:
                kind = "scope"
            elif tail is None or h.rstrip().endswith("="):
                kind = "other"
            elif re.search(r"\w$", h) and re.search(r"[:,]", tail):
                # A member's brace initializer in a constructor's
                # initializer list: the header goes on after it.
                kind = "init"
            else:
                kind = "func"
            stack.append((kind, line))
            if kind != "init":
                header = []
        elif c == "}":
            kind = None
            if stack:
                kind, start = stack.pop()
                if kind == "func" and not any(k == "func" for k, _ in stack):
                    yield start, line
            if kind == "init":
                header.append("{}")
            else:
                header = []
        elif c == ";":
            header = []
        else:
            header.append(c)


def check(path, text, max_file_lines, max_function_lines):
    findings = []
    lines = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
    if lines > max_file_lines:
        findings.append("%s:1: %d lines (limit %d)" % (path, lines, max_file_lines))
    for start, end in functions(text):
        length = end - start + 1
        if length > max_function_lines:
            findings.append("%s:%d: function of %d lines (limit %d)" %
                            (path, start, length, max_function_lines))
    return findings


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("--max_file_lines", type=int, default=900)
    parser.add_argument("--max_function_lines", type=int, default=120)
    parser.add_argument("--files_from")
    parser.add_argument("--must_include", action="append", default=[])
    parser.add_argument("files", nargs="*")
    args = parser.parse_args(argv)
    findings = []
    files = list(args.files)
    if args.files_from:
        with open(args.files_from, encoding="utf-8") as f:
            files += [l.strip() for l in f if l.strip()]
        if not files:
            findings.append("%s: no files to check" % args.files_from)
    for m in args.must_include:
        if m not in files:
            findings.append("%s: not among the files checked" % m)
    for path in files:
        with open(path, encoding="utf-8") as f:
            findings += check(path, f.read(), args.max_file_lines,
                              args.max_function_lines)
    for finding in findings:
        print(finding)
    print("%d files checked: %d over the limits (files %d lines, functions %d)"
          % (len(files), len(findings), args.max_file_lines,
             args.max_function_lines))
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
