#!/usr/bin/env python3
"""Dynamisation of a fixation: the construct must soften on the day given.

    check_dynamisation.py --ossify BIN --case FILE.prm --day N
                          --workdir DIR [--ranks N ...] [--mpiexec MPIEXEC]

The case runs on each rank count. In its healing.csv the axial construct
stiffness may change by at most 2 % a day before day N (healing alone is
slow), must fall by at least 20 % on day N, and the axial IFM must grow by
at least 20 % on day N. Both rank counts must give the same curve (1e-6).
"""
import argparse
import csv
import os
import shutil
import subprocess
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "postprocessing"))
from ossifypy import launch  # noqa: E402


def curve(workdir):
    paths = [os.path.join(root, f) for root, _, files in os.walk(workdir)
             for f in files if f == "healing.csv"]
    if len(paths) != 1:
        sys.exit(f"FAILED: expected one healing.csv below {workdir}: {paths}")
    with open(paths[0]) as f:
        return [(float(r["stiffness_N_per_mm"]), abs(float(r["ifm_axial_mm"])))
                for r in csv.DictReader(f)]


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ossify", required=True)
    p.add_argument("--case", required=True)
    p.add_argument("--day", type=int, required=True)
    p.add_argument("--workdir", required=True)
    p.add_argument("--ranks", type=int, nargs="+", default=[1])
    p.add_argument("--mpiexec", default="mpiexec")
    a = p.parse_args()

    curves = []
    for ranks in a.ranks:
        workdir = os.path.join(a.workdir, f"np{ranks}")
        shutil.rmtree(workdir, ignore_errors=True)
        os.makedirs(workdir)
        command = launch.command(a.ossify, ["--quiet", "run", os.path.abspath(a.case)], ranks, a.mpiexec)
        print("running:", " ".join(command), flush=True)
        if subprocess.run(command, cwd=workdir).returncode != 0:
            print("FAILED: ossify did not finish")
            return 1
        curves.append(curve(workdir))

    failures = 0
    c = curves[0]
    for day in range(1, len(c)):
        k_ratio = c[day][0] / c[day - 1][0]
        u_ratio = c[day][1] / c[day - 1][1]
        print(f"day {day}: stiffness x {k_ratio:.4f}, axial IFM x {u_ratio:.4f}")
        if day < a.day and abs(k_ratio - 1) > 0.02:
            print(f"FAILED: stiffness changed by more than 2 % on day {day}, "
                  f"before dynamisation")
            failures += 1
        if day == a.day and not (k_ratio < 0.8 and u_ratio > 1.2):
            print(f"FAILED: no softening on the dynamisation day {day}")
            failures += 1
    for other in curves[1:]:
        for day, (x, y) in enumerate(zip(c, other)):
            if any(abs(u - v) > 1e-6 * abs(u) for u, v in zip(x, y)):
                print(f"FAILED: rank counts disagree on day {day}: {x} {y}")
                failures += 1
    print("PASSED" if not failures else f"{failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
