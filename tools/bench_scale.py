#!/usr/bin/env python3
"""Per-handshake cost and peak memory against the number of pairs in one
process: `quicsim run`, one seed, every pair on one shared bottleneck
(1 Gbit/s, 10 ms each way), pair i starting at i * 100 us, so a million
pairs start over 100 s and about the same number of pairs is in flight at
every size. For each size it records the maximum RSS (from wait4) and the
process's CPU time; --instructions adds cachegrind counts for the sizes up
to --max_instructions_pairs (a million pairs under valgrind take hours).

Usage (tools/bench.sh --scale builds quicsim and calls this):
  bench_scale.py run --quicsim=BIN --work=DIR [--sizes=100,1000,...]
                 [--instructions] [--svg=docs/scale.svg]
  bench_scale.py plot --work=DIR --svg=PATH      # re-plot from DIR

Prints a whitespace-separated table (header line starting with "pairs").
"""

import argparse
import json
import math
import os
import re
import subprocess
import sys
import time

SCENARIO = """
name: "bench_scale"
network {{
  shared_bottleneck: true
  client_to_server {{ delay: "10ms" bandwidth_bps: 1000000000 }}
  server_to_client {{ delay: "10ms" bandwidth_bps: 1000000000 }}
}}
population {{ pairs: {pairs} start_spacing: "100us" }}
seeds {{ count: 1 base: 1 }}
expect {{ outcome: CONFIRMED }}
limits {{ max_virtual_time: "{limit}s" max_events: 18000000000000000000 }}
"""

BASE_PAIRS = 10  # start-up cost is measured on a run this small


def write_scenario(work, pairs):
    path = os.path.join(work, "scale_%d.textproto" % pairs)
    with open(path, "w") as f:
        f.write(SCENARIO.format(pairs=pairs,
                                limit=int(pairs * 100e-6) + 120))
    return path


def measure(quicsim, work, pairs):
    """Runs quicsim and returns a dict of figures (RSS from wait4)."""
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


def cachegrind_ir(quicsim, work, pairs):
    out = os.path.join(work, "cachegrind.scale.%d" % pairs)
    cmd = ["valgrind", "--tool=cachegrind", "--cache-sim=no",
           "--cachegrind-out-file=" + out, quicsim, "run",
           "--scenario=" + write_scenario(work, pairs), "--progress=false"]
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(out) as f:
        for line in f:
            if line.startswith("summary:"):
                return int(line.split()[1])
    raise RuntimeError("no cachegrind summary for %d pairs" % pairs)


def usable(r):
    """A run that ran (not rejected as bad input, not killed)."""
    return r["exit"] in (0, 1) and r["confirmed"] > 0


def table(rows):
    base = rows.get(BASE_PAIRS)
    lines = ["%-9s %9s %11s %12s %14s %13s %12s %8s" %
             ("pairs", "confirmed", "maxrss_MiB", "KiB_per_pair",
              "KiB_above_base", "cpu_us_per_hs", "Ir_per_pair", "wall_s")]
    for n in sorted(rows):
        if n == BASE_PAIRS or not usable(rows[n]):
            continue
        r = rows[n]
        cpu = r["cpu_s"]
        if base:
            cpu -= base["cpu_s"]
        per_cpu = 1e6 * cpu / max(1, n - (BASE_PAIRS if base else 0))
        ir = "-"
        if "ir" in r and base and "ir" in base:
            ir = "%d" % round((r["ir"] - base["ir"]) / (n - BASE_PAIRS))
        above = (r["maxrss_kib"] - (base["maxrss_kib"] if base else 0)) / n
        lines.append("%-9d %9d %11.1f %12.2f %14.2f %13.1f %12s %8.0f" %
                     (n, r["confirmed"], r["maxrss_kib"] / 1024.0,
                      r["maxrss_kib"] / n, above, per_cpu, ir, r["wall_s"]))
    return "\n".join(lines) + "\n"


def svg(rows, path):
    """Two log-x panels: per-handshake CPU (and instructions) and KiB/pair."""
    base = rows.get(BASE_PAIRS)
    ns = sorted(n for n in rows if n != BASE_PAIRS and usable(rows[n]))
    if not ns:
        return
    cpu = {}
    ir = {}
    for n in ns:
        c = rows[n]["cpu_s"] - (base["cpu_s"] if base else 0)
        cpu[n] = 1e6 * c / (n - (BASE_PAIRS if base else 0))
        if "ir" in rows[n] and base and "ir" in base:
            ir[n] = (rows[n]["ir"] - base["ir"]) / (n - BASE_PAIRS) / 1e6
    above = {n: (rows[n]["maxrss_kib"] - (base["maxrss_kib"] if base else 0))
             / n for n in ns}
    W, H = 760, 300
    pad_l, pad_r, pad_t, pad_b = 70, 20, 40, 50
    lo, hi = math.log10(min(ns)), math.log10(max(ns))
    if hi == lo:
        hi = lo + 1

    def x(n):
        return pad_l + (math.log10(n) - lo) / (hi - lo) * (W - pad_l - pad_r)

    def panel(y0, series, title, unit, ymax_floor):
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
                           'text-anchor="middle">%.3g</text>' %
                           (x(n), y(v) - 7, color, v))
            out.append('<text x="%d" y="%d" font-size="12" fill="%s">%s'
                       '</text>' % (W - 330, legend_y + 16 * i, color, name))
        return out

    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
             'font-family="sans-serif">' % (W, 2 * H),
             '<rect width="100%" height="100%" fill="#fff"/>']
    series = [("CPU µs per handshake (noisy machine)", cpu, "#1f77b4")]
    if ir:
        series.append(("million instructions per pair (cachegrind)", ir,
                       "#d62728"))
    parts += panel(0, series, "Cost per handshake", "per handshake", 0)
    parts += panel(H, [("peak RSS above a 10-pair run / pairs", above,
                        "#2ca02c"),
                       ("target 16 KiB", {min(ns): 16, max(ns): 16},
                        "#999")],
                   "Peak memory per pair (KiB)", "KiB per pair", 16)
    parts.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(parts) + "\n")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("mode", choices=["run", "plot"])
    p.add_argument("--quicsim")
    p.add_argument("--work", required=True)
    p.add_argument("--sizes", default="100,1000,10000,100000,1000000")
    p.add_argument("--instructions", action="store_true")
    p.add_argument("--max_instructions_pairs", type=int, default=10000)
    p.add_argument("--svg", default="")
    a = p.parse_args()
    os.makedirs(a.work, exist_ok=True)
    results = os.path.join(a.work, "scale.json")
    rows = {}
    if os.path.exists(results):
        rows = {int(k): v for k, v in json.load(open(results)).items()}
    if a.mode == "run":
        if not a.quicsim:
            p.error("run needs --quicsim")
        sizes = [BASE_PAIRS] + [int(s) for s in a.sizes.split(",") if s]
        for n in sizes:
            r = measure(a.quicsim, a.work, n)
            if a.instructions and n <= a.max_instructions_pairs:
                r["ir"] = cachegrind_ir(a.quicsim, a.work, n)
            rows[n] = r
            json.dump(rows, open(results, "w"), indent=1)
            sys.stderr.write("bench_scale: %d pairs: %s\n" % (n, r))
    sys.stdout.write(table(rows))
    if a.svg:
        svg(rows, a.svg)


if __name__ == "__main__":
    main()
