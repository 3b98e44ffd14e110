#!/usr/bin/env python3
"""mesh_convergence: do the headline cases' outcomes converge as the mesh of
gap and callus is refined? (issue 11, item 6)

    check.py [--runs DIR] [--json FILE] [--plot FILE]

DIR holds the runs of runs.txt: <case>_r0, _r1, _r2 for the cast and the
plate, refinement levels 0 (coarse, the regression tests' mesh), 1 (the
cases' own mesh) and 2 (one level finer; each level halves the cell size
in gap and callus). The outcomes and their tolerances are the rows of
data.csv. Criteria, per case and outcome:

- PASS/FAIL: the cases' mesh (r1) within the tolerance of the finest (r2):
  relative |r1 - r2| / r2 for days, absolute for shares;
- INFO: the coarse mesh (r0) against r2, and the observed order of
  convergence log2(|r0 - r1| / |r1 - r2|) when both differences are
  non-zero (day counts are integers, so a difference of a day or two is
  at the resolution of the outcome and the order means little).

Prints one line per criterion and exits 1 if any fails.
"""
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import validation_lib as vl  # noqa: E402

EXPERIMENT = "mesh_convergence"
CASES = ("cast", "plate")
LEVELS = (0, 1, 2)


def outcome(stats, row):
    """The outcome of @row in @stats: union days as days (inf if not
    reached), shares as they are; None when the run is missing."""
    if row["statistic"].startswith("union_day"):
        return vl.union_day(stats, row["statistic"])
    if stats is None or row["statistic"] not in stats:
        return None
    return stats[row["statistic"]]


def difference(a, b, kind):
    """|a - b| relative to b ('relative') or absolute; inf when exactly one
    is not reached, 0 when both are not reached, None when one is missing."""
    if a is None or b is None:
        return None
    if math.isinf(a) or math.isinf(b):
        return 0. if a == b else math.inf
    if kind == "relative":
        return abs(a - b) / abs(b) if b else (0. if a == b else math.inf)
    return abs(a - b)


def shown(value, row):
    """A value as text: days with weeks, shares as percent."""
    if value is None:
        return "missing"
    if row["statistic"].startswith("union_day"):
        return "not reached" if math.isinf(value) else f"{value:.0f} d"
    return f"{100 * value:.1f} %"


def criteria_for(case, row, runs_dir):
    """The criteria of one case and one outcome (data.csv row)."""
    stats = [vl.load_statistics(runs_dir, f"{case}_r{level}") for level in LEVELS]
    values = [outcome(s, row) for s in stats]
    cells = [s.get("n_cells") if s else None for s in stats]
    kind, tolerance = row["kind"], float(row["tolerance"])
    levels_text = ", ".join(
        f"r{level} {shown(v, row)}" + (f" ({c:.0f} cells)" if c else "")
        for level, v, c in zip(LEVELS, values, cells))
    unit = "relative" if kind == "relative" else "absolute"
    name = f"{case}: {row['quantity']}, cases' mesh (r1) against finer (r2), {unit} difference"
    fine = difference(values[1], values[2], kind)
    out = []
    if fine is None:
        out.append(vl.fail(name, "missing (run failed or not run): " + levels_text, row["source"]))
    else:
        out.append(vl.within(name, fine, 0., tolerance, row["basis"], row["source"],
                             shown=f"{vl.fmt(fine)} ({levels_text})"))
    coarse = difference(values[0], values[2], kind)
    out.append(vl.info(f"{case}: {row['quantity']}, coarse mesh (r0) against r2, {unit} difference",
                       vl.fmt(coarse), "these runs", value=coarse))
    d01 = difference(values[0], values[1], "absolute")
    d12 = difference(values[1], values[2], "absolute")
    if d01 and d12 and math.isfinite(d01) and math.isfinite(d12):
        order = math.log2(d01 / d12)
        out.append(vl.info(f"{case}: {row['quantity']}, observed order of convergence",
                           f"{order:.2f} (differences r0-r1 {d01:.3g}, r1-r2 {d12:.3g})",
                           "these runs", value=order))
    return out


def draw(rows, runs_dir):
    """The figure: each outcome against the refinement level, one panel per case."""
    def plot(plt, path):
        fig, axes = plt.subplots(1, 2, figsize=(10, 4.2), sharey=False)
        for ax, case in zip(axes, CASES):
            stats = [vl.load_statistics(runs_dir, f"{case}_r{level}") for level in LEVELS]
            for row, marker in zip(rows, "osD^v"):
                if not row["statistic"].startswith("union_day"):
                    continue
                days = [vl.finite(outcome(s, row)) for s in stats]
                points = [(level, d / 7.) for level, d in zip(LEVELS, days) if d is not None]
                if points:
                    ax.plot(*zip(*points), marker=marker, label=row["quantity"])
            ax.set_xticks(LEVELS)
            ax.set_xticklabels([f"r{level}" for level in LEVELS])
            ax.set_xlabel("callus refinement level (cell size halves per level)")
            ax.set_ylabel("time to union [weeks]")
            ax.set_title(case, fontsize=9)
            ax.grid(alpha=0.3)
        vl.save_figure(plt, fig, axes[-1], path, "Union time against mesh refinement")
    return plot


def main():
    args = vl.check_arguments(EXPERIMENT, __doc__)
    rows = list(vl.read_data(HERE).values())
    criteria = [c for case in CASES for row in rows for c in criteria_for(case, row, args.runs)]
    return vl.finish(EXPERIMENT, criteria, args, draw(rows, args.runs))


if __name__ == "__main__":
    sys.exit(main())
