#!/usr/bin/env python3
"""Checks tools/bench_scale.py and tools/bench_common.py without valgrind:
the window rule, the scenario text, the parsing of quicsim's window line and
of valgrind totals, and the table and plot from saved results."""

import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench_common as common  # noqa: E402
import bench_scale as bs  # noqa: E402


class BenchScaleTest(unittest.TestCase):

    def test_window_is_the_whole_run_below_ten_seconds_of_starts(self):
        self.assertEqual(bs.window_for(100), (0, "inf"))
        self.assertEqual(bs.window_for(99999), (0, "inf"))
        # 100,000 pairs start over 10 s, a million over 100 s: one second
        # at a tenth of the span.
        self.assertEqual(bs.window_for(100000), (1.0, 2.0))
        self.assertEqual(bs.window_for(1000000), (10.0, 11.0))

    def test_scenario_text(self):
        text = common.scenario_text("bottleneck", 1000000, 100000, 12,
                                    name="bench_scale")
        self.assertIn('name: "bench_scale"', text)
        self.assertIn('pairs: 1000000 start_spacing: "100000ns"', text)
        self.assertIn('max_virtual_time: "12s"', text)
        self.assertIn("shared_bottleneck: true", text)
        self.assertIn('max_virtual_time: "0.08s"',
                      common.scenario_text("bottleneck", 10, 1, 0.08))
        self.assertIn('name: "bench_clean"',
                      common.scenario_text("clean", 10, 1000000, 600))

    def test_window_line(self):
        text = ("summary\nresult PASS\ninstr_window: start=10.000000000s "
                "end=11.000000000s opened=1 events=61234 "
                "handshakes_done=10003\n==1== I refs: 5\n")
        self.assertEqual(common.parse_window_line(text),
                         {"start": "10.000000000s", "end": "11.000000000s",
                          "opened": 1, "events": 61234,
                          "handshakes_done": 10003})
        self.assertIsNone(common.parse_window_line("result PASS\n"))

    def test_totals_of_callgrind_and_cachegrind(self):
        d = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
        cg = os.path.join(d, "cg")
        with open(cg, "w") as f:
            f.write("events: Ir\nfn=main\n1 5\nsummary: 1234\n")
        callgrind = os.path.join(d, "callgrind")
        with open(callgrind, "w") as f:
            f.write("events: Ir\nfn=(1) main\n1 5\ntotals: 987\n")
        self.assertEqual(common.total_ir(cg), 1234)
        self.assertEqual(common.total_ir(callgrind), 987)
        bad = os.path.join(d, "bad")
        with open(bad, "w") as f:
            f.write("events: Ir\n")
        with self.assertRaises(ValueError):
            common.total_ir(bad)

    def test_table_and_plot_from_saved_results(self):
        d = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
        native = lambda n, kib, cpu: {"pairs": n, "confirmed": n, "exit": 0,
                                      "maxrss_kib": kib, "cpu_s": cpu,
                                      "wall_s": 1.0}
        rows = {"10": native(10, 1000, 0.01),
                "100": dict(native(100, 1100, 0.05), instr={
                    "ir": 400000000, "handshakes": 100, "ir_per_hs": 4e6,
                    "window": [0, "inf"], "events": 600}),
                "1000000": {"pairs": 1000000, "instr": {
                    "ir": 41000000000, "handshakes": 10000,
                    "ir_per_hs": 4.1e6, "window": [10.0, 11.0],
                    "events": 60000}},
                "checks": [["x/y", 2.0, 4.0]]}
        with open(os.path.join(d, "scale.json"), "w") as f:
            json.dump(rows, f)
        svg = os.path.join(d, "scale.svg")
        out = subprocess.run(
            [sys.executable, os.path.join(HERE, "bench_scale.py"), "plot",
             "--work=" + d, "--svg=" + svg],
            stdout=subprocess.PIPE, check=True, universal_newlines=True).stdout
        table = bs.parse_table(out)
        self.assertEqual(sorted(table), [100, 1000000])
        # 100 pairs: (1100 - 1000) KiB / 100, (0.05 - 0.01) s / 90 pairs.
        self.assertEqual(table[100]["KiB_above_base"], "1.00")
        self.assertEqual(table[100]["cpu_us_per_hs"], "444.4")
        self.assertEqual(table[100]["vs_base"], "1.0000")
        self.assertEqual(table[1000000]["maxrss_MiB"], "-")
        self.assertEqual(table[1000000]["window_s"], "10.0-11.0")
        self.assertEqual(table[1000000]["hs_in_window"], "10000")
        self.assertEqual(table[1000000]["Ir_per_hs"], "4100000")
        self.assertEqual(table[1000000]["vs_base"], "1.0250")
        self.assertIn("x/y", out)
        self.assertIn("0.5000", out)
        text = open(svg).read()
        self.assertIn("Instructions per handshake", text)
        self.assertIn("Peak memory per pair", text)
        self.assertIn(">4.100</text>", text)


if __name__ == "__main__":
    unittest.main()
