#!/usr/bin/env python3
"""What tools/bench_instructions.py and tools/bench_scale.py share: the
scenario templates they run through `quicsim run`, the valgrind runner
(cachegrind, callgrind, and callgrind over a window of virtual time), and
the parsers of valgrind's outputs.
"""

import collections
import os
import re
import subprocess
import time

# Scenario templates for `quicsim run`; write_scenario() fills in {pairs},
# {spacing}, {name} and (bottleneck only) {limit}, max_virtual_time in
# seconds.
SCENARIOS = {
    # One pair per 10 ms link pair, chain verification memoized (the
    # default), trace digest on (quicsim run always computes it).
    "clean": """
name: "{name}"
network {{
  client_to_server {{ delay: "10ms" }}
  server_to_client {{ delay: "10ms" }}
}}
population {{ pairs: {pairs} start_spacing: "{spacing}" }}
seeds {{ count: 1 base: 1 }}
expect {{ outcome: CONFIRMED }}
""",
    "loss30": """
name: "{name}"
network {{
  client_to_server {{ delay: "10ms" impairments {{ loss: 0.3 }} }}
  server_to_client {{ delay: "10ms" impairments {{ loss: 0.3 }} }}
}}
population {{ pairs: {pairs} start_spacing: "{spacing}" }}
seeds {{ count: 1 base: 1 }}
expect {{ outcome: CONFIRMED }}
limits {{ max_virtual_time: "600s" }}
""",
    "ngtcp2": """
name: "{name}"
network {{
  client_to_server {{ delay: "10ms" }}
  server_to_client {{ delay: "10ms" }}
}}
server {{ stack: NGTCP2 }}
population {{ pairs: {pairs} start_spacing: "{spacing}" }}
seeds {{ count: 1 base: 1 }}
expect {{ outcome: CONFIRMED }}
""",
    # Every pair on one shared 1 Gbit/s bottleneck, 10 ms each way.
    "bottleneck": """
name: "{name}"
network {{
  shared_bottleneck: true
  client_to_server {{ delay: "10ms" bandwidth_bps: 1000000000 }}
  server_to_client {{ delay: "10ms" bandwidth_bps: 1000000000 }}
}}
population {{ pairs: {pairs} start_spacing: "{spacing}" }}
seeds {{ count: 1 base: 1 }}
expect {{ outcome: CONFIRMED }}
limits {{ max_virtual_time: "{limit}" max_events: 18000000000000000000 }}
""",
}


def scenario_text(kind, pairs, spacing_ns, limit_s, name=None):
    return SCENARIOS[kind].format(name=name or "bench_" + kind, pairs=pairs,
                                  spacing="%dns" % spacing_ns,
                                  limit="%gs" % limit_s)


def write_scenario(work, kind, pairs, spacing_ns, limit_s, tag="",
                   name=None):
    """Writes the scenario to WORK/KIND[_TAG]_PAIRS.textproto; its path."""
    path = os.path.join(work, "%s%s_%d.textproto" %
                        (kind, "_" + tag if tag else "", pairs))
    with open(path, "w") as f:
        f.write(scenario_text(kind, pairs, spacing_ns, limit_s, name))
    return path


def valgrind_command(tool, out, argv, window=False):
    """The valgrind command line: cachegrind without cache simulation, or
    callgrind (with window: instrumentation off until the simulator's
    QUICSIM_INSTR_WINDOW switches it on, sim/instr_window.h)."""
    cmd = ["valgrind", "--tool=" + tool, "--%s-out-file=%s" % (tool, out)]
    if tool == "cachegrind":
        cmd.append("--cache-sim=no")
    else:
        cmd += ["--dump-instr=no", "--compress-strings=yes"]
        if window:
            cmd.append("--instr-atstart=no")
    return cmd + list(argv)


def run_valgrind(tool, out, argv, window=None, ok_codes=(0, 1)):
    """Runs argv under valgrind; writes the command and its output to
    OUT.log. window: (t1, t2) virtual seconds (t2 may be "inf") for callgrind.
    Returns (wall seconds, output text). Raises RuntimeError if the program
    failed (exit not in ok_codes) or valgrind wrote no output."""
    env = dict(os.environ)
    env.pop("QUICSIM_INSTR_WINDOW", None)
    if window is not None:
        env["QUICSIM_INSTR_WINDOW"] = "%s,%s" % window
    cmd = valgrind_command(tool, out, argv, window=window is not None)
    started = time.time()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, env=env)
    wall = time.time() - started
    with open(out + ".log", "w") as f:
        if window is not None:
            f.write("QUICSIM_INSTR_WINDOW=%s " % env["QUICSIM_INSTR_WINDOW"])
        f.write(" ".join(cmd) + "\n" + proc.stdout)
    # quicsim run exits 1 when some pair missed its expectation (possible
    # under 30% loss); the instruction count is still the run's.
    if proc.returncode not in ok_codes or not os.path.exists(out):
        raise RuntimeError("%s failed (exit %d); see %s.log" %
                           (" ".join(cmd), proc.returncode, out))
    return wall, proc.stdout


def total_ir(path):
    """The total Ir of a cachegrind.out ("summary:") or callgrind.out
    ("totals:", or "summary:" in older versions) file."""
    found = None
    with open(path) as f:
        for line in f:
            if line.startswith("totals:"):
                return int(line.split()[1])
            if line.startswith("summary:"):
                found = int(line.split()[1])
    if found is None:
        raise ValueError("%s: no summary line" % path)
    return found


WINDOW_LINE = re.compile(
    r"^instr_window: start=(\S+) end=(\S+) opened=(\d+) events=(\d+) "
    r"handshakes_done=(\d+)$", re.M)


def parse_window_line(text):
    """quicsim's stderr line at exit under QUICSIM_INSTR_WINDOW, as a dict
    (opened, events, handshakes_done); None if absent."""
    m = WINDOW_LINE.search(text)
    if not m:
        return None
    return {"start": m.group(1), "end": m.group(2),
            "opened": int(m.group(3)), "events": int(m.group(4)),
            "handshakes_done": int(m.group(5))}


def callgrind_self_costs(path):
    """{(object, function): self Ir} from a callgrind.out file, and the
    command's executable."""
    costs, _, executable = callgrind_costs(path)
    return costs, executable


def callgrind_costs(path):
    """Self costs {(object, function): Ir}, call costs {(caller object,
    caller function, callee object, callee function): inclusive Ir} and the
    command's executable, from a callgrind.out file.

    Follows the format's name compression ("ob=(3) name", later "ob=(3)");
    the cost line after a calls= line is the call's inclusive cost (its
    callee object is the caller's unless a cob= line named another).
    """
    names = {"ob": {}, "fn": {}}
    executable = None
    obj = fn = ""
    callee_obj = callee_fn = None
    costs = collections.Counter()
    calls = collections.Counter()
    skip_next = False
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            if line.startswith("cmd:"):
                parts = line.split()
                executable = parts[1] if len(parts) > 1 else None
                continue
            m = re.match(r"^(ob|fn|cob|cfn|fl|fi|fe|cfi|cfl)=(?:\((\d+)\))?"
                         r"\s*(.*)$", line)
            if m:
                key, ident, name = m.group(1), m.group(2), m.group(3)
                table_key = {"cob": "ob", "cfn": "fn"}.get(key, key)
                if table_key in names and ident is not None:
                    if name:
                        names[table_key][ident] = name
                    else:
                        name = names[table_key].get(ident, "?")
                if key == "ob":
                    obj = name
                elif key == "fn":
                    fn = name
                elif key == "cob":
                    callee_obj = name
                elif key == "cfn":
                    callee_fn = name
                continue
            if line.startswith("calls="):
                skip_next = True
                continue
            if line[0].isdigit() or line[0] in "+-*":
                fields = line.split()
                if skip_next:
                    skip_next = False
                    if len(fields) >= 2:
                        calls[(obj, fn, callee_obj or obj,
                               callee_fn or "?")] += int(fields[1])
                    callee_obj = callee_fn = None
                    continue
                if len(fields) >= 2:
                    costs[(obj, fn)] += int(fields[1])
    return costs, calls, executable
