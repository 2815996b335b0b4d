#!/usr/bin/env python3
"""Exploration throughput: `quicsim explore --mode=exhaustive` with prefix
sharing (forked run prefixes) against re-running every schedule from
scratch (--prefix_sharing=false), and the CPU per schedule against a plain
pair through `quicsim run`. The three commands alternate, round after
round, so the machine's drifting speed hits them alike; each figure is the
median over the rounds (CPU time of the process and its children, from
wait4), with the lowest and highest round.

Usage (tools/bench.sh --explore builds quicsim and calls this):
  bench_explore.py --quicsim=BIN [--scenario=scenarios/clean.textproto]
                   [--max_faults=2] [--first_datagrams=8] [--rounds=3]
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile


def timed(cmd):
    """(stdout, CPU seconds of the process and its children)."""
    with tempfile.TemporaryFile(mode="w+") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        out.seek(0)
        text = out.read()
    code = status >> 8
    if code not in (0, 1):
        sys.exit("bench_explore: %s exited %d:\n%s" % (" ".join(cmd), code,
                                                        text))
    return text, usage.ru_utime + usage.ru_stime


def schedules(text):
    m = re.search(r"^\s*schedules\s+(\d+)", text, re.M)
    if not m:
        sys.exit("bench_explore: no 'schedules' line in:\n" + text)
    return int(m.group(1))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quicsim", required=True)
    p.add_argument("--scenario", default="scenarios/clean.textproto")
    p.add_argument("--max_faults", type=int, default=2)
    p.add_argument("--first_datagrams", type=int, default=8)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--pairs", type=int, default=200,
                   help="seeds of the one-pair plain run per round")
    a = p.parse_args()
    explore = [a.quicsim, "explore", "--mode=exhaustive",
               "--scenario=" + a.scenario, "--pairs=1",
               "--max_faults=%d" % a.max_faults,
               "--first_datagrams=%d" % a.first_datagrams, "--progress=false"]
    plain = [a.quicsim, "run", "--scenario=" + a.scenario, "--pairs=1",
             "--seeds=%d" % a.pairs, "--progress=false"]
    shared, scratch, pair = [], [], []
    n = None
    for _ in range(a.rounds):
        text, cpu = timed(explore + ["--prefix_sharing=true"])
        n = schedules(text)
        shared.append(cpu / n)
        text, cpu = timed(explore + ["--prefix_sharing=false"])
        if schedules(text) != n:
            sys.exit("bench_explore: schedule counts differ")
        scratch.append(cpu / n)
        _, cpu = timed(plain)
        pair.append(cpu / a.pairs)

    def fig(v):
        return "%.0f [%.0f, %.0f]" % (1e6 * statistics.median(v),
                                      1e6 * min(v), 1e6 * max(v))
    print("== exploration: %s, K=%d, N=%d, %d schedules, %d rounds" %
          (os.path.basename(a.scenario), a.max_faults, a.first_datagrams, n,
           a.rounds))
    print("%-34s %24s %14s %12s" % ("what", "CPU us [min, max]",
                                    "per CPU s", "vs pair"))
    med_pair = statistics.median(pair)
    for label, v in (("plain pair (quicsim run)", pair),
                     ("schedule, prefix sharing", shared),
                     ("schedule, from scratch", scratch)):
        med = statistics.median(v)
        print("%-34s %24s %14.0f %12.3f" % (label, fig(v), 1 / med,
                                            med / med_pair))
    print("%-34s %24s %14s %12.3f" %
          ("sharing speed-up (scratch/shared)", "-", "-",
           statistics.median(scratch) / statistics.median(shared)))


if __name__ == "__main__":
    main()
