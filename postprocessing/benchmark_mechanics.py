#!/usr/bin/env python3
"""Scaling figures of one mechanics solve (a benchmark, not a test).

    python3 postprocessing/benchmark_mechanics.py [--ossify BIN] [--ranks 1 2]
            [--sizes NAME ...] [--workdir DIR] [--preconditioner boomeramg|gamg]

Runs the default case (cases/default.prm: human tibia, 3 mm gap) at several
mesh sizes from 53k to 300k displacement DOFs (--sizes xlarge adds 395k), on each rank count, and
prints one row per run: DOFs, cells, peak memory (sum of the ranks' peak
resident sets), assembly, AMG set-up and solve times, iterations. The goal
on a 2-core machine is assembly + set-up + solve <= 5 s at 300k DOFs on 2
ranks. Needs a Release build (bash .ci/setup main builds one).
"""
import argparse
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# name -> (cells around, axial cell size [mm], global refinements,
#          callus refinements)
SIZES = {
    "small": (24, 4.0, 0, 1),   # the default case, 53k DOFs
    "medium": (24, 4.0, 1, 0),  # 118k DOFs
    "large": (20, 3.0, 1, 1),   # 300k DOFs
    "xlarge": (24, 4.0, 1, 1),  # 395k DOFs
}


def read_statistics(path):
    values = {}
    with open(path) as f:
        for line in f:
            if not line.startswith("#") and line.strip():
                name, value = line.split()
                values[name] = float(value)
    return values


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ossify", default=os.path.join(ROOT, "build", "solver", "ossify"))
    parser.add_argument("--ranks", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--sizes", nargs="+", default=["small", "medium", "large"],
                        choices=list(SIZES))
    parser.add_argument("--workdir", default=os.path.join(ROOT, "output", "benchmark"))
    parser.add_argument("--preconditioner", default="boomeramg", choices=["boomeramg", "gamg"])
    parser.add_argument("--tolerance", type=float, default=1e-8,
                        help="relative tolerance of the linear solver")
    parser.add_argument("--mpiexec", default="mpiexec")
    args = parser.parse_args()
    if not os.path.isfile(args.ossify):
        print(f"benchmark: error: {args.ossify} not found; build first (bash .ci/setup main)")
        return 2

    env = dict(os.environ)
    if os.geteuid() == 0:
        env.update(OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    env["OMPI_MCA_rmaps_base_oversubscribe"] = "1"

    header = (f"{'size':>7} {'ranks':>5} {'DOFs':>9} {'cells':>8} {'peak MB':>8} "
              f"{'assembly s':>10} {'AMG set-up s':>12} {'solve s':>8} {'its':>4} {'sum s':>6}")
    print(header)
    print("-" * len(header))
    for size in args.sizes:
        around, axial_size, global_refinements, callus_refinements = SIZES[size]
        for ranks in args.ranks:
            workdir = os.path.join(args.workdir, f"{size}_np{ranks}")
            shutil.rmtree(workdir, ignore_errors=True)
            os.makedirs(workdir)
            case = os.path.join(workdir, "case.prm")
            with open(case, "w") as f:
                f.write(f"include {os.path.join(ROOT, 'cases', 'default.prm')}\n"
                        f"set Case name = benchmark\n"
                        f"set Output directory = {workdir}/output\n"
                        "subsection Geometry\n"
                        f"  set Global refinements = {global_refinements}\n"
                        f"  set Callus refinements = {callus_refinements}\n"
                        "  subsection Parametric bone\n"
                        f"    set Cells around circumference = {around}\n"
                        f"    set Axial cell size = {axial_size}\n"
                        "  end\nend\n"
                        "subsection Linear solver\n"
                        f"  set Preconditioner = {args.preconditioner}\n"
                        f"  set Relative tolerance = {args.tolerance}\n"
                        "end\n"
                        "subsection Output\n  set Write fields = false\nend\n")
            command = [args.ossify, "--quiet", "run", case]
            if ranks > 1:
                command = [args.mpiexec, "-np", str(ranks)] + command
            result = subprocess.run(command, env=env, capture_output=True, text=True)
            if result.returncode != 0:
                print(f"{size:>7} {ranks:>5} failed: {result.stderr.strip()}")
                continue
            s = read_statistics(os.path.join(workdir, "output", "statistics.txt"))
            total = s["time_assembly_s"] + s["time_amg_setup_s"] + s["time_solve_s"]
            print(f"{size:>7} {ranks:>5} {int(s['n_dofs']):>9} {int(s['n_cells']):>8} "
                  f"{s['memory_peak_MB']:>8.0f} {s['time_assembly_s']:>10.2f} "
                  f"{s['time_amg_setup_s']:>12.2f} {s['time_solve_s']:>8.2f} "
                  f"{int(s['solver_iterations']):>4} {total:>6.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
