#!/usr/bin/env python3
"""Run several Ossify cases one after another and build one HTML report
comparing them.

    python3 postprocessing/run_study.py CASE.prm [CASE.prm ...]
        [--ranks N] [--ossify BIN] [--mpiexec MPIEXEC] [--report DIR]
        [--title TEXT]

Each case runs as `mpiexec -np N ossify run CASE.prm`; its progress lines
are shown as they come and kept in DIR/logs/<case>.log. A case that fails
(bad input, diverging solve, crash) is reported in the report and in the
exit code, and the other cases still run. Cases that enable Catalyst image
pipelines run under `xvfb-run -a` when there is no X display.
Ends by printing the path of DIR/index.html (default: output/report).

Exit code: 0 if every case ran, 1 if any failed, 2 for bad arguments.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_report  # noqa: E402
from ossifypy import launch  # noqa: E402


def validate(ossify, case):
    """(output directory, None) or (None, error message)."""
    result = subprocess.run([ossify, "--validate", case], capture_output=True,
                            text=True)
    if result.returncode != 0:
        return None, (result.stdout + result.stderr).strip()
    match = re.search(r"^output directory: (.+)$", result.stdout, re.M)
    if not match:
        return None, "ossify --validate did not name the output directory"
    return match.group(1).strip(), None


def run_case(args, case, log_path):
    # Catalyst image pipelines need an X display; xvfb-run gives one
    display = [] if os.environ.get("DISPLAY") or not shutil.which("xvfb-run") \
        else ["xvfb-run", "-a"]
    command = launch.command(args.ossify, ["run", case], args.ranks, args.mpiexec,
                             launcher=display)
    print("== running:", " ".join(command), flush=True)
    start = time.time()
    with open(log_path, "w", errors="replace") as log:
        process = subprocess.Popen(command, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True,
                                   errors="replace")
        for line in process.stdout:
            log.write(line)
            # keep the terminal readable: progress every 7 days and the rest
            day = re.match(r"day +(\d+)/", line)
            if not day or int(day.group(1)) % 7 == 0:
                print("   ", line, end="", flush=True)
        process.wait()
    return process.returncode, time.time() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cases", nargs="+")
    parser.add_argument("--ranks", type=int, default=2)
    parser.add_argument("--ossify", default=os.path.join(HERE, "..", "build", "solver", "ossify"))
    parser.add_argument("--mpiexec", default="mpiexec")
    parser.add_argument("--report", default=os.path.join("output", "report"))
    parser.add_argument("--title", default="Ossify study")
    args = parser.parse_args()
    if not os.path.isfile(args.ossify):
        print(f"run_study.py: error: no Ossify executable at {args.ossify}; build first "
              "(bash .ci/setup main) or pass --ossify")
        return 2
    if args.ranks < 1:
        print("run_study.py: error: --ranks must be at least 1")
        return 2
    if args.ranks > 1 and not shutil.which(args.mpiexec):
        print(f"run_study.py: error: '{args.mpiexec}' not found; install openmpi-bin "
              "or pass --mpiexec")
        return 2
    for case in args.cases:
        if not os.path.isfile(case):
            print(f"run_study.py: error: case file {case} does not exist")
            return 2

    logs = os.path.join(args.report, "logs")
    os.makedirs(logs, exist_ok=True)
    runs, failures = [], {}
    names, used = set(), {}  # log names; output directory -> case
    for case in args.cases:
        base = os.path.splitext(os.path.basename(case))[0]
        name = base
        if name in names:  # two cases of one file name: cases/x.prm, y/x.prm
            name = os.path.basename(os.path.dirname(os.path.abspath(case))) \
                + "_" + base
        count = 2
        while name in names:
            name = f"{base}_{count}"
            count += 1
        names.add(name)
        log_path = os.path.join(logs, name + ".log")
        output, error = validate(args.ossify, case)
        if not error and os.path.abspath(output) in used:
            error = (f"its output directory {output} is that of "
                     f"{used[os.path.abspath(output)]} as well: give each case "
                     "its own 'Case name' (or 'Output directory')")
        if error:
            failures[name] = error
            print(f"== {name}: FAILED validation: {error}", flush=True)
            continue
        used[os.path.abspath(output)] = case
        code, seconds = run_case(args, case, log_path)
        if code != 0:
            with open(log_path, errors="replace") as f:
                last = [l.strip() for l in f if "error" in l.lower()]
            reason = last[-1] if last else f"exit code {code}"
            failures[name] = f"{reason} (exit code {code}; log {log_path})"
            print(f"== {name}: FAILED after {seconds:.0f} s: {reason}", flush=True)
            continue
        print(f"== {name}: finished in {seconds:.0f} s, results in {output}", flush=True)
        runs.append(output)

    report = make_report.build(runs, args.report, title=args.title, failures=failures)
    print(f"== report: {os.path.abspath(report)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
