#!/usr/bin/env python3
"""Run variants of one Ossify case and assert a trend across them.

A trend test asserts what the science must show (mechanobiology.md), not
reference figures: e.g. that peak cartilage grows with interfragmentary
strain. Each variant is the base case with some parameters set:

    run_trend.py --ossify BIN --base CASE.prm --workdir DIR [--ranks N]
        --variant 'ifs1: Fixation/external-fixator/Axial stiffness = 20000'
        --variant 'ifs5: Fixation/external-fixator/Axial stiffness = 2500 | Healing/Number of days = 60'
        --expect 'increasing peak_cartilage_share 0.02'
        --expect 'range union_day_bridging 77 155'

Variant: 'LABEL: Section/Sub/Parameter = value | ...' (| separates, since CMake lists split at ;). Each runs as a small
case file that includes the base (absolute path) and sets the parameters.

Expectations (STAT is a name of statistics.txt; derived figures are
'ifs' = initial_ifm_reference_mm / --gap, in %, and 'initial_shear_ifm_mm',
the transverse interfragmentary movement of day 0 from healing.csv, and
'shear_to_axial_ifm', its ratio to the axial movement of day 0):
    increasing STAT [MIN_STEP]   grows from each variant to the next
    decreasing STAT [MIN_STEP]   falls from each variant to the next
    range STAT LO HI             every variant within [LO, HI]
    below STAT HI                every variant at most HI
    interior_minimum STAT        the smallest value is not at either end
    less STAT A B [MARGIN]       variant A + MARGIN <= variant B
    value STAT A LO HI           variant A within [LO, HI]
A day statistic of -1 (not reached) counts as --not-reached (default 1000).

Prints one table of the variants and PASS/FAIL for every expectation with
the measured values; exits 1 if any fails.
"""
import argparse
import csv
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "postprocessing"))
from ossifypy import launch  # noqa: E402
# validation/validation_lib.py reads statistics through this module
from ossifypy.results import read_statistics  # noqa: E402,F401


def parse_variant(text):
    label, _, settings = text.partition(":")
    pairs = []
    for item in settings.split("|"):
        if not item.strip():
            continue
        path, eq, value = item.partition("=")
        if not eq:
            raise SystemExit(f"run_trend.py: error: variant '{label}': '{item}' is not "
                             "'Section/Parameter = value'")
        pairs.append(([p.strip() for p in path.split("/")], value.strip()))
    return label.strip(), pairs


def write_case(path, base, label, pairs):
    lines = [f"# trend-test variant '{label}' of {base}",
             f"include {os.path.abspath(base)}",
             f"set Case name = {label}"]
    for sections, value in pairs:
        *subsections, name = sections
        if not subsections:
            lines.append(f"set {name} = {value}")
            continue
        lines += [f"subsection {s}" for s in subsections]
        lines.append(f"  set {name} = {value}")
        lines += ["end"] * len(subsections)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def read_first_day(path):
    """The first day's row of healing.csv as {column: float} (cells that are
    not numbers left out), or None if the file or the row is absent."""
    if not os.path.isfile(path):
        return None
    with open(path, newline="") as f:
        first = next(csv.DictReader(f), None)
    if first is None:
        return None
    row = {}
    for column, text in first.items():
        try:
            row[column] = float(text)
        except (TypeError, ValueError):
            pass
    return row


def run_variant(args, label, pairs):
    directory = os.path.join(args.workdir, label)
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    case = os.path.join(directory, f"{label}.prm")
    write_case(case, args.base, label, pairs + [(["Output", "Write fields"], "false")])
    command = launch.command(args.ossify, ["run", "--quiet", case], args.ranks, args.mpiexec)
    print("running:", " ".join(command), flush=True)
    result = subprocess.run(command, cwd=directory)
    if result.returncode != 0:
        raise SystemExit(f"FAILED: variant '{label}': ossify exited with {result.returncode}")
    stats = os.path.join(directory, "output", label, "statistics.txt")
    values = read_statistics(stats)
    if "initial_ifm_reference_mm" in values and args.gap:
        values["ifs"] = 100. * values["initial_ifm_reference_mm"] / args.gap
    first = read_first_day(os.path.join(directory, "output", label, "healing.csv")) or {}
    if "ifm_shear_mm" in first:
        values["initial_shear_ifm_mm"] = abs(first["ifm_shear_mm"])
        if first.get("ifm_axial_mm"):
            values["shear_to_axial_ifm"] = abs(first["ifm_shear_mm"] / first["ifm_axial_mm"])
    for name, value in list(values.items()):
        if name.startswith("union_day") and value < 0:
            values[name] = args.not_reached
    return values


ARITY = {"increasing": (2, 3), "decreasing": (2, 3), "range": (4, 4), "below": (3, 3),
         "interior_minimum": (2, 2), "less": (4, 5), "value": (5, 5)}
LABEL_POSITIONS = {"less": (2, 3), "value": (2,)}


def validate_expectation(expectation, labels):
    """Refuses a malformed expectation before anything runs."""
    words = expectation.split()
    if not words or words[0] not in ARITY:
        raise SystemExit(f"run_trend.py: error: --expect '{expectation}': the kind must be one of "
                         + ", ".join(ARITY))
    lo, hi = ARITY[words[0]]
    if not lo <= len(words) <= hi:
        raise SystemExit(f"run_trend.py: error: --expect '{expectation}': '{words[0]}' takes "
                         f"{lo - 1}-{hi - 1} arguments (see --help)")
    for i in LABEL_POSITIONS.get(words[0], ()):
        if words[i] not in labels:
            raise SystemExit(f"run_trend.py: error: --expect '{expectation}': no variant "
                             f"'{words[i]}' (variants: {', '.join(labels)})")


def check(expectation, labels, table):
    words = expectation.split()
    kind, stat = words[0], words[1]
    missing = [l for l in labels if stat not in table[l]]
    if missing:
        return False, f"{stat} missing from {', '.join(missing)}"
    values = [table[l][stat] for l in labels]
    shown = ", ".join(f"{l} {v:.4g}" for l, v in zip(labels, values))
    if kind in ("increasing", "decreasing"):
        step = float(words[2]) if len(words) > 2 else 0.
        sign = 1 if kind == "increasing" else -1
        ok = all(sign * (b - a) > step for a, b in zip(values, values[1:]))
        return ok, f"{kind} by more than {step:g}: {shown}"
    if kind == "range":
        lo, hi = float(words[2]), float(words[3])
        return all(lo <= v <= hi for v in values), f"within [{lo:g}, {hi:g}]: {shown}"
    if kind == "below":
        hi = float(words[2])
        return all(v <= hi for v in values), f"at most {hi:g}: {shown}"
    if kind == "interior_minimum":
        best = min(range(len(values)), key=lambda i: values[i])
        ok = 0 < best < len(values) - 1 and values[best] < min(values[0], values[-1])
        return ok, f"smallest inside the sweep: {shown}"
    if kind == "less":
        a, b = words[2], words[3]
        margin = float(words[4]) if len(words) > 4 else 0.
        ok = table[a][stat] + margin <= table[b][stat]
        return ok, f"{a} + {margin:g} <= {b}: {shown}"
    if kind == "value":
        a, lo, hi = words[2], float(words[3]), float(words[4])
        return lo <= table[a][stat] <= hi, f"{a} within [{lo:g}, {hi:g}]: {shown}"
    raise AssertionError(f"unvalidated expectation '{expectation}'")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ossify", required=True)
    parser.add_argument("--mpiexec", default="mpiexec")
    parser.add_argument("--ranks", type=int, default=1)
    parser.add_argument("--base", required=True, help="the case every variant includes")
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--variant", action="append", required=True)
    parser.add_argument("--expect", action="append", default=[])
    parser.add_argument("--gap", type=float, default=0.,
                        help="gap width [mm] for the derived figure 'ifs' [%%]")
    parser.add_argument("--not-reached", type=float, default=1000.,
                        help="day counted for a union criterion not reached [day]")
    parser.add_argument("--show", nargs="*",
                        default=["ifs", "peak_cartilage_share", "endochondral_share",
                                 "union_day_bridging", "union_day_ifm",
                                 "final_periosteal_bone_mm3"])
    args = parser.parse_args()
    # the runs start in their own directories: a relative path would break
    if os.sep in args.ossify:
        args.ossify = os.path.abspath(args.ossify)
    if not os.path.isfile(args.base):
        raise SystemExit(f"run_trend.py: error: --base: no file '{args.base}'")

    variants = [parse_variant(v) for v in args.variant]
    labels = [label for label, _ in variants]
    if len(set(labels)) != len(labels):
        raise SystemExit("run_trend.py: error: variant labels must be unique")
    for expectation in args.expect:
        validate_expectation(expectation, labels)
    table = {label: run_variant(args, label, pairs) for label, pairs in variants}

    shown = [s for s in args.show if any(s in table[l] for l in labels)]
    print("\n" + "variant".ljust(14) + "".join(s[:22].rjust(24) for s in shown))
    for label in labels:
        print(label.ljust(14) + "".join(
            f"{table[label].get(s, float('nan')):24.5g}" for s in shown))
    failures = 0
    for expectation in args.expect:
        ok, text = check(expectation, labels, table)
        failures += not ok
        print(f"{'PASS' if ok else 'FAIL'} {expectation.split()[0]} {expectation.split()[1]}: {text}")
    print(f"{len(args.expect) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
