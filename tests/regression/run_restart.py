#!/usr/bin/env python3
"""Checkpoint and restart of a healing run.

    run_restart.py --ossify BIN --case restart_cast.prm --workdir DIR
                   [--mpiexec MPIEXEC]

1. The case runs 30 days straight on 2 ranks.
2. The same case runs 15 days on 1 rank (checkpoints on days 10 and 15),
   then `--restart` extends it to 30 days on 2 ranks.
3. Every figure of statistics.txt (but timings) of the restarted run must
   match the straight run to 1e-6 relative, and its healing.csv must hold
   days 0..30 once each, each row matching the straight run's (rotations
   under the case's bending moment included; not timings, iterations).
4. `--restart` asking for fewer days than the checkpoint holds, and a
   restart where there is no checkpoint, must stop with exit code 2.
"""
import argparse
import csv
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare_statistics  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "postprocessing"))
from ossifypy import launch  # noqa: E402


def write_case(workdir, base, name, days, output):
    path = os.path.join(workdir, name)
    with open(path, "w") as f:
        f.write(f"include {os.path.abspath(base)}\n"
                f"set Output directory = {output}\n"
                f"subsection Healing\n  set Number of days = {days}\nend\n")
    return path


def run(args, ranks, case, *options):
    command = launch.command(args.ossify, ["run", *options, case], ranks, args.mpiexec)
    print("running:", " ".join(command), flush=True)
    result = subprocess.run(command, cwd=args.workdir, capture_output=True, text=True)
    print(result.stdout[-1500:] + result.stderr[-1500:])
    return result.returncode


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ossify", required=True)
    parser.add_argument("--case", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--mpiexec", default="mpiexec")
    args = parser.parse_args()
    shutil.rmtree(args.workdir, ignore_errors=True)
    os.makedirs(args.workdir)

    straight = write_case(args.workdir, args.case, "straight.prm", 30, "straight")
    first = write_case(args.workdir, args.case, "first.prm", 15, "restarted")
    extended = write_case(args.workdir, args.case, "extended.prm", 30, "restarted")
    too_short = write_case(args.workdir, args.case, "short.prm", 12, "restarted")
    nowhere = write_case(args.workdir, args.case, "nowhere.prm", 30, "nowhere")

    problems = []
    if run(args, 2, straight) != 0:
        return 1
    if run(args, 1, first) != 0:
        return 1
    if run(args, 2, extended, "--restart") != 0:
        return 1

    out = lambda d, f: os.path.join(args.workdir, d, f)  # noqa: E731
    stats = out("straight", "statistics.txt")
    if compare_statistics.compare(stats, out("restarted", "statistics.txt"), rtol=1e-6,
                                  atol=1e-9, skip=compare_statistics.run_dependent(stats)):
        problems.append("the restarted run differs from the straight one")
    with open(out("restarted", "healing.csv")) as f:
        restarted = list(csv.DictReader(f))
    days = [int(float(row["day"])) for row in restarted]
    if days != list(range(31)):
        problems.append(f"healing.csv of the restarted run has days {days}")
    # every figure of every day, those read back from the checkpoint too
    # (rotations included), but timings and iteration counts
    with open(out("straight", "healing.csv")) as f:
        straight_rows = list(csv.DictReader(f))
    if restarted and straight_rows and \
            list(restarted[0].keys()) != list(straight_rows[0].keys()):
        problems.append("healing.csv columns differ after the restart: "
                        f"{list(restarted[0].keys())} against "
                        f"{list(straight_rows[0].keys())}")
    for row, ref in zip(restarted, straight_rows):
        for name, value in ref.items():
            if name in ("wall_s", "solver_iterations"):
                continue
            if value is None or row.get(name) is None:
                problems.append(f"healing.csv day {ref['day']}: {name} is "
                                "missing in a row")
                continue
            a, b = float(value), float(row[name])
            if not (a == b or (a != a and b != b) or
                    abs(a - b) <= 1e-9 + 1e-6 * abs(a)):
                problems.append(f"healing.csv day {ref['day']}: {name} is "
                                f"{b} after the restart, {a} straight")

    if run(args, 1, too_short, "--restart") != 2:
        problems.append("a restart with fewer days than the checkpoint did not exit with 2")
    if run(args, 1, nowhere, "--restart") != 2:
        problems.append("a restart without a checkpoint did not exit with 2")

    for p in problems:
        print("FAILED:", p)
    if not problems:
        print("OK: restarted run (1 rank, then 2) equals the straight run")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
