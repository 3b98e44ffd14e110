#!/usr/bin/env python3
"""Run an Ossify case in a fresh work directory and compare its
statistics.txt with expected values.

    run_case.py --ossify BIN --case FILE.prm --workdir DIR --ranks N [N ...]
                [--mpiexec MPIEXEC] [--expected FILE] [--agree RTOL]
                [--copy FILE ...]

For each rank count N the case runs as `mpiexec -np N BIN run FILE.prm`
inside DIR/npN, so its default output directory output/<case> lands there.
With --expected, every figure listed in that file must match (see
compare_statistics.py); with --agree, every figure of each run must match
the first run to the relative tolerance RTOL.
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
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ossify", required=True)
    parser.add_argument("--case", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--ranks", type=int, nargs="+", default=[1])
    parser.add_argument("--mpiexec", default="mpiexec")
    parser.add_argument("--expected", nargs="+", default=[],
                        help="files of expected figures (several allowed)")
    parser.add_argument("--agree", type=float)
    parser.add_argument("--copy", nargs="*", default=[],
                        help="files copied into the work directory first")
    args = parser.parse_args()

    statistics = []
    for ranks in args.ranks:
        workdir = os.path.join(args.workdir, f"np{ranks}")
        shutil.rmtree(workdir, ignore_errors=True)
        os.makedirs(workdir)
        for f in args.copy:
            shutil.copy(f, workdir)
        case = os.path.abspath(args.case)
        if args.copy:  # the case refers to copied files: run a copy of it
            shutil.copy(case, workdir)
            case = os.path.join(workdir, os.path.basename(case))

        command = launch.command(args.ossify, ["run", case], ranks, args.mpiexec)
        print("running:", " ".join(command), flush=True)
        result = subprocess.run(command, cwd=workdir)
        if result.returncode != 0:
            print(f"FAILED: ossify exited with {result.returncode}")
            return 1

        outputs = [os.path.join(root, f) for root, _, files in os.walk(workdir)
                   for f in files if f == "statistics.txt"]
        if len(outputs) != 1:
            print(f"FAILED: expected one statistics.txt below {workdir}, found {outputs}")
            return 1
        statistics.append(outputs[0])
        for expected in args.expected:
            if compare_statistics.compare(expected, outputs[0]):
                return 1

    if args.agree is not None:
        for other in statistics[1:]:
            print(f"comparing {statistics[0]} with {other}")
            # iteration counts, timings and memory depend on the partition;
            # figures that are zero by symmetry are compared to 1e-8 absolute,
            # reactions to their round-off (compare_statistics.FORCE_ROUNDOFF_N)
            if compare_statistics.compare(statistics[0], other, rtol=args.agree,
                                          atol=1e-8,
                                          skip=compare_statistics.run_dependent(statistics[0])):
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
