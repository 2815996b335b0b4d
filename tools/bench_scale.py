#!/usr/bin/env python3
"""Per-handshake cost and peak memory against the number of pairs in one
process: `quicsim run`, one seed, every pair on one shared bottleneck
(1 Gbit/s, 10 ms each way), pair i starting at i * 100 us, so a million
pairs start over 100 s and about the same number of pairs is in flight at
every size. For each size it records the maximum RSS (from wait4) and the
process's CPU time.

--instructions adds instructions per handshake, measured the same way at
every size: `valgrind --tool=callgrind --instr-atstart=no` with the
simulator's instrumentation window (QUICSIM_INSTR_WINDOW, sim/instr_window.h)
switching instrumentation on for a slice of virtual time; per handshake =
Ir(window) / handshakes finished in the window. The window is the whole run
while the starts span less than 10 s (up to 10,000 pairs), and the one
second [S/10, S/10 + 1 s] of a steady state when they span S >= 10 s
(100,000 pairs: [1 s, 2 s]; a million: [10 s, 11 s]), with the run stopped
0.1 s after the window (max_virtual_time): nothing later is measured, and a
limit only stops a run, so the simulated prefix is the same. --window=T1,T2
replaces that window for every size of the command (a shorter or earlier
slice when valgrind is too slow for the default one). --validate
checks the method: against the difference method (cachegrind at 10 and 100
pairs), a steady-state slice against the whole run at 10,000 pairs, and a
run stopped after its window against the same run to the end.

Usage (tools/bench.sh --scale builds quicsim and calls this):
  bench_scale.py run --quicsim=BIN --work=DIR [--sizes=100,1000,...]
                 [--instructions] [--no_native] [--validate]
                 [--svg=docs/scale.svg]
  bench_scale.py plot --work=DIR --svg=PATH      # re-print and re-plot

Results accumulate in DIR/scale.json (a size measured again replaces its
figures). Prints whitespace-separated tables (header lines starting with
"pairs" and "check").
"""

import argparse
import json
import math
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_common as common  # noqa: E402

BASE_PAIRS = 10  # start-up cost is measured on a run this small
SPACING_NS = 100_000
NAME = "bench_scale"


def limit_for(pairs):
    return int(pairs * SPACING_NS * 1e-9) + 120


def write_scenario(work, pairs, limit_s=None, tag="scale"):
    return common.write_scenario(
        work, "bottleneck", pairs, SPACING_NS,
        limit_for(pairs) if limit_s is None else limit_s, tag=tag, name=NAME)


def measure(quicsim, work, pairs):
    """Runs quicsim natively; a dict of figures (RSS from wait4)."""
    cmd = [quicsim, "run", "--scenario=" + write_scenario(work, pairs),
           "--progress=false"]
    out_path = os.path.join(work, "scale_%d.out" % pairs)
    started = time.time()
    with open(out_path, "w") as out:
        pid = os.fork()
        if pid == 0:
            os.dup2(out.fileno(), 1)
            os.dup2(out.fileno(), 2)
            os.execv(cmd[0], cmd)
        _, status, usage = os.wait4(pid, 0)
    wall = time.time() - started
    text = open(out_path).read()
    m = re.search(r"^confirmed\s+(\d+)", text, re.M)
    confirmed = int(m.group(1)) if m else 0
    return {
        "pairs": pairs,
        "confirmed": confirmed,
        "exit": os.waitstatus_to_exitcode(status)
        if hasattr(os, "waitstatus_to_exitcode") else status >> 8,
        "maxrss_kib": usage.ru_maxrss,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "wall_s": wall,
    }


def window_for(pairs):
    """The instrumentation window (t1, t2) in virtual seconds; t2 "inf" for
    the whole run. See the module comment."""
    span = pairs * SPACING_NS * 1e-9
    if span < 10:
        return (0, "inf")
    t1 = round(span / 10, 3)
    return (t1, t1 + 1)


def window_ir(quicsim, work, pairs, window=None, stop=True, tag="win",
              stop_at=None):
    """Instructions in a window of virtual time under callgrind; a dict with
    ir, handshakes (finished in the window), ir_per_hs, the window, the
    run's stop time and valgrind's wall time."""
    window = window or window_for(pairs)
    limit = None
    if stop and window[1] != "inf":
        limit = stop_at or round(window[1] + 0.1, 3)
    scenario = write_scenario(work, pairs, limit, tag="%s_%s_%s" %
                              (tag, window[0], window[1]))
    out = os.path.join(work, "callgrind.%s.%d.%s-%s.%s" %
                       (tag, pairs, window[0], window[1],
                        "stop" if limit else "full"))
    wall, text = common.run_valgrind(
        "callgrind", out,
        [quicsim, "run", "--scenario=" + scenario, "--progress=false"],
        window=window)
    counts = common.parse_window_line(text)
    if counts is None or counts["opened"] != 1:
        raise RuntimeError("no instrumentation window in %s.log" % out)
    ir = common.total_ir(out)
    hs = counts["handshakes_done"]
    if ir == 0 or hs == 0:
        raise RuntimeError("empty window (Ir %d, %d handshakes); see %s.log" %
                           (ir, hs, out))
    return {"ir": ir, "handshakes": hs, "ir_per_hs": ir / hs,
            "events": counts["events"], "window": list(window),
            "stopped_at_s": limit, "valgrind_wall_s": wall,
            "callgrind_out": out}


def validate(quicsim, work, rows):
    """Rows (check, a, b) that test the window method; reuses the whole-run
    windows at 100 and 10,000 pairs from rows when measured."""
    checks = []
    # 1. Whole-run window at 100 pairs against the difference method
    # (cachegrind, 10 and 100 pairs, start-up cancels).
    irs = {}
    for n in (BASE_PAIRS, 100):
        out = os.path.join(work, "cachegrind.scale.%d" % n)
        common.run_valgrind("cachegrind", out, [
            quicsim, "run", "--scenario=" + write_scenario(work, n),
            "--progress=false"])
        irs[n] = common.total_ir(out)
    diff = (irs[100] - irs[BASE_PAIRS]) / (100 - BASE_PAIRS)
    win = rows.get(100, {}).get("instr") or window_ir(quicsim, work, 100)
    checks.append(("window_100/difference_10_100", win["ir_per_hs"], diff))
    # 2. A steady-state slice against the whole run, 10,000 pairs (starts
    # over 1 s; the slice's run is stopped 0.1 s after it).
    full = rows.get(10000, {}).get("instr") or window_ir(quicsim, work,
                                                          10000)
    steady = window_ir(quicsim, work, 10000, (0.3, 0.4))
    checks.append(("steady_0.3-0.4s/whole_run_10000", steady["ir_per_hs"],
                   full["ir_per_hs"]))
    # 3. A run stopped soon after its window against the same run to the
    # end (1,000 pairs end near 0.16 s): the same instructions in the window.
    stopped = window_ir(quicsim, work, 1000, (0.06, 0.09), stop_at=0.1)
    whole = window_ir(quicsim, work, 1000, (0.06, 0.09), stop=False)
    checks.append(("stopped/full_run_window_Ir_1000", stopped["ir"],
                   whole["ir"]))
    return checks


def usable(r):
    """A native run that ran (not rejected as bad input, not killed)."""
    return r.get("exit") in (0, 1) and r.get("confirmed", 0) > 0


def per_hs_cpu_us(rows, n):
    base = rows.get(BASE_PAIRS)
    cpu = rows[n]["cpu_s"] - (base["cpu_s"] if base and usable(base) else 0)
    return 1e6 * cpu / max(1, n - (BASE_PAIRS if base else 0))


def kib_above_base(rows, n):
    base = rows.get(BASE_PAIRS)
    return (rows[n]["maxrss_kib"] -
            (base["maxrss_kib"] if base and usable(base) else 0)) / n


def instr_ratio_base(rows):
    """The per-handshake instructions of the smallest measured size."""
    ns = sorted(n for n in rows if n != BASE_PAIRS and "instr" in rows[n])
    return (ns[0], rows[ns[0]]["instr"]["ir_per_hs"]) if ns else (None, None)


def table(rows):
    lines = ["%-9s %9s %11s %12s %14s %13s %8s %13s %12s %9s %8s" %
             ("pairs", "confirmed", "maxrss_MiB", "KiB_per_pair",
              "KiB_above_base", "cpu_us_per_hs", "wall_s", "window_s",
              "hs_in_window", "Ir_per_hs", "vs_base")]
    base_n, base_ir = instr_ratio_base(rows)
    for n in sorted(rows):
        r = rows[n]
        if n == BASE_PAIRS:
            continue
        native = usable(r)
        w = r.get("instr")
        if not native and not w:
            continue
        cols = [str(n)]
        if native:
            cols += ["%d" % r["confirmed"], "%.1f" % (r["maxrss_kib"] / 1024.0),
                     "%.2f" % (r["maxrss_kib"] / n),
                     "%.2f" % kib_above_base(rows, n),
                     "%.1f" % per_hs_cpu_us(rows, n), "%.0f" % r["wall_s"]]
        else:
            cols += ["-"] * 6
        if w:
            cols += ["%s-%s" % tuple(w["window"]), "%d" % w["handshakes"],
                     "%d" % round(w["ir_per_hs"]),
                     "%.4f" % (w["ir_per_hs"] / base_ir)]
        else:
            cols += ["-"] * 4
        lines.append("%-9s %9s %11s %12s %14s %13s %8s %13s %12s %9s %8s" %
                     tuple(cols))
    if base_n is not None:
        lines.append("(vs_base: per-handshake instructions against %d pairs)" %
                     base_n)
    return "\n".join(lines) + "\n"


def component_table(rows):
    """Per-handshake self cost by component (bench_instructions' split) in
    the window of the smallest and the largest size measured, from their
    callgrind outputs: where a difference between the sizes comes from."""
    import bench_instructions as bi  # the component rules live there
    ns = [n for n in sorted(rows) if n != BASE_PAIRS and
          os.path.exists(rows[n].get("instr", {}).get("callgrind_out", ""))]
    if len(ns) < 2:
        return ""
    split = {}
    for n in (ns[0], ns[-1]):
        w = rows[n]["instr"]
        costs, _, exe = common.callgrind_costs(w["callgrind_out"])
        comp = {}
        for (obj, fn), ir in costs.items():
            c = bi.component_of(obj, fn, exe)
            comp[c] = comp.get(c, 0) + ir / w["handshakes"]
        split[n] = comp
    a, b = split[ns[0]], split[ns[-1]]
    lines = ["%-14s %14s %14s %10s" % ("component", "Ir_hs_%d" % ns[0],
                                       "Ir_hs_%d" % ns[-1], "change")]
    for c in bi.COMPONENTS:
        if a.get(c) or b.get(c):
            lines.append("%-14s %14d %14d %+10d" %
                         (c, round(a.get(c, 0)), round(b.get(c, 0)),
                          round(b.get(c, 0) - a.get(c, 0))))
    return "\n".join(lines) + "\n"


def check_table(checks):
    lines = ["%-36s %14s %14s %8s" % ("check", "a", "b", "a/b")]
    for name, a, b in checks:
        lines.append("%-36s %14.0f %14.0f %8.4f" % (name, a, b, a / b))
    return "\n".join(lines) + "\n"


def parse_table(text):
    """{pairs: {column: value}} from table()'s output (strings, "-" kept)."""
    rows, header = {}, None
    for line in text.splitlines():
        fields = line.split()
        if not fields:
            continue
        if fields[0] == "pairs":
            header = fields
            continue
        if header and fields[0].isdigit() and len(fields) == len(header):
            rows[int(fields[0])] = dict(zip(header, fields))
    return rows


def svg(rows, path):
    """Three log-x panels: per-handshake instructions (window method), CPU
    per handshake, and peak memory per pair."""
    ns = sorted(n for n in rows if n != BASE_PAIRS and
                (usable(rows[n]) or "instr" in rows[n]))
    if not ns:
        return
    cpu = {n: per_hs_cpu_us(rows, n) for n in ns if usable(rows[n])}
    above = {n: kib_above_base(rows, n) for n in ns if usable(rows[n])}
    ir = {n: rows[n]["instr"]["ir_per_hs"] / 1e6 for n in ns
          if "instr" in rows[n]}
    base_n, base_ir = instr_ratio_base(rows)
    W, H = 760, 300
    pad_l, pad_r, pad_t, pad_b = 70, 20, 40, 50
    lo, hi = math.log10(min(ns)), math.log10(max(ns))
    if hi == lo:
        hi = lo + 1

    def x(n):
        return pad_l + (math.log10(n) - lo) / (hi - lo) * (W - pad_l - pad_r)

    def panel(y0, series, title, unit, ymax_floor, fmt="%.3g"):
        out = []
        ymax = max([ymax_floor] + [v for s in series for v in s[1].values()])
        ymax *= 1.15

        def y(v):
            return y0 + pad_t + (1 - v / ymax) * (H - pad_t - pad_b)
        out.append('<text x="%d" y="%d" font-size="14" font-weight="bold">'
                   '%s</text>' % (pad_l, y0 + 22, title))
        out.append('<line x1="%d" y1="%f" x2="%d" y2="%f" stroke="#000"/>' %
                   (pad_l, y(0), W - pad_r, y(0)))
        out.append('<line x1="%d" y1="%f" x2="%d" y2="%f" stroke="#000"/>' %
                   (pad_l, y(0), pad_l, y(ymax)))
        for k in range(5):
            v = ymax * k / 4
            out.append('<text x="%d" y="%f" font-size="11" text-anchor="end">'
                       '%.3g</text>' % (pad_l - 6, y(v) + 4, v))
            out.append('<line x1="%d" y1="%f" x2="%d" y2="%f" stroke="#ddd"/>'
                       % (pad_l, y(v), W - pad_r, y(v)))
        for n in ns:
            out.append('<text x="%f" y="%f" font-size="11" '
                       'text-anchor="middle">%s</text>' %
                       (x(n), y(0) + 16, "{:,}".format(n)))
        out.append('<text x="%d" y="%f" font-size="11" text-anchor="middle">'
                   'pairs in one process (log scale)</text>' %
                   ((W + pad_l) // 2, y(0) + 34))
        out.append('<text x="14" y="%f" font-size="11" transform="rotate(-90 '
                   '14 %f)" text-anchor="middle">%s</text>' %
                   (y(ymax / 2), y(ymax / 2), unit))
        legend_y = y0 + 22
        for i, (name, data, color) in enumerate(series):
            pts = " ".join("%f,%f" % (x(n), y(v)) for n, v in
                           sorted(data.items()))
            out.append('<polyline fill="none" stroke="%s" stroke-width="2" '
                       'points="%s"/>' % (color, pts))
            for n, v in data.items():
                out.append('<circle cx="%f" cy="%f" r="3.5" fill="%s"/>' %
                           (x(n), y(v), color))
                out.append('<text x="%f" y="%f" font-size="10" fill="%s" '
                           'text-anchor="middle">' % (x(n), y(v) - 7, color) +
                           fmt % v + '</text>')
            out.append('<text x="%d" y="%d" font-size="12" fill="%s">%s'
                       '</text>' % (W - 360, legend_y + 16 * i, color, name))
        return out

    panels = []
    if ir:
        target = {min(ns): 1.05 * base_ir / 1e6, max(ns): 1.05 * base_ir / 1e6}
        panels.append(([("million instructions per handshake (callgrind "
                         "window)", ir, "#d62728"),
                        ("target: 1.05x the %d-pair figure" % base_n, target,
                         "#999")],
                       "Instructions per handshake", "M instructions", 0,
                       "%.3f"))
    if cpu:
        panels.append(([("CPU µs per handshake (noisy machine)", cpu,
                         "#1f77b4")],
                       "CPU time per handshake", "µs per handshake", 0,
                       "%.3g"))
    if above:
        panels.append(([("peak RSS above a 10-pair run / pairs", above,
                         "#2ca02c"),
                        ("target 16 KiB", {min(ns): 16, max(ns): 16},
                         "#999")],
                       "Peak memory per pair (KiB)", "KiB per pair", 16,
                       "%.3g"))
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
             'font-family="sans-serif">' % (W, len(panels) * H),
             '<rect width="100%" height="100%" fill="#fff"/>']
    for i, (series, title, unit, floor, fmt) in enumerate(panels):
        parts += panel(i * H, series, title, unit, floor, fmt)
    parts.append("</svg>")
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(parts) + "\n")
    os.replace(tmp, path)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("mode", choices=["run", "plot"])
    p.add_argument("--quicsim")
    p.add_argument("--work", required=True)
    p.add_argument("--sizes", default="100,1000,10000,100000,1000000")
    p.add_argument("--instructions", action="store_true",
                   help="per-handshake instructions (callgrind window)")
    p.add_argument("--no_native", action="store_true",
                   help="skip the native RSS/CPU runs")
    p.add_argument("--validate", action="store_true",
                   help="check the window method (about 10 CPU-minutes)")
    p.add_argument("--svg", default="")
    p.add_argument("--window", default="",
                   help="T1,T2 virtual seconds for every size (default: "
                   "the rule above)")
    a = p.parse_args()
    os.makedirs(a.work, exist_ok=True)
    results = os.path.join(a.work, "scale.json")
    rows, checks = {}, []
    if os.path.exists(results):
        saved = json.load(open(results))
        checks = saved.pop("checks", [])
        rows = {int(k): v for k, v in saved.items()}

    def save():
        data = {str(k): v for k, v in rows.items()}
        data["checks"] = checks
        tmp = results + ".tmp"
        with open(tmp, "w") as f:
            json.dump(data, f, indent=1)
        os.replace(tmp, results)

    if a.mode == "run":
        if not a.quicsim:
            p.error("run needs --quicsim")
        sizes = [int(s) for s in a.sizes.split(",") if s]
        window = None
        if a.window:
            t1, t2 = a.window.split(",")
            window = (float(t1), t2 if t2 == "inf" else float(t2))
        if not a.no_native:
            for n in [BASE_PAIRS] + sizes:
                instr = rows.get(n, {}).get("instr")
                rows[n] = measure(a.quicsim, a.work, n)
                if instr:
                    rows[n]["instr"] = instr
                save()
                sys.stderr.write("bench_scale: %d pairs: %s\n" % (n, rows[n]))
        if a.instructions:
            for n in sizes:
                try:
                    w = window_ir(a.quicsim, a.work, n, window)
                except RuntimeError as e:
                    sys.exit("bench_scale: %s" % e)
                rows.setdefault(n, {"pairs": n})["instr"] = w
                save()
                sys.stderr.write("bench_scale: %d pairs, window: %s\n" %
                                 (n, w))
        if a.validate:
            try:
                checks = [list(c) for c in validate(a.quicsim, a.work, rows)]
            except RuntimeError as e:
                sys.exit("bench_scale: %s" % e)
            save()
    sys.stdout.write(table(rows))
    if checks:
        sys.stdout.write("\n" + check_table(checks))
    components = component_table(rows)
    if components:
        sys.stdout.write("\n" + components)
    if a.svg:
        svg(rows, a.svg)


if __name__ == "__main__":
    main()
