#!/usr/bin/env python3
"""clinical_union_tibia: predicted time to union of three tibial treatments
against clinical series (mechanobiology.md section 5).

    check.py [--runs DIR] [--json FILE] [--plot FILE]

DIR holds one sub-directory per run label (cast, nail, plate; runs.txt)
with its statistics.txt; validation/run_all passes it. The bands are the
rows of data.csv that name a run. Criterion, per run: union by bony
bridging (union_day_bridging / 7) inside the band. Union by IFM, by
construct stiffness and by the virtual bending test (15 N m/deg with the
fixation removed, Webb 1996) are reported (INFO), not judged: the clinical
figures are radiographic union, closest to bridging.

Roles (data.csv 'role'): the cast and the plated-gap union times are the
calibration data of the model (docs/calibration.md), so their criteria
check that the calibration still holds; the nail is a test.

Prints one line per criterion and exits 1 if any fails.
"""
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import validation_lib as vl  # noqa: E402

EXPERIMENT = "clinical_union_tibia"
ROLES = {"calibration": "calibration data (docs/calibration.md)",
         "test": "test, not fitted"}


def compared_rows(data):
    """The data.csv rows that name a run, in file order."""
    return [row for row in data.values() if (row.get("run") or "").strip()]


def weeks(day):
    """Days as weeks; inf and None pass through."""
    return day if day is None or math.isinf(day) else day / 7.


def union_criteria(rows, runs_dir):
    """Union by bridging inside each clinical band, plus the other criteria as INFO."""
    out = []
    for row in rows:
        run = row["run"].strip()
        stats = vl.load_statistics(runs_dir, run)
        day = vl.union_day(stats, "union_day_bridging")
        source = f"{row['source']}; {ROLES.get(row['role'], row['role'])}"
        out.append(vl.within(
            f"union by bony bridging of {run}, {row['short']} [weeks]",
            weeks(day), vl.number(row, "band_lo_weeks"), vl.number(row, "band_hi_weeks"),
            row["band_basis"], source, shown=vl.day_text(day, stats)))
    for row in rows:
        run = row["run"].strip()
        stats = vl.load_statistics(runs_dir, run)
        for what, key in (("IFM below its fraction of the first loaded day", "union_day_ifm"),
                          ("stiffness at least its fraction of intact", "union_day_stiffness"),
                          ("the virtual bending test (fixation removed) at least 15 N m/deg, "
                           "Webb 1996; tested weekly", "union_day_virtual_test")):
            day = vl.union_day(stats, key)
            out.append(vl.info(f"union by {what} of {run}", vl.day_text(day, stats),
                               "this run's statistics.txt", value=weeks(day)))
    return out


def draw(rows, runs_dir):
    """The figure: predicted union weeks as points, clinical bands as error bars."""
    def plot(plt, path):
        fig, ax = plt.subplots(figsize=(9, 4.5))
        top = 30.
        shown = set()

        def once(label):
            """A legend label the first time only."""
            if label in shown:
                return None
            shown.add(label)
            return label

        for i, row in enumerate(rows):
            lo, hi = vl.number(row, "band_lo_weeks"), vl.number(row, "band_hi_weeks")
            reported = (vl.number(row, "lo_weeks"), vl.number(row, "hi_weeks"))
            centre = vl.number(row, "value_weeks")
            if centre is None:
                centre = 0.5 * (reported[0] + reported[1])
            ax.errorbar([i - 0.12], [centre], yerr=[[centre - lo], [hi - centre]], fmt="D",
                        color="0.3", capsize=6, label=once("clinical figure and allowed band"))
            if None not in reported and vl.number(row, "sd_weeks") is None:
                ax.plot([i - 0.12] * 2, list(reported), color="0.3", lw=6, alpha=0.4,
                        label=once("clinical range reported"))
            stats = vl.load_statistics(runs_dir, row["run"].strip())
            for key, marker, label, dx in (("union_day_bridging", "o", "Ossify: bony bridging", 0.08),
                                           ("union_day_ifm", "v", "Ossify: IFM criterion", 0.2),
                                           ("union_day_stiffness", "^", "Ossify: stiffness criterion", 0.32),
                                           ("union_day_virtual_test", "s",
                                            "Ossify: virtual bending test", 0.44)):
                day = vl.union_day(stats, key)
                if day is None:
                    continue
                judged = key == "union_day_bridging"
                colour = "tab:red" if judged else "tab:blue"
                if math.isinf(day):
                    ax.plot([i + dx], [top - 0.5], marker, mfc="none", color=colour)
                    ax.annotate("not\nreached", (i + dx, top - 0.5), fontsize=6, ha="center",
                                va="top", xytext=(0, -6), textcoords="offset points")
                    continue
                ax.plot([i + dx], [day / 7.], marker, color=colour, mfc=colour if judged else "none",
                        ms=8 if judged else 6, label=once(label))
            if stats is None:
                ax.annotate("no run output", (i + 0.2, 2), fontsize=7, ha="center", color="tab:red")
        ax.set_xticks(range(len(rows)))
        ax.set_xticklabels([f"{r['run']}: {r['short']}\n({r['role']})" for r in rows], fontsize=7)
        ax.set_xlim(-0.6, len(rows) - 0.4)
        ax.set_ylim(0, top)
        ax.set_ylabel("time to union [weeks]")
        ax.grid(alpha=0.3, axis="y")
        vl.save_figure(plt, fig, ax, path,
                       "Tibia: predicted time to union against clinical series")
    return plot


def main():
    args = vl.check_arguments(EXPERIMENT, __doc__)
    rows = compared_rows(vl.read_data(HERE))
    criteria = union_criteria(rows, args.runs)
    return vl.finish(EXPERIMENT, criteria, args, draw(rows, args.runs))


if __name__ == "__main__":
    sys.exit(main())
