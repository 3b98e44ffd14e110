#!/usr/bin/env python3
"""Unit tests of postprocessing/ossifypy, the package the Python tools share.

    test_ossifypy.py [--ossify BIN]

With --ossify, the labels are also read from that binary and must name the
regions and boundaries the template and the checker use.
"""
import argparse
import math
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "postprocessing"))
from ossifypy import labels, launch, results  # noqa: E402

OSSIFY = None


def write(directory, name, text):
    path = os.path.join(directory, name)
    with open(path, "w") as f:
        f.write(text)
    return path


class Results(unittest.TestCase):
    def test_statistics_from_file_or_directory(self):
        with tempfile.TemporaryDirectory() as d:
            path = write(d, "statistics.txt", "# comment\nn_days 140\n\nunion_day_ifm -1\n"
                                              "final_virtual_bending_ratio nan\n")
            for where in (path, d):
                values = results.read_statistics(where)
                self.assertEqual(values["n_days"], 140.)
                self.assertTrue(math.isnan(values["final_virtual_bending_ratio"]))
            self.assertFalse(results.is_day(values["union_day_ifm"]))
            self.assertTrue(results.is_day(values["n_days"]))

    def test_statistics_refuses_a_malformed_line(self):
        with tempfile.TemporaryDirectory() as d:
            path = write(d, "statistics.txt", "n_days 140\nunion_day_ifm sixty\n")
            with self.assertRaisesRegex(ValueError, r"statistics.txt:2: expected 'name value'"):
                results.read_statistics(path)

    def test_healing_csv_columns(self):
        with tempfile.TemporaryDirectory() as d:
            write(d, "healing.csv", "day,virtual_bending_ratio\n0,0.5\n1,nan\n")
            columns = results.read_healing_csv(d)
            self.assertEqual(columns["day"], [0., 1.])
            self.assertTrue(math.isnan(columns["virtual_bending_ratio"][1]))
            write(d, "healing.csv", "day\n")
            with self.assertRaisesRegex(ValueError, "has no rows"):
                results.read_healing_csv(d)


class Launch(unittest.TestCase):
    def test_one_rank_runs_directly(self):
        self.assertEqual(launch.command("ossify", ["run", "a.prm"]), ["ossify", "run", "a.prm"])

    def test_several_ranks_run_under_mpiexec(self):
        self.assertEqual(launch.command("ossify", ["run", "a.prm"], 2, "mpirun",
                                        launcher=("xvfb-run", "-a")),
                         ["xvfb-run", "-a", "mpirun", "-np", "2", "ossify", "run", "a.prm"])
        with self.assertRaises(ValueError):
            launch.command("ossify", [], 0)

    def test_environment_keeps_what_is_set(self):
        env = launch.environment({"OMPI_MCA_rmaps_base_oversubscribe": "0"})
        self.assertEqual(env["OMPI_MCA_rmaps_base_oversubscribe"], "0")


class Labels(unittest.TestCase):
    TEXT = ('{"regions": {"cortical": 1, "implant": 7}, '
            '"boundaries": {"other": 0, "distal": 1, "symmetry": 4}}')

    def test_parse(self):
        parsed = labels.parse(self.TEXT)
        self.assertEqual(parsed.region("implant"), 7)
        self.assertEqual(parsed.region_names(), {1: "cortical", 7: "implant"})
        self.assertEqual(parsed.boundary_names(), {1: "distal", 4: "symmetry"})
        self.assertEqual(parsed.boundary_names(labelled_only=False)[0], "other")

    def test_parse_refuses_what_is_not_labels(self):
        for text in ("[]", "{", '{"regions": {"a": 1.5}, "boundaries": {}}',
                     '{"regions": {"a": true}, "boundaries": {}}', '{"regions": {}}'):
            with self.assertRaisesRegex(ValueError, "not the labels"):
                labels.parse(text)

    def test_from_binary(self):
        if not OSSIFY:
            self.skipTest("no --ossify given")
        parsed = labels.from_binary(OSSIFY)
        for name in ("cortical", "marrow", "gap", "periosteal_callus", "endosteal_callus",
                     "soft_tissue", "implant"):
            self.assertIn(name, parsed.regions)
        for name in ("distal", "proximal", "outer", "symmetry"):
            self.assertIn(name, parsed.boundaries)
        with self.assertRaisesRegex(FileNotFoundError, "no ossify executable"):
            labels.from_binary("/nonexistent/ossify")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ossify", help="an ossify executable whose labels to read")
    args, rest = parser.parse_known_args()
    OSSIFY = args.ossify
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
