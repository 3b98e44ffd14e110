#!/usr/bin/env python3
"""A half model must reproduce the whole one.

    run_half_model.py --ossify BIN --case FILE.prm --workdir DIR
                      [--mpiexec MPIEXEC]

FILE.prm is a case with 'Fixation/Half model = true'. It runs on 2 ranks;
a copy with 'Half model = false' (the whole construct) runs on 1 rank.
Every figure of the two statistics.txt files must agree to 1e-7 relative
(1e-8 absolute), except the mesh size and run-dependent figures, and the
half model must have half the cells.
"""
import argparse
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare_statistics  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "postprocessing"))
from ossifypy import launch  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ossify", required=True)
    p.add_argument("--case", required=True)
    p.add_argument("--workdir", required=True)
    p.add_argument("--mpiexec", default="mpiexec")
    a = p.parse_args()

    shutil.rmtree(a.workdir, ignore_errors=True)
    os.makedirs(a.workdir)
    whole = os.path.join(a.workdir, "whole.prm")
    with open(whole, "w") as f:
        f.write(f"include {os.path.abspath(a.case)}\n"
                "set Case name = whole\n"
                "subsection Fixation\n  set Half model = false\nend\n")
    runs = {"half": launch.command(a.ossify, ["--quiet", "run", os.path.abspath(a.case)], 2,
                                   a.mpiexec),
            "whole": launch.command(a.ossify, ["--quiet", "run", whole])}
    statistics = {}
    for name, command in runs.items():
        workdir = os.path.join(a.workdir, name)
        os.makedirs(workdir)
        print("running:", " ".join(command), flush=True)
        if subprocess.run(command, cwd=workdir).returncode != 0:
            print(f"FAILED: the {name} model did not finish")
            return 1
        found = [os.path.join(root, f) for root, _, files in os.walk(workdir)
                 for f in files if f == "statistics.txt"]
        if len(found) != 1:
            print(f"FAILED: expected one statistics.txt below {workdir}")
            return 1
        statistics[name] = found[0]

    cells = {name: compare_statistics.read(path)["n_cells"][0]
             for name, path in statistics.items()}
    if 2 * cells["half"] != cells["whole"]:
        print(f"FAILED: the half model has {cells['half']} cells, the whole "
              f"{cells['whole']}")
        return 1
    skip = compare_statistics.run_dependent(statistics["whole"]) + \
        ["n_cells", "n_dofs"]
    print(f"comparing {statistics['whole']} with {statistics['half']}")
    return 1 if compare_statistics.compare(statistics["whole"],
                                           statistics["half"], rtol=1e-7,
                                           atol=1e-8, skip=skip) else 0


if __name__ == "__main__":
    sys.exit(main())
