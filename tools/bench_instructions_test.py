#!/usr/bin/env python3
"""Checks tools/bench_instructions.py on fixture outputs (no valgrind):
the per-pair difference, the ratios and verdicts, the callgrind component
split, and that the printed table parses back to the same figures."""

import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench_instructions as bi  # noqa: E402

FIXTURES = os.path.join(HERE, "testdata", "bench_instructions")


class BenchInstructionsTest(unittest.TestCase):

    def table(self):
        out = subprocess.run(
            [sys.executable, os.path.join(HERE, "bench_instructions.py"),
             "table", "--work=" + FIXTURES],
            stdout=subprocess.PIPE, check=True, universal_newlines=True)
        return out.stdout

    def test_per_pair_is_the_difference_over_the_size_difference(self):
        subjects, _, _ = bi.parse_table(self.table())
        # (240e6 - 100e6) / 40, (243.6e6 - 101e6) / 40, (278e6 - 110e6) / 40
        self.assertEqual(subjects, {"floor": 3500000, "engine": 3565000,
                                    "run_clean": 4200000})

    def test_ratios_and_verdicts(self):
        _, ratios, _ = bi.parse_table(self.table())
        self.assertEqual(ratios["engine/floor"], (1.0186, 1.02, "ok"))
        self.assertEqual(ratios["run_clean/floor"], (1.2, 1.1, "MISSED"))
        # Subjects without outputs give no ratio rows.
        self.assertNotIn("floor_verify/floor", ratios)

    def test_components_from_callgrind_self_costs(self):
        _, _, components = bi.parse_table(self.table())
        # Self costs only: X25519's inclusive cost after calls= is skipped;
        # names compressed as "fn=(2)" resolve to their first definition.
        self.assertEqual(components, {"quicsim": 12, "libcrypto": 80,
                                      "libssl": 10, "malloc": 5,
                                      "libc_other": 3, "total": 110})

    def test_missing_summary_is_an_error(self):
        path = os.path.join(os.environ.get("TEST_TMPDIR", "/tmp"), "bad.cg")
        with open(path, "w") as f:
            f.write("events: Ir\nfn=main\n1 5\n")
        with self.assertRaises(ValueError):
            bi.cachegrind_total(path)


if __name__ == "__main__":
    unittest.main()
