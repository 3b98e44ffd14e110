#!/usr/bin/env python3
"""shear_movement: does transverse (shear) interfragmentary movement change
healing the way experiments show? (issue 11, item 4)

    check.py [--runs DIR] [--json FILE] [--plot FILE]

DIR holds the runs of runs.txt: 'axial' (500 N axial only) and s2500, s500,
s100, s20 (plus 150 N transverse, fixator shear stiffness 2500 ... 20
N/mm). Each run's initial axial and shear interfragmentary movement come
from the first row of its healing.csv. The regime of a transverse-load run
is set by what it reached, not by its name:

- small shear, shear IFM at most half the axial IFM: healing is not
  impaired (Bishop 2006, Park 1998; Steiner 2014: shear stiffness above
  ~300 N/mm is in the optimum). Criterion: bony bridging no more than 7
  days (a week, the resolution of the experiments' follow-up; our choice)
  after the axial run;
- large shear, shear IFM at least twice the axial IFM (shear-dominated
  movement, Augat 2003's shear group): healing is delayed (Augat 2003,
  Steiner 2014). Criterion: bony bridging at least 7 days after the axial
  run; at least one run must reach this regime;
- in between: reported (INFO).

One more criterion: among the transverse-load runs, bony bridging does not
come earlier as the shear stiffness falls, by more than 2 days (Steiner
2014's map: healing time does not fall as the frame gets softer in shear).
Peak cartilage, endochondral share and the other union criteria are INFO.

These thresholds were set before the runs were looked at (README.md).
Prints one line per criterion and exits 1 if any fails.
"""
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import validation_lib as vl  # noqa: E402

EXPERIMENT = "shear_movement"
AXIAL = "axial"
SHEAR_RUNS = ("s2500", "s500", "s100", "s20")  # falling shear stiffness
SMALL, LARGE = 0.5, 2.0       # shear IFM / axial IFM bounds of the regimes
DELAY_DAYS = 7.               # a week
NOISE_DAYS = 2.               # monotonicity slack


def initial_movement(runs_dir, label):
    """(axial, shear) IFM of day 0 [mm] from the run's healing.csv, or None."""
    first = vl.run_trend.read_first_day(os.path.join(runs_dir, label, "healing.csv"))
    if not first or "ifm_axial_mm" not in first or "ifm_shear_mm" not in first:
        return None
    return abs(first["ifm_axial_mm"]), abs(first["ifm_shear_mm"])


def sources(data, regime):
    """The data.csv sources behind a regime."""
    return "; ".join(row["source"].split(",")[0] for row in data.values()
                     if row["regime"] in (regime, "both"))


def criteria(data, runs_dir):
    out = []
    axial_stats = vl.load_statistics(runs_dir, AXIAL)
    axial_day = vl.union_day(axial_stats, "union_day_bridging")
    axial_move = initial_movement(runs_dir, AXIAL)
    if axial_day is None or axial_move is None or math.isinf(axial_day):
        out.append(vl.fail("axial run bridges (the reference of every criterion)",
                           vl.day_text(axial_day, axial_stats), "runs.txt"))
        return out
    out.append(vl.info(f"{AXIAL}: initial IFM axial / shear",
                       f"{axial_move[0]:.3f} / {axial_move[1]:.3f} mm, bridging "
                       f"{vl.day_text(axial_day, axial_stats)}", "this run"))
    reached_large = False
    days = []
    for label in SHEAR_RUNS:
        stats = vl.load_statistics(runs_dir, label)
        day = vl.union_day(stats, "union_day_bridging")
        move = initial_movement(runs_dir, label)
        if day is None or move is None:
            out.append(vl.fail(f"{label}: run output", "missing (run failed or not run)", "runs.txt"))
            continue
        days.append((label, day))
        ratio = move[1] / move[0] if move[0] > 0 else math.inf
        delay = day - axial_day
        moved = (f"shear / axial IFM {move[1]:.3f} / {move[0]:.3f} mm = {ratio:.2f}; bridging "
                 f"{vl.day_text(day, stats)}, {delay:+.0f} d against axial")
        if ratio <= SMALL:
            out.append(vl.within(f"{label}: small shear does not delay bony bridging [days after axial]",
                                 delay, -math.inf, DELAY_DAYS, "a week, our choice",
                                 sources(data, "small"), shown=moved))
        elif ratio >= LARGE:
            reached_large = True
            out.append(vl.within(f"{label}: large shear delays bony bridging [days after axial]",
                                 delay, DELAY_DAYS, math.inf, "a week, our choice",
                                 sources(data, "large"), shown=moved))
        else:
            out.append(vl.info(f"{label}: intermediate shear", moved, "this run", value=delay))
        for key, what in (("peak_cartilage_share", "peak cartilage share"),
                          ("endochondral_share", "endochondral share"),
                          ("union_day_ifm", "union day by IFM"),
                          ("union_day_stiffness", "union day by stiffness")):
            if stats and key in stats and axial_stats and key in axial_stats:
                out.append(vl.info(f"{label}: {what} (axial run in brackets)",
                                   f"{stats[key]:.3g} ({axial_stats[key]:.3g})", "these runs",
                                   value=stats[key]))
    if not reached_large:
        out.append(vl.fail("a run reaches large shear (shear IFM >= 2x axial)",
                           "none did", "runs.txt"))
    earlier = [(a, b) for (a, da), (b, db) in zip(days, days[1:]) if db < da - NOISE_DAYS]
    text = ", ".join(f"{label} {vl.fmt(day)}" for label, day in days)
    out.append({"status": "FAIL" if earlier else "PASS",
                "criterion": "bony bridging does not come earlier as the shear stiffness falls",
                "measured": text, "allowed": f"each no more than {NOISE_DAYS:g} d before the previous",
                "tolerance": "2 days, our choice", "source": sources(data, "both"), "value": None})
    return out


def draw(runs_dir):
    """The figure: bony bridging and peak cartilage against the shear / axial IFM ratio."""
    def plot(plt, path):
        fig, ax = plt.subplots(figsize=(8, 4.2))
        axial_stats = vl.load_statistics(runs_dir, AXIAL)
        axial_day = vl.union_day(axial_stats, "union_day_bridging")
        points = []
        for label in SHEAR_RUNS:
            move = initial_movement(runs_dir, label)
            day = vl.union_day(vl.load_statistics(runs_dir, label), "union_day_bridging")
            if move and day is not None and move[0] > 0:
                points.append((move[1] / move[0], vl.finite(day), label))
        for ratio, day, label in points:
            if day is not None:
                ax.plot([ratio], [day / 7.], "o", color="tab:red")
                ax.annotate(label, (ratio, day / 7.), fontsize=7, xytext=(4, 4),
                            textcoords="offset points")
        if axial_day is not None and math.isfinite(axial_day):
            ax.axhline(axial_day / 7., color="0.3", ls="--", label="axial load only")
            ax.axhspan(axial_day / 7., (axial_day + DELAY_DAYS) / 7., color="0.85",
                       label="within a week of axial")
        ax.axvspan(0, SMALL, color="tab:green", alpha=0.1, label="small shear: not delayed")
        ax.axvspan(LARGE, max([p[0] for p in points] + [LARGE * 2]) * 1.1, color="tab:red",
                   alpha=0.08, label="large shear: delayed")
        finite_days = [d for _, d, _ in points if d is not None]
        if finite_days and axial_day is not None and math.isfinite(axial_day):
            ax.set_ylim(min(finite_days + [axial_day]) / 7. - 1.,
                        max(finite_days + [axial_day + DELAY_DAYS]) / 7. + 1.)
        ax.set_xlabel("initial shear IFM / axial IFM [-]")
        ax.set_ylabel("bony bridging [weeks]")
        ax.grid(alpha=0.3)
        vl.save_figure(plt, fig, ax, path, "Shear movement and bony bridging (3 mm tibial gap, fixator 2700 N/mm axial)")
    return plot


if __name__ == "__main__":
    sys.exit(vl.run_check(EXPERIMENT, __doc__, HERE, criteria, draw))
