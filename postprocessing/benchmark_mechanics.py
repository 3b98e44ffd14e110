#!/usr/bin/env python3
"""Scaling figures of one mechanics solve (a benchmark, not a test).

    python3 postprocessing/benchmark_mechanics.py [--ossify BIN] [--ranks 1 2]
            [--sizes NAME ...] [--workdir DIR] [--preconditioner boomeramg|gamg]
    python3 postprocessing/benchmark_mechanics.py --peer 2.0 1.0 [--ranks 2]

--peer SIZE ...: the peer benchmark (../shared/bench: the identical Gmsh
mesh and a FEniCSx script that solves it). For each mesh size, meshes it,
runs FEniCSx (after one warm-up run that compiles its forms) and Ossify one
after the other on the same ranks, and prints both, with the ratio of the
whole-process wall times (launch to exit, as a user waits for them).

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

from ossifypy import launch
from ossifypy.results import read_statistics

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


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ossify", default=os.path.join(ROOT, "build", "solver", "ossify"))
    parser.add_argument("--ranks", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--sizes", nargs="+", default=["small", "medium", "large"],
                        choices=list(SIZES))
    parser.add_argument("--workdir", default=os.path.join(ROOT, "output", "benchmark"))
    parser.add_argument("--preconditioner", default="gamg", choices=["boomeramg", "gamg"])
    parser.add_argument("--tolerance", type=float, default=1e-8,
                        help="relative tolerance of the linear solver")
    parser.add_argument("--mpiexec", default="mpiexec")
    parser.add_argument("--peer", nargs="+", type=float, metavar="SIZE",
                        help="peer benchmark at these hex edge lengths [mm] "
                             "(2.0: 48k DOFs, 1.0: 313k, 0.68: 1.02M)")
    parser.add_argument("--bench", default=os.path.join(ROOT, "..", "shared", "bench"),
                        help="the peer benchmark's directory")
    args = parser.parse_args()
    if not os.path.isfile(args.ossify):
        print(f"benchmark: error: {args.ossify} not found; build first (bash .ci/setup main)")
        return 2

    env = launch.environment()

    if args.peer:
        return run_peer(args, env)

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
            command = launch.command(args.ossify, ["--quiet", "run", case], ranks,
                                     args.mpiexec)
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


# The peer problem in Ossify's terms (../shared/bench/README.md): the
# physical volumes map to regions, and each region's initial tissue has the
# peer's elastic constants.
PEER_CASE = """set Case name = peer
set Output directory = {output}
subsection Geometry
  set Source = gmsh
  set Callus refinements = 0
  subsection Gmsh mesh
    set Mesh file    = {mesh}
    set Region map   = 1: cortical, 2: marrow, 3: gap, 4: periosteal_callus
    set Boundary map = 1: distal, 2: proximal, 3: other
  end
end
subsection Regions
  set Initial tissue = cortical: cortical_bone, marrow: marrow, gap: granulation, periosteal_callus: granulation
end
subsection Tissue materials
  subsection cortical_bone
    set Young's modulus = 17000
    set Poisson's ratio = 0.3
  end
  subsection marrow
    set Young's modulus = 2
    set Poisson's ratio = 0.167
  end
  subsection granulation
    set Young's modulus = 1
    set Poisson's ratio = 0.167
  end
end
subsection Boundary conditions
  set Fixed       = distal: xyz
  set Total force = proximal: 0 0 -500
end
subsection Linear solver
  set Preconditioner     = {preconditioner}
  set Relative tolerance = {tolerance}
end
subsection Output
  set Write fields = false
end
"""


def timed(command, env):
    import time
    start = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    return result, time.perf_counter() - start


def run_peer(args, env):
    mesh_script = os.path.join(args.bench, "mesh.sh")
    peer_script = os.path.join(args.bench, "fenicsx_elastic.py")
    for path in (mesh_script, peer_script):
        if not os.path.isfile(path):
            print(f"benchmark: error: {path} not found (--bench names the peer benchmark's directory)")
            return 2
    os.makedirs(args.workdir, exist_ok=True)
    print("wall s: whole process from launch to exit; solve s: preconditioner set-up plus Krylov")
    print(f"{'code':>8} {'size':>5} {'ranks':>5} {'DOFs':>8} {'its':>4} {'solve s':>8} "
          f"{'wall s':>7} {'peak MB':>8} {'top uz mm':>12} {'IFM mm':>12} {'reaction N':>11}")
    for size in args.peer:
        meshing = subprocess.run(["bash", mesh_script, f"{size}", args.workdir],
                                 capture_output=True, text=True)
        if meshing.returncode != 0:
            print(f"benchmark: error: meshing at SIZE {size} failed: {meshing.stderr.strip()}")
            return 1
        mesh = os.path.join(args.workdir, f"bone_{size}.msh")
        for ranks in args.ranks:
            mpi = [args.mpiexec, "-np", str(ranks)] if ranks > 1 else []
            peer = mpi + ["/usr/bin/python3", peer_script, mesh]
            subprocess.run(peer, env=env, capture_output=True)  # compiles the forms
            result, wall = timed(peer, env)
            if result.returncode != 0:
                print(f"benchmark: error: FEniCSx failed: {result.stderr.strip()[-500:]}")
                return 1
            # the one result line; launchers and JIT compilers may print more
            lines = [l for l in result.stdout.splitlines() if l.startswith("code=")]
            if not lines:
                print(f"benchmark: error: FEniCSx printed no 'code=' line: {result.stdout.strip()[-500:]}")
                return 1
            fields = dict(w.split("=", 1) for w in lines[-1].split() if "=" in w)
            peer_wall = wall
            print(f"{'fenicsx':>8} {size:>5} {ranks:>5} {int(fields['dofs']):>8} "
                  f"{int(fields['iters']):>4} {float(fields['solve_s']):>8.2f} {wall:>7.2f} "
                  f"{float(fields['rss_mb']):>8.0f} {float(fields['top_uz']):>12.6e} "
                  f"{float(fields['ifm']):>12.6e} {float(fields['reaction']):>11.3f}", flush=True)

            workdir = os.path.join(args.workdir, f"peer_{size}_np{ranks}")
            shutil.rmtree(workdir, ignore_errors=True)
            os.makedirs(workdir)
            case = os.path.join(workdir, "case.prm")
            with open(case, "w") as f:
                f.write(PEER_CASE.format(output=os.path.join(workdir, "output"), mesh=mesh,
                                         preconditioner=args.preconditioner,
                                         tolerance=args.tolerance))
            result, wall = timed(launch.command(args.ossify, ["--quiet", "run", case], ranks,
                                                args.mpiexec), env)
            if result.returncode != 0:
                print(f"benchmark: error: ossify failed: {result.stderr.strip()[-500:]}")
                return 1
            s = read_statistics(os.path.join(workdir, "output", "statistics.txt"))
            # Ossify's figures are area means over the faces (the peer's are
            # nodal means): they agree to discretisation accuracy, not to the
            # last digit.
            print(f"{'ossify':>8} {size:>5} {ranks:>5} {int(s['n_dofs']):>8} "
                  f"{int(s['solver_iterations']):>4} "
                  f"{s['time_amg_setup_s'] + s['time_solve_s']:>8.2f} {wall:>7.2f} "
                  f"{s['memory_peak_MB']:>8.0f} {s['mean_uz_proximal_mm']:>12.6e} "
                  f"{s['axial_ifm_mm']:>12.6e} {s['force_distal_z_N']:>11.3f}")
            print(f"{'ratio':>8} {size:>5} {ranks:>5}  ossify / fenicsx wall time = "
                  f"{wall / peer_wall:.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
