#!/usr/bin/env python3
"""Instructions per handshake pair, under cachegrind: the noise-free figure.

Each subject runs under `valgrind --tool=cachegrind --cache-sim=no` at two
sizes n1 < n2; its cost per pair is (Ir(n2) - Ir(n1)) / (n2 - n1), so
start-up (loading, PKI, contexts) cancels out. Instruction counts of a
deterministic program do not depend on the machine's load or clock speed,
so the ratios repeat to well under 1% from run to run.

Usage (tools/bench.sh --instructions builds the binaries and calls this):
  bench_instructions.py run --driver=BIN --quicsim=BIN --work=DIR [--jobs=2]
  bench_instructions.py table --work=DIR    # re-print from DIR's outputs

Output: a table with one row per subject and one per ratio, whitespace
separated, with a header line starting with "subject" and "ratio"; see
parse_table(), which the test uses.
"""

import argparse
import collections
import concurrent.futures
import os
import re
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_common as common  # noqa: E402

# name: (kind, argument, n1, n2). kind "driver": instr_driver SUBJECT N;
# kind "run": quicsim run on the scenario template below with N pairs;
# kind "window": quicsim run with n1 pairs under callgrind, instructions
# counted only inside the window n2 = (t1, t2) of virtual seconds
# (QUICSIM_INSTR_WINDOW, sim/instr_window.h), per handshake finished in it:
# the method of tools/bench_scale.py, which --validate checks against the
# difference. A 10,000-pair run by difference costs about 45e9 instructions
# under cachegrind (~4 CPU-minutes); its steady-state window 1/10 of that.
SUBJECTS = collections.OrderedDict([
    ("floor", ("driver", "floor", 10, 50)),
    ("floor_verify", ("driver", "floor_verify", 10, 50)),
    ("engine", ("driver", "engine", 10, 50)),
    ("engine_verify", ("driver", "engine_verify", 10, 50)),
    ("bench_pair", ("driver", "sim_pair", 10, 50)),
    ("run_clean", ("run", "clean", 10, 50)),
    ("run_loss30", ("run", "loss30", 10, 50)),
    ("run_ngtcp2", ("run", "ngtcp2", 10, 50)),
    ("run_concurrent_100", ("run", "concurrent", 10, 100)),
    ("window_concurrent_100", ("window", "concurrent", 100, (0, "inf"))),
    ("window_concurrent_10000",
     ("window", "concurrent", 10000, (0.45, 0.55))),
    # The same ratio by difference; only with --only (about 4 CPU-minutes).
    ("run_concurrent_10000", ("run", "concurrent", 10, 10000)),
])
DEFAULT_SUBJECTS = [s for s in SUBJECTS if s != "run_concurrent_10000"]

# (label, numerator, denominator, target or None)
RATIOS = [
    ("floor_verify/floor", "floor_verify", "floor", None),
    ("engine/floor", "engine", "floor", 1.02),
    ("engine_verify_memo/floor", "engine_verify", "floor", None),
    ("bench_pair/floor", "bench_pair", "floor", None),
    ("run_clean/floor", "run_clean", "floor", 1.10),
    ("run_loss30/run_clean", "run_loss30", "run_clean", None),
    ("run_ngtcp2/run_clean", "run_ngtcp2", "run_clean", None),
    ("concurrent_100/floor", "run_concurrent_100", "floor", None),
    ("concurrent_10000/concurrent_100", "window_concurrent_10000",
     "window_concurrent_100", 1.05),
    ("concurrent_10000/concurrent_100_difference", "run_concurrent_10000",
     "run_concurrent_100", 1.05),
]

# Scenario kind (tools/bench_common.py) and start spacing of each "run"
# subject; "concurrent" spreads the pairs' starts evenly over one second.
RUN_KINDS = {
    "clean": ("clean", lambda n: 1_000_000),
    "loss30": ("loss30", lambda n: 1_000_000),
    "ngtcp2": ("ngtcp2", lambda n: 1_000_000),
    "concurrent": ("bottleneck", lambda n: 1_000_000_000 // n),
}
RUN_NAMES = {"concurrent": "bench_concurrent"}

# Objects and functions, mapped to the components the table reports.
MALLOC_FUNCTIONS = re.compile(
    r"^(malloc|free|calloc|realloc|cfree|_int_malloc|_int_free|_int_realloc|"
    r"malloc_consolidate|unlink_chunk.*|tcache_.*|__libc_malloc|"
    r"__libc_free|__libc_calloc|__libc_realloc|operator new.*|"
    r"operator delete.*|sysmalloc|systrim|_int_memalign|__default_morecore|"
    r"__brk|__sbrk|alloc_perturb|checked_request2size)(\(.*\))?$")
COMPONENTS = ["libcrypto", "libssl", "quicsim", "malloc", "libc_other",
              "libstdc++", "abseil", "protobuf", "gnutls_ngtcp2", "other"]


def component_of(obj, fn, executable):
    base = os.path.basename(obj)
    if MALLOC_FUNCTIONS.match(fn):
        return "malloc"
    if base.startswith("libcrypto"):
        return "libcrypto"
    if base.startswith("libssl"):
        return "libssl"
    if obj == executable or (executable and base == os.path.basename(
            executable)):
        return "quicsim"
    if base.startswith("libc.so") or base.startswith("libc-"):
        return "libc_other"
    if base.startswith("libstdc++"):
        return "libstdc++"
    if base.startswith("libabsl"):
        return "abseil"
    if base.startswith("libprotobuf"):
        return "protobuf"
    if re.match(r"lib(gnutls|ngtcp2|nettle|hogweed|gmp|tasn1|p11)", base):
        return "gnutls_ngtcp2"
    return "other"


cachegrind_total = common.total_ir
callgrind_self_costs = common.callgrind_self_costs


def shares(small, large, pairs):
    """Per-pair Ir by component, top functions, and calls into BoringSSL by
    calling function (inclusive), from two callgrind runs."""
    a, calls_a, exe = common.callgrind_costs(small)
    b, calls_b, exe_b = common.callgrind_costs(large)
    exe = exe or exe_b
    diff = collections.Counter(b)
    diff.subtract(a)
    by_component = collections.Counter()
    by_function = collections.Counter()
    for (obj, fn), ir in diff.items():
        comp = component_of(obj, fn, exe)
        by_component[comp] += ir / pairs
        if comp in ("quicsim", "malloc", "libstdc++", "abseil", "libc_other"):
            by_function[(comp, fn)] += ir / pairs
    calls = collections.Counter(calls_b)
    calls.subtract(calls_a)
    into_boringssl = collections.Counter()
    for (obj, fn, cobj, cfn), ir in calls.items():
        caller = component_of(obj, fn, exe)
        callee = component_of(cobj, cfn, exe)
        if (callee in ("libcrypto", "libssl") and
                caller not in ("libcrypto", "libssl")):
            into_boringssl[(fn, cfn)] += ir / pairs
    return by_component, by_function, into_boringssl


def command_for(name, n, args):
    kind, what, _, window = SUBJECTS[name]
    if kind == "driver":
        return [args.driver, what, str(n)]
    scenario_kind, spacing = RUN_KINDS[what]
    limit, tag = 600, what
    if kind == "window" and window[1] != "inf":
        # Nothing after the window is measured; a limit only stops the run.
        limit, tag = window[1] + 0.1, what + "_window"
    scenario = common.write_scenario(args.work, scenario_kind, n, spacing(n),
                                     limit, tag=tag, name=RUN_NAMES.get(what))
    return [args.quicsim, "run", "--scenario=" + scenario, "--progress=false"]


def run_one(tool, name, n, args):
    out = os.path.join(args.work, "%s.%s.%d" % (tool, name, n))
    window = None
    if SUBJECTS[name][0] == "window":
        tool, window = "callgrind", SUBJECTS[name][3]
        out = os.path.join(args.work, "%s.%s.%d" % (tool, name, n))
    try:
        wall, _ = common.run_valgrind(tool, out, command_for(name, n, args),
                                      window=window)
    except RuntimeError as e:
        sys.exit("bench_instructions: %s" % e)
    return wall


def collect(work):
    """{subject: (n1, n2, Ir1, Ir2, per_pair)} from the outputs in work."""
    rows = collections.OrderedDict()
    for name, (kind, _, n1, n2) in SUBJECTS.items():
        if kind == "window":
            # (pairs, handshakes in the window, None, Ir(window), per hs)
            p = os.path.join(work, "callgrind.%s.%d" % (name, n1))
            if not (os.path.exists(p) and os.path.exists(p + ".log")):
                continue
            counts = common.parse_window_line(open(p + ".log").read())
            ir = common.total_ir(p)
            if not counts or not counts["handshakes_done"] or not ir:
                continue
            hs = counts["handshakes_done"]
            rows[name] = (n1, hs, None, ir, ir / hs)
            continue
        p1 = os.path.join(work, "cachegrind.%s.%d" % (name, n1))
        p2 = os.path.join(work, "cachegrind.%s.%d" % (name, n2))
        if not (os.path.exists(p1) and os.path.exists(p2)):
            continue
        i1, i2 = cachegrind_total(p1), cachegrind_total(p2)
        rows[name] = (n1, n2, i1, i2, (i2 - i1) / (n2 - n1))
    return rows


def render(rows, work, share_subject="run_clean"):
    out = []
    out.append("== instructions per handshake pair: cachegrind --cache-sim=no,"
               " (Ir(n2) - Ir(n1)) / (n2 - n1)")
    out.append("%-22s %6s %6s %14s %14s %12s %9s" %
               ("subject", "n1", "n2", "Ir(n1)", "Ir(n2)", "Ir/pair",
                "vs_floor"))
    floor = rows.get("floor", (0, 0, 0, 0, 0))[4]
    for name, (n1, n2, i1, i2, per) in rows.items():
        vs = "%.4f" % (per / floor) if floor else "-"
        out.append("%-22s %6d %6d %14s %14d %12d %9s" %
                   (name, n1, n2, "window" if i1 is None else "%d" % i1, i2,
                    round(per), vs))
    if any(r[2] is None for r in rows.values()):
        out.append("== window_*: n1 pairs, n2 handshakes finished in the "
                   "callgrind window of virtual time (%s), Ir(n2) the "
                   "window's instructions" %
                   ", ".join("%s: %s-%ss" % (n, SUBJECTS[n][3][0],
                                             SUBJECTS[n][3][1])
                             for n, r in rows.items() if r[2] is None))
    out.append("")
    out.append("%-34s %9s %8s %s" % ("ratio", "measured", "target",
                                     "verdict"))
    for label, a, b, target in RATIOS:
        if a not in rows or b not in rows:
            continue
        r = rows[a][4] / rows[b][4]
        if target is None:
            out.append("%-34s %9.4f %8s %s" % (label, r, "-", "info"))
        else:
            out.append("%-34s %9.4f %8.2f %s" %
                       (label, r, target, "ok" if r <= target else "MISSED"))
    if share_subject in SUBJECTS:
        _, _, n1, n2 = SUBJECTS[share_subject]
        small = os.path.join(work, "callgrind.%s.%d" % (share_subject, n1))
        large = os.path.join(work, "callgrind.%s.%d" % (share_subject, n2))
        if os.path.exists(small) and os.path.exists(large):
            comps, funcs, into = shares(small, large, n2 - n1)
            total = sum(comps.values())
            out.append("")
            out.append("== components of %s per pair (callgrind self cost, "
                       "same difference)" % share_subject)
            out.append("%-22s %12s %8s" % ("component", "Ir/pair", "share"))
            for comp in COMPONENTS:
                if comps.get(comp):
                    out.append("%-22s %12d %7.2f%%" %
                               (comp, round(comps[comp]),
                                100.0 * comps[comp] / total))
            out.append("%-22s %12d %7.2f%%" % ("total", round(total), 100.0))
            out.append("")
            out.append("== top functions outside BoringSSL, %s per pair" %
                       share_subject)
            for (comp, fn), ir in funcs.most_common(25):
                out.append("%12d  %-10s %s" % (round(ir), comp, fn[:110]))
            out.append("")
            out.append("== calls into BoringSSL (libcrypto, libssl), %s per "
                       "pair, inclusive, by caller -> callee" % share_subject)
            for (fn, cfn), ir in into.most_common(20):
                if round(ir) <= 0:
                    break
                out.append("%12d  %s -> %s" % (round(ir), fn[:70], cfn[:40]))
    return "\n".join(out) + "\n"


def parse_table(text):
    """Parses render()'s output: ({subject: per_pair}, {ratio: (value,
    target or None, verdict)}, {component: per_pair})."""
    subjects, ratios, components = {}, {}, {}
    section = None
    for line in text.splitlines():
        fields = line.split()
        if not fields:
            continue
        if fields[0] == "subject":
            section = "subjects"
            continue
        if fields[0] == "ratio":
            section = "ratios"
            continue
        if fields[0] == "component":
            section = "components"
            continue
        if fields[0] == "==":
            section = None
            continue
        if section == "subjects" and len(fields) == 7:
            subjects[fields[0]] = int(fields[5])
        elif section == "ratios" and len(fields) == 4:
            target = None if fields[2] == "-" else float(fields[2])
            ratios[fields[0]] = (float(fields[1]), target, fields[3])
        elif section == "components" and len(fields) == 3:
            components[fields[0]] = int(fields[1])
    return subjects, ratios, components


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mode", choices=["run", "table"])
    parser.add_argument("--driver", help="tests/bench/instr_driver")
    parser.add_argument("--quicsim", help="tools/quicsim/quicsim")
    parser.add_argument("--work", required=True, help="output directory")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--only", default="",
                        help="comma-separated subjects (default: all)")
    args = parser.parse_args()
    if args.mode == "run":
        if not args.driver or not args.quicsim:
            parser.error("run needs --driver and --quicsim")
        os.makedirs(args.work, exist_ok=True)
        names = [s for s in args.only.split(",") if s] or DEFAULT_SUBJECTS
        for s in names:
            if s not in SUBJECTS:
                parser.error("unknown subject %s" % s)
        jobs = []
        for name in names:
            kind, _, n1, n2 = SUBJECTS[name]
            if kind == "window":
                jobs.append(("window", name, n1))
            else:
                jobs += [("cachegrind", name, n1), ("cachegrind", name, n2)]
        if "run_clean" in names:
            _, _, n1, n2 = SUBJECTS["run_clean"]
            jobs += [("callgrind", "run_clean", n1),
                     ("callgrind", "run_clean", n2)]
        # Subjects that run the same program at the same size (the two
        # concurrent ones at n1, with --only=...,run_concurrent_10000) share
        # one valgrind run.
        unique, copies = collections.OrderedDict(), []
        for tool, name, n in jobs:
            key = (tool, SUBJECTS[name][0], SUBJECTS[name][1], n)
            if key in unique:
                copies.append((unique[key], (tool, name, n)))
            else:
                unique[key] = (tool, name, n)
        # Longest first, so the workers finish together.
        todo = sorted(unique.values(), key=lambda j: -j[2])
        started = time.time()
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            list(pool.map(lambda j: run_one(j[0], j[1], j[2], args), todo))
        for (tool, name, n), (_, dup, _) in copies:
            shutil.copyfile(
                os.path.join(args.work, "%s.%s.%d" % (tool, name, n)),
                os.path.join(args.work, "%s.%s.%d" % (tool, dup, n)))
        sys.stderr.write("bench_instructions: %d valgrind runs in %.0f s "
                         "with %d jobs\n" %
                         (len(todo), time.time() - started, args.jobs))
    sys.stdout.write(render(collect(args.work), args.work))


if __name__ == "__main__":
    main()
