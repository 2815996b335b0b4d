"""layers_test: fails when a target of a lower layer depends on a package it must not.

The layers are sim <- tls <- endpoints <- scenarios <- tools (see
docs/architecture.md). Package visibility already stops most upward
dependencies at build time; this test walks the full transitive closure
(deps, srcs, hdrs, data) of each lower layer's libraries and names every
forbidden package it reaches, so a widened visibility list cannot hide one.
"""

_TransitiveLabels = provider(fields = ["labels"])

_EDGE_ATTRS = ["deps", "srcs", "hdrs", "data", "implementation_deps"]

def _collect_impl(target, ctx):
    transitive = []
    for attr in _EDGE_ATTRS:
        for dep in getattr(ctx.rule.attr, attr, []):
            if type(dep) == "Target" and _TransitiveLabels in dep:
                transitive.append(dep[_TransitiveLabels].labels)
    return [_TransitiveLabels(labels = depset([str(target.label)], transitive = transitive))]

_collect = aspect(
    implementation = _collect_impl,
    attr_aspects = _EDGE_ATTRS,
)

def _layers_test_impl(ctx):
    lines = []
    for target in ctx.attr.targets:
        for label in target[_TransitiveLabels].labels.to_list():
            for forbidden in ctx.attr.forbidden:
                if label.startswith(forbidden + "/") or label.startswith(forbidden + ":"):
                    lines.append("%s depends on %s" % (target.label, label))
    script = ctx.actions.declare_file(ctx.label.name + ".sh")
    if ctx.attr.expect_violation:
        if lines:
            body = "echo 'found, as expected:'\n" + "".join(["echo '  %s'\n" % l for l in lines])
        else:
            body = "echo 'expected a layer violation, found none'\nexit 1\n"
    elif lines:
        body = "echo 'layer violation (a lower layer depends on %s):'\n" % ", ".join(ctx.attr.forbidden)
        body += "".join(["echo '  %s'\n" % l for l in lines])
        body += "exit 1\n"
    else:
        body = "echo '%d targets checked: no dependency on %s'\n" % (
            len(ctx.attr.targets),
            ", ".join(ctx.attr.forbidden),
        )
    ctx.actions.write(script, "#!/bin/sh\n" + body, is_executable = True)
    return [DefaultInfo(executable = script)]

layers_test = rule(
    implementation = _layers_test_impl,
    test = True,
    attrs = {
        "targets": attr.label_list(aspects = [_collect]),
        "expect_violation": attr.bool(
            doc = "Pass only if a violation is found (a test of the checker itself).",
        ),
        "forbidden": attr.string_list(
            doc = "Package prefixes, e.g. \"//tools\" (matches //tools:x and //tools/quicsim:y).",
        ),
    },
)
