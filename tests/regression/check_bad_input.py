#!/usr/bin/env python3
"""Bad input must end with one clear message that names the parameter or
file, exit code 2, no stack trace, and no output directory.

    check_bad_input.py --ossify BIN --workdir DIR [--ranks N] [--mpiexec M]

Each file bad_input/<name>.prm carries its expectation in a first line
`# expect: TEXT`: TEXT must appear in the error message.
"""
import argparse
import glob
import os
import shutil
import subprocess
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "postprocessing"))
from ossifypy import launch  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ossify", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--ranks", type=int, default=1)
    parser.add_argument("--mpiexec", default="mpiexec")
    args = parser.parse_args()

    here = os.path.dirname(os.path.abspath(__file__))
    cases = sorted(glob.glob(os.path.join(here, "bad_input", "*.prm")))
    failures = 0
    for case in cases:
        with open(case) as f:
            first = f.readline()
        assert first.startswith("# expect:"), case
        expected = first.split(":", 1)[1].strip()
        workdir = os.path.join(args.workdir, os.path.basename(case)[:-4])
        shutil.rmtree(workdir, ignore_errors=True)
        os.makedirs(workdir)
        command = launch.command(args.ossify, ["run", case], args.ranks, args.mpiexec)
        result = subprocess.run(command, cwd=workdir, capture_output=True, text=True)
        problems = []
        if result.returncode != 2:
            problems.append(f"exit code {result.returncode}, expected 2")
        errors = [l for l in result.stderr.splitlines() if l.startswith("ossify: error:")]
        if len(errors) != 1:
            problems.append(f"{len(errors)} error lines, expected exactly one")
        if expected not in result.stderr:
            problems.append(f"message does not contain '{expected}'")
        if "Stacktrace" in result.stderr or "terminate called" in result.stderr:
            problems.append("a stack trace was printed")
        if os.path.exists(os.path.join(workdir, "output")):
            problems.append("an output directory was created")
        name = os.path.basename(case)
        if problems:
            failures += 1
            print(f"FAIL {name}: {'; '.join(problems)}\n  stderr: {result.stderr.strip()}")
        else:
            print(f"ok   {name}: {errors[0]}")
    print(f"{len(cases) - failures} passed, {failures} failed")
    return 1 if failures or not cases else 0


if __name__ == "__main__":
    sys.exit(main())
