#!/usr/bin/env python3
"""A healing run killed with SIGKILL, three times, continues with --restart
to the same result as a run that was never interrupted.

    run_kill_restart.py --ossify BIN --case restart_cast.prm --workdir DIR
                        [--mpiexec M] [--ranks 2] [--kills 3] [--seed S]

1. The case runs straight on --ranks ranks, with a checkpoint every day.
2. The same case starts again in another directory and is killed (SIGKILL
   to every process of the job: mpiexec and the ranks) on a random day;
   `--restart` continues it and it is killed again, --kills times in all,
   each time on a later random day; the last `--restart` runs to the end.
3. healing.csv of the interrupted run must hold days 0..N once each, and
   every figure but wall time and solver iterations must equal the straight
   run's to 1e-8 relative (1e-9 absolute for figures that are round-off);
   statistics.txt too. The kill days and the seed
   are printed, so that a failure can be repeated.
"""
import argparse
import csv
import os
import random
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare_statistics  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "postprocessing"))
from ossifypy import launch  # noqa: E402

RTOL = 1e-8
# Figures that are zero but for solver round-off (a rotation about an
# unloaded axis is ~1e-11 deg) differ between any two solves whose Krylov
# iterations start from other AMG hierarchies, as after a restart.
ATOL = 1e-9
TIMEOUT_S = 600


def write_case(workdir, base, name, output):
    path = os.path.join(workdir, name)
    with open(path, "w") as f:
        f.write(f"include {os.path.abspath(base)}\n"
                f"set Output directory = {output}\n"
                "subsection Healing\n  set Checkpoint interval = 1\nend\n")
    return path


def command(args, case, *options):
    cmd = launch.command(args.ossify, ["run", "--quiet", *options, case], args.ranks, args.mpiexec)
    return cmd


def days_done(csv_path):
    """Rows of healing.csv written so far (0 while it does not exist)."""
    try:
        with open(csv_path) as f:
            return max(0, sum(1 for _ in f) - 1)
    except OSError:
        return 0


def run_and_kill(args, cmd, csv_path, kill_after_rows):
    """Starts @p cmd in its own process group and SIGKILLs the group once
    healing.csv has @p kill_after_rows rows. Returns True if it was killed,
    False if it finished first."""
    print("running:", " ".join(cmd), f"(kill after {kill_after_rows} rows)", flush=True)
    job = subprocess.Popen(cmd, cwd=args.workdir, start_new_session=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    start = time.time()
    while job.poll() is None:
        if days_done(csv_path) >= kill_after_rows:
            os.killpg(job.pid, signal.SIGKILL)
            job.wait()
            # ranks that outlive mpiexec would write on: make sure none do
            time.sleep(0.5)
            return True
        if time.time() - start > TIMEOUT_S:
            os.killpg(job.pid, signal.SIGKILL)
            raise RuntimeError("the run did not reach the kill day in time")
        time.sleep(0.02)
    if job.returncode != 0:
        raise RuntimeError(f"the run failed with exit code {job.returncode}: "
                           + job.stderr.read().decode()[-1500:])
    return False


def read_rows(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def compare_rows(straight, interrupted):
    problems = []
    days = [int(float(row["day"])) for row in interrupted]
    if days != [int(float(row["day"])) for row in straight]:
        problems.append(f"healing.csv of the interrupted run has days {days}")
        return problems
    for row, ref in zip(interrupted, straight):
        for name, value in ref.items():
            if name in ("wall_s", "solver_iterations"):
                continue
            a, b = float(value), float(row[name])
            if not (a == b or (a != a and b != b) or abs(a - b) <= RTOL * abs(a) + ATOL):
                problems.append(f"day {ref['day']}: {name} is {b} after the kills, {a} straight")
    return problems


def fault_test_parser(description):
    """The options every fault test takes."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--ossify", required=True)
    parser.add_argument("--case", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--mpiexec", default="mpiexec")
    parser.add_argument("--ranks", type=int, default=2)
    return parser


def main():
    parser = fault_test_parser(__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--seed", type=int, default=None,
                        help="seed of the kill days (default: from the clock, printed)")
    args = parser.parse_args()
    args.ossify = os.path.abspath(args.ossify)
    seed = args.seed if args.seed is not None else int(time.time())
    rng = random.Random(seed)
    shutil.rmtree(args.workdir, ignore_errors=True)
    os.makedirs(args.workdir)

    straight = write_case(args.workdir, args.case, "straight.prm", "straight")
    killed = write_case(args.workdir, args.case, "killed.prm", "killed")
    result = subprocess.run(command(args, straight), cwd=args.workdir,
                            capture_output=True, text=True)
    if result.returncode != 0:
        print(result.stderr[-2000:])
        return 1
    reference = read_rows(os.path.join(args.workdir, "straight", "healing.csv"))
    n_rows = len(reference)

    # kill days spread over the run, each after the last restart's day
    csv_path = os.path.join(args.workdir, "killed", "healing.csv")
    kill_rows = sorted(rng.sample(range(3, n_rows - 2), args.kills))
    print(f"seed {seed}: killing after {kill_rows} rows of {n_rows}", flush=True)
    options = []
    for rows in kill_rows:
        if not run_and_kill(args, command(args, killed, *options), csv_path, rows):
            print(f"FAILED: the run finished before row {rows}; it was not killed")
            return 1
        print(f"  killed with {days_done(csv_path)} rows in healing.csv; "
              f"checkpoint: {os.path.exists(os.path.join(args.workdir, 'killed', 'checkpoint'))}",
              flush=True)
        options = ["--restart"]
    result = subprocess.run(command(args, killed, "--restart"), cwd=args.workdir,
                            capture_output=True, text=True)
    if result.returncode != 0:
        print("FAILED: the last --restart exited with", result.returncode)
        print(result.stderr[-2000:])
        return 1

    problems = compare_rows(reference, read_rows(csv_path))
    stats = os.path.join(args.workdir, "straight", "statistics.txt")
    if compare_statistics.compare(stats, os.path.join(args.workdir, "killed", "statistics.txt"),
                                  rtol=RTOL, atol=ATOL,
                                  skip=compare_statistics.run_dependent(stats)):
        problems.append("statistics.txt of the interrupted run differs from the straight one")
    for p in problems[:20]:
        print("FAILED:", p)
    if not problems:
        print(f"OK: killed {args.kills} times (after rows {kill_rows}, seed {seed}) "
              f"on {args.ranks} rank(s), restarted; healing.csv and statistics "
              f"equal the straight run to {RTOL:g}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
