#!/usr/bin/env python3
"""Runs mesh_independence_{coarse,fine}.prm on 2 ranks and compares their
days to union with check_mesh_independence.py."""
import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ossify", required=True)
    parser.add_argument("--mpiexec", default="mpiexec")
    parser.add_argument("--workdir", required=True)
    args = parser.parse_args()
    statistics = []
    for level in ("coarse", "fine"):
        workdir = os.path.join(args.workdir, level)
        command = [sys.executable, os.path.join(HERE, "run_case.py"), "--ossify", args.ossify,
                   "--mpiexec", args.mpiexec, "--ranks", "2", "--workdir", workdir,
                   "--case", os.path.join(HERE, f"mesh_independence_{level}.prm")]
        if subprocess.run(command).returncode != 0:
            return 1
        statistics.append(os.path.join(workdir, "np2", "output", f"mesh_{level}", "statistics.txt"))
    return subprocess.run([sys.executable, os.path.join(HERE, "check_mesh_independence.py")]
                          + statistics).returncode


if __name__ == "__main__":
    sys.exit(main())
