"""production_sizes_test: the size limits over every production C++ source.

An aspect walks the `deps` of the given roots and collects the .cc/.h source
files (`srcs`, `hdrs`, `textual_hdrs`) of every cc_library and cc_binary it
reaches. Generated files (protobuf) and external repositories are skipped;
files of testonly targets are collected apart, as exclusions, so that the
coverage check (`mode = "coverage"`) can tell a testonly file from one that
no root reaches. Test rules (cc_test) are never collected.

mode "sizes": tests/size_limits/check_sizes.py over the collected files under
`dirs`; fails on a file or function over the limits, on an empty set, and if
a `must_include` file is missing (so it cannot pass vacuously).

mode "coverage": walks the source tree behind the runfiles (see
coverage_check.py) and fails if a .cc/.h file under `dirs` is neither
collected, nor a *_test.cc, nor a file of a testonly target, so a new
production file outside the roots' reach cannot escape the limits silently.
"""

_Sources = provider(fields = {
    "production": "depset of source Files of non-testonly cc targets",
    "testonly": "depset of source Files of testonly cc targets",
})

_EDGE_ATTRS = ["deps", "implementation_deps"]
_SRC_ATTRS = ["srcs", "hdrs", "textual_hdrs"]
_KINDS = ["cc_library", "cc_binary"]

def _own_sources(ctx):
    files = []
    for attr in _SRC_ATTRS:
        for src in getattr(ctx.rule.attr, attr, []):
            if type(src) != "Target":
                continue
            for f in src.files.to_list():
                if (f.is_source and f.owner.workspace_root == "" and
                    (f.extension == "cc" or f.extension == "h")):
                    files.append(f)
    return files

def _collect_impl(target, ctx):
    production = []
    testonly = []
    for attr in _EDGE_ATTRS:
        for dep in getattr(ctx.rule.attr, attr, []):
            if type(dep) == "Target" and _Sources in dep:
                production.append(dep[_Sources].production)
                testonly.append(dep[_Sources].testonly)
    own = _own_sources(ctx) if ctx.rule.kind in _KINDS else []
    is_testonly = getattr(ctx.rule.attr, "testonly", False)
    return [_Sources(
        production = depset([] if is_testonly else own, transitive = production),
        testonly = depset(own if is_testonly else [], transitive = testonly),
    )]

_collect = aspect(
    implementation = _collect_impl,
    attr_aspects = _EDGE_ATTRS,
)

def _under(path, dirs):
    for d in dirs:
        if path.startswith(d + "/"):
            return True
    return False

def _production_sizes_test_impl(ctx):
    production = depset(transitive = [r[_Sources].production for r in ctx.attr.roots])
    testonly = depset(transitive = [
        r[_Sources].testonly
        for r in ctx.attr.roots + ctx.attr.testonly_roots
    ])
    files = [f for f in production.to_list() if _under(f.short_path, ctx.attr.dirs)]
    excluded = [f for f in testonly.to_list() if _under(f.short_path, ctx.attr.dirs)]
    manifest = ctx.actions.declare_file(ctx.label.name + ".files")
    ctx.actions.write(manifest, "".join([f.short_path + "\n" for f in files]))
    excluded_manifest = ctx.actions.declare_file(ctx.label.name + ".testonly_files")
    ctx.actions.write(excluded_manifest, "".join([f.short_path + "\n" for f in excluded]))

    checker = ctx.file._checker if ctx.attr.mode == "sizes" else ctx.file._coverage
    args = ["--files_from=" + manifest.short_path]
    if ctx.attr.mode == "sizes":
        args += [
            "--max_file_lines=%d" % ctx.attr.max_file_lines,
            "--max_function_lines=%d" % ctx.attr.max_function_lines,
        ]
    elif ctx.attr.mode == "coverage":
        args += ["--testonly_from=" + excluded_manifest.short_path]
        args += ["--dir=" + d for d in ctx.attr.dirs]
    else:
        fail("mode must be \"sizes\" or \"coverage\"")
    args += ["--must_include=" + m for m in ctx.attr.must_include]
    command = "python3 %s %s" % (checker.short_path, " ".join(["'%s'" % a for a in args]))
    if ctx.attr.expect_limit_exceeded:
        body = ("set +e\n%s\ncode=$?\n" % command +
                "if [ $code -eq 1 ]; then echo 'failed, as expected'; exit 0; fi\n" +
                "echo \"expected the check to fail (exit 1), got exit $code\"; exit 1\n")
    else:
        body = "exec %s\n" % command
    script = ctx.actions.declare_file(ctx.label.name + ".sh")
    ctx.actions.write(script, "#!/bin/sh\n" + body, is_executable = True)
    runfiles = ctx.runfiles(files = files + excluded + [manifest, excluded_manifest, checker])
    return [DefaultInfo(executable = script, runfiles = runfiles)]

production_sizes_test = rule(
    implementation = _production_sizes_test_impl,
    test = True,
    attrs = {
        "roots": attr.label_list(
            aspects = [_collect],
            doc = "Targets whose transitive cc sources are production code.",
        ),
        "testonly_roots": attr.label_list(
            aspects = [_collect],
            doc = "Testonly targets: their sources are excluded, with a reason in the BUILD file.",
        ),
        "dirs": attr.string_list(doc = "Top directories in scope, e.g. \"sim\"."),
        "mode": attr.string(default = "sizes"),
        "max_file_lines": attr.int(default = 900),
        "max_function_lines": attr.int(default = 120),
        "must_include": attr.string_list(
            doc = "Files that must be in the collected set, so the test cannot pass vacuously.",
        ),
        "expect_limit_exceeded": attr.bool(
            doc = "Pass only if the check fails (a test of the rule itself).",
        ),
        "_checker": attr.label(
            default = "//tests/size_limits:check_sizes.py",
            allow_single_file = True,
        ),
        "_coverage": attr.label(
            default = "//tests/size_limits:coverage_check.py",
            allow_single_file = True,
        ),
    },
)
