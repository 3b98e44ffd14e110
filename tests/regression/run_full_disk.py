#!/usr/bin/env python3
"""A healing run on a disk that fills up ends with exit code 3 and one
message naming the file, and loses nothing that was complete.

    run_full_disk.py --ossify BIN --case restart_cast.prm --workdir DIR
                     [--mpiexec M] [--ranks 2]

The full disk is a small tmpfs mounted for the test (and unmounted after).
Where mounting is not allowed, a file-size limit stands in for it, set with
prlimit on the ranks once they run (set before, as with `ulimit -f`, it
breaks Open MPI's start-up, which writes larger files).

Two runs, each compared with a straight run of the same case:
1. Fields every day: the disk fills while a field file is written. healing.csv
   must hold only complete rows, equal to the straight run's; summary.txt
   must say the run stopped early; no statistics.txt, no cut field files
   (every step in fields/ is listed in solution.pvd and the other way round).
2. Checkpoints every 2 days, no fields: the disk fills while the second
   checkpoint is written. The first must be intact and no checkpoint.new
   left; the output directory, copied to a disk with room, must continue
   with --restart to the straight run's results (1e-8).
"""
import contextlib
import csv
import glob
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare_statistics  # noqa: E402
import run_kill_restart  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "postprocessing"))
from ossifypy import launch  # noqa: E402

DAYS = 12


def write_case(path, base, output, extra):
    with open(path, "w") as f:
        f.write(f"include {os.path.abspath(base)}\nset Output directory = {output}\n"
                f"subsection Healing\n  set Number of days = {DAYS}\nend\n{extra}")
    return path


FIELDS = ("subsection Healing\n  set Checkpoint interval = 0\n  set Output interval = 1\nend\n"
          "subsection Output\n  set Write fields = true\nend\n")
CHECKPOINTS = ("subsection Healing\n  set Checkpoint interval = 2\nend\n"
               "subsection Output\n  set Write fields = false\nend\n")


@contextlib.contextmanager
def small_disk(path, size_kib, allowed=True):
    """A tmpfs of @p size_kib at @p path; None where mounting is refused."""
    os.makedirs(path, exist_ok=True)
    mounted = allowed and subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs", path],
                             capture_output=True).returncode == 0
    try:
        yield path if mounted else None
    finally:
        if mounted:
            subprocess.run(["umount", path])


def ossify_pids(case):
    """The processes of ossify running @p case (from /proc: procps, and
    with it pgrep, is not on a minimal Debian)."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                words = f.read().split(b"\0")
        except OSError:
            continue
        if words and words[0].endswith(b"ossify") and case.encode() in words:
            pids.append(int(entry))
    return pids


def run(args, case, limit_kib=None, restart=False):
    """Runs @p case; with @p limit_kib, sets that file-size limit on the
    ranks as soon as healing.csv shows they are past start-up."""
    cmd = launch.command(args.ossify, ["run", "--quiet"] + (["--restart"] if restart else [])
                         + [case], args.ranks, args.mpiexec)
    job = subprocess.Popen(cmd, cwd=args.workdir, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    if limit_kib:
        output = open(case).read().split("Output directory = ")[1].split("\n")[0]
        deadline = time.time() + 300
        while not os.path.exists(os.path.join(output, "healing.csv")) and \
                job.poll() is None and time.time() < deadline:
            time.sleep(0.01)
        for pid in ossify_pids(case):
            subprocess.run(["prlimit", "--pid", str(pid), f"--fsize={limit_kib * 1024}"])
    stdout, stderr = job.communicate(timeout=600)
    print("ran:", " ".join(cmd), "->", job.returncode, flush=True)
    return subprocess.CompletedProcess(cmd, job.returncode, stdout, stderr)


def check_failure(result, output, problems, what):
    errors = [l for l in result.stderr.splitlines() if l.startswith("ossify: error:")]
    if result.returncode != 3:
        problems.append(f"{what}: exit code {result.returncode}, expected 3")
    if len(errors) != 1 or output not in errors[0] or "cannot write" not in errors[0]:
        problems.append(f"{what}: expected one error line naming a file in {output}, got {errors}")
    else:
        print("  ", errors[0])
    summary = os.path.join(output, "summary.txt")
    if not os.path.exists(summary) or "STOPPED EARLY" not in open(summary).read():
        problems.append(f"{what}: summary.txt does not say that the run stopped early")
    if os.path.exists(os.path.join(output, "statistics.txt")):
        problems.append(f"{what}: statistics.txt was written for an incomplete run")


def check_rows(straight_csv, output, problems, what):
    with open(os.path.join(output, "healing.csv")) as f:
        text = f.read()
    if text and not text.endswith("\n"):
        problems.append(f"{what}: healing.csv ends in a cut row")
    rows = list(csv.DictReader(text.splitlines()))
    reference = run_kill_restart.read_rows(straight_csv)[:len(rows)]
    if not rows:
        problems.append(f"{what}: healing.csv holds no day")
    problems += [f"{what}: {p}" for p in run_kill_restart.compare_rows(reference, rows)]
    return len(rows)


def check_fields(output, problems, what):
    pvd = open(os.path.join(output, "solution.pvd")).read() if \
        os.path.exists(os.path.join(output, "solution.pvd")) else ""
    listed = set(re.findall(r'file="fields/(solution_\d+)\.pvtu"', pvd))
    on_disk = {os.path.basename(p).split(".")[0]
               for p in glob.glob(os.path.join(output, "fields", "solution_*"))}
    if listed != on_disk:
        problems.append(f"{what}: field steps on disk {sorted(on_disk)} are not those "
                        f"of solution.pvd {sorted(listed)}")


def main():
    parser = run_kill_restart.fault_test_parser(__doc__.split("\n")[0])
    parser.add_argument("--no-mount", action="store_true",
                        help="use the file-size limit even where a tmpfs could be mounted")
    args = parser.parse_args()
    args.ossify = os.path.abspath(args.ossify)
    args.workdir = os.path.abspath(args.workdir)
    shutil.rmtree(args.workdir, ignore_errors=True)
    os.makedirs(args.workdir)
    problems = []

    straight = write_case(os.path.join(args.workdir, "straight.prm"), args.case,
                          "straight", CHECKPOINTS)
    if run(args, straight).returncode != 0:
        return 1
    straight_csv = os.path.join(args.workdir, "straight", "healing.csv")

    mount_point = os.path.join(args.workdir, "disk")
    # 1. the disk fills while fields are written
    with small_disk(mount_point, 2048, not args.no_mount) as disk:
        output = os.path.join(disk or args.workdir, "fields_run")
        case = write_case(os.path.join(args.workdir, "fields.prm"), args.case, output, FIELDS)
        if disk:
            result = run(args, case)
        else:
            print("mounting a tmpfs is not allowed here: a file-size limit instead")
            result = run(args, case, limit_kib=200)  # a field file is ~400 KB
        check_failure(result, output, problems, "fields")
        rows = check_rows(straight_csv, output, problems, "fields")
        check_fields(output, problems, "fields")
        print(f"  fields run stopped with {rows} complete rows of healing.csv")

    # 2. the disk fills while a checkpoint is written: the one before stays,
    # and the run continues from it on a disk with room
    with small_disk(mount_point, 20 * 1024, not args.no_mount) as disk:
        output = os.path.join(disk or args.workdir, "checkpoint_run")
        case = write_case(os.path.join(args.workdir, "checkpoints.prm"), args.case, output,
                          CHECKPOINTS)
        if disk:
            result = run(args, case)
        else:
            # a rank's cells file of the 4128-cell mesh is 6-12 MB
            result = run(args, case, limit_kib=4 * 1024)
        check_failure(result, output, problems, "checkpoint")
        if os.path.exists(output + "/checkpoint.new"):
            problems.append("checkpoint: a partial checkpoint.new was left behind")
        if disk and not os.path.exists(output + "/checkpoint/header.txt"):
            problems.append("checkpoint: the first checkpoint is gone")
        check_rows(straight_csv, output, problems, "checkpoint")
        moved = os.path.join(args.workdir, "continued")
        shutil.copytree(output, moved)
    if disk:
        case = write_case(os.path.join(args.workdir, "continued.prm"), args.case, moved,
                          CHECKPOINTS)
        result = run(args, case, restart=True)
        if result.returncode != 0:
            problems.append(f"checkpoint: --restart from the kept checkpoint failed: "
                            f"{result.stderr[-500:]}")
        else:
            check_rows(straight_csv, moved, problems, "continued")
            stats = os.path.join(args.workdir, "straight", "statistics.txt")
            if compare_statistics.compare(stats, os.path.join(moved, "statistics.txt"),
                                          rtol=run_kill_restart.RTOL,
                                          atol=run_kill_restart.ATOL,
                                          skip=compare_statistics.run_dependent(stats)):
                problems.append("continued: statistics differ from the straight run")

    for p in problems:
        print("FAILED:", p)
    if not problems:
        print("OK: full disk while writing fields and a checkpoint: exit 3, one message "
              "naming the file, complete rows kept, summary marked, "
              + ("the run continued from the kept checkpoint" if disk else
                 "(restart not tried: no tmpfs)"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
