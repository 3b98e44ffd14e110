#!/usr/bin/env python3
"""ao_strain_bands: Perren's strain theory and the AO strain bands
(mechanobiology.md section 2) on the 3 mm tibial gap of cases/plaster_cast.prm
held by an external fixator of four axial stiffnesses (runs.txt).

    check.py [--runs DIR] [--json FILE] [--plot FILE]

DIR holds one sub-directory per run label (k16000, k2700, k1000, k250) with
its statistics.txt; validation/run_all passes it. Criteria:

- each variant reaches an initial interfragmentary strain (IFS =
  initial_ifm_reference_mm / gap width) inside the band it stands for;
- IFS < 2 %: peak cartilage share < 0.05 (no cartilage callus);
- IFS 2-10 %: endochondral share >= 0.5 (callus healing through cartilage);
- peak cartilage share non-decreasing from the 1 % to the 10 % variant;
- IFS > 10 %: union by bridging later than the 5 % variant's (delayed
  union); not reached within the run counts as later;
- the earliest bridging of the sweep at an intermediate stiffness, not at
  either end (mechanobiology.md 3.7: an intermediate optimum).

Prints one line per criterion (PASS/FAIL, then INFO lines with the figures
of every run) and exits 1 if any criterion fails.
"""
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import validation_lib as vl  # noqa: E402

EXPERIMENT = "ao_strain_bands"
DEFAULT_GAP_MM = 3.0           # cases/presets/human_tibia.prm, if parameters.prm is missing
MONOTONE_TOLERANCE = 0.005     # share of callus volume; our choice (numerical noise)
TOP_OF_BAND_TOLERANCE = 1.0    # IFS points above 10 % allowed for the '~10 %' variant; our choice
SECTION_2 = "mechanobiology.md section 2"

# label, nominal IFS [%], the data.csv row of its band
VARIANTS = [("k16000", 1, "ifs_absolute"),
            ("k2700", 5, "ifs_relative"),
            ("k1000", 10, "ifs_relative"),
            ("k250", 30, "ifs_delayed")]


def load(runs_dir):
    """{label: statistics or None}, with the derived 'ifs' [%] added."""
    table = {}
    for label, _, _ in VARIANTS:
        stats = vl.load_statistics(runs_dir, label)
        if stats is not None and "initial_ifm_reference_mm" in stats:
            gap = vl.read_used_parameter(runs_dir, label, "Gap width")
            gap = float(gap) if gap else DEFAULT_GAP_MM
            stats["gap_mm"] = gap
            stats["ifs"] = 100. * stats["initial_ifm_reference_mm"] / gap
        table[label] = stats
    return table


def value(table, label, key):
    """A statistic of a run, None when the run or the figure is missing."""
    stats = table.get(label)
    return None if stats is None else stats.get(key)


def ifs_band(data, label, nominal, band):
    """The IFS a variant must reach: the band it stands for."""
    row = data[band]
    source = f"{SECTION_2}; data.csv row {band}"
    name = f"IFS reached by {label} (nominal {nominal} %) [%]"
    if band == "ifs_absolute":
        return dict(name=name, lo=vl.number(row, "lo"), hi=vl.number(row, "hi"), hi_open=True,
                    tolerance="absolute stability band, strict", source=source)
    if band == "ifs_relative":
        hi = vl.number(row, "hi")
        tolerance = "relative stability band"
        if nominal >= hi:
            hi += TOP_OF_BAND_TOLERANCE
            tolerance += f" + {TOP_OF_BAND_TOLERANCE:g} point at its '~10 %' top, our choice"
        return dict(name=name, lo=vl.number(row, "lo"), hi=hi, tolerance=tolerance, source=source)
    return dict(name=name, lo=vl.number(row, "value"), lo_open=True,
                hi=vl.number(data["ifs_no_tissue"], "value"),
                tolerance="delayed-union band, up to where no tissue forms", source=source)


def ifs_criteria(data, table):
    """Every variant reaches the strain band it stands for."""
    out = []
    for label, nominal, band in VARIANTS:
        b = ifs_band(data, label, nominal, band)
        ifs = value(table, label, "ifs")
        shown = None if ifs is None else f"{ifs:.2f} (IFM {1000 * table[label]['initial_ifm_reference_mm']:.1f} um)"
        out.append(vl.within(b["name"], ifs, b["lo"], b["hi"], b["tolerance"], b["source"],
                             shown=shown, lo_open=b.get("lo_open", False),
                             hi_open=b.get("hi_open", False)))
    return out


def band_criteria(data, table):
    """What each band must show."""
    out = []
    limit = vl.number(data["no_cartilage_callus"], "value")
    for label, nominal, band in VARIANTS:
        if band == "ifs_absolute":
            out.append(vl.within(
                f"peak cartilage share of {label}, no cartilage callus at IFS < 2 %",
                value(table, label, "peak_cartilage_share"), 0., limit,
                "strict upper bound", "mechanobiology.md sections 2 and 5; data.csv row no_cartilage_callus",
                hi_open=True))
    majority = vl.number(data["endochondral_majority"], "value")
    for label, nominal, band in VARIANTS:
        if band == "ifs_relative":
            out.append(vl.within(
                f"endochondral share of {label}, callus healing through cartilage at IFS 2-10 %",
                value(table, label, "endochondral_share"), majority, 1.,
                "no tolerance", "mechanobiology.md sections 2 and 5; data.csv row endochondral_majority"))
    return out


def monotone_criteria(table):
    """Peak cartilage share does not fall from the 1 % to the 10 % variant."""
    out = []
    labels = [label for label, nominal, _ in VARIANTS if nominal <= 10]
    for a, b in zip(labels, labels[1:]):
        va, vb = value(table, a, "peak_cartilage_share"), value(table, b, "peak_cartilage_share")
        step = None if va is None or vb is None else vb - va
        shown = None if step is None else f"{step:+.4f} ({va:.4f} -> {vb:.4f})"
        out.append(vl.within(
            f"change of peak cartilage share {a} -> {b}, non-decreasing with IFS",
            step, -MONOTONE_TOLERANCE, math.inf,
            f"{MONOTONE_TOLERANCE:g} of the callus volume, our choice",
            "mechanobiology.md section 2 (more strain, more cartilage up to ~10 %)", shown=shown))
    return out


def delayed_union_criteria(table):
    """Above 10 %, bony bridging comes later than at ~5 %."""
    out = []
    reference = next(label for label, nominal, _ in VARIANTS if nominal == 5)
    ref_day = vl.union_day(table.get(reference), "union_day_bridging")
    for label, nominal, band in VARIANTS:
        if band != "ifs_delayed":
            continue
        name = f"bridging day of {label}, delayed union at IFS > 10 % (later than {reference})"
        source = "mechanobiology.md section 2 (IFS > ~10 %: risk of delayed union)"
        if ref_day is None or math.isinf(ref_day):
            why = "missing" if ref_day is None else "not reached"
            out.append(vl.fail(name, f"the reference {reference} bridging day is {why}", source))
            continue
        day = vl.union_day(table.get(label), "union_day_bridging")
        out.append(vl.within(name, day, ref_day, math.inf,
                             "strictly later; not reached within the run counts as later",
                             source, shown=vl.day_text(day, table.get(label)), lo_open=True))
    return out


def optimal_stiffness_criteria(table):
    """For a gap of several mm an intermediate stiffness bridges first: the
    earliest bridging day of the sweep is at neither end (strictly earlier
    than both)."""
    name = "earliest bony bridging at an intermediate fixator stiffness (interior minimum)"
    source = "mechanobiology.md section 3.7 (intermediate optimum; Claes' reviews 2000-2012)"
    days = [(label, vl.union_day(table.get(label), "union_day_bridging"))
            for label, _, _ in VARIANTS]
    missing = [label for label, day in days if day is None]
    if missing:
        return [vl.fail(name, "missing runs: " + ", ".join(missing), source)]
    shown = ", ".join(f"{label} {vl.day_text(day, table.get(label))}" for label, day in days)
    best = min(range(len(days)), key=lambda i: days[i][1])
    interior = 0 < best < len(days) - 1 and days[best][1] < min(days[0][1], days[-1][1])
    return [{"status": "PASS" if interior else "FAIL", "criterion": name, "measured": shown,
             "allowed": "earliest strictly inside the sweep (not k16000, not k250)",
             "tolerance": "strict; not reached counts as later", "source": source,
             "value": None if math.isinf(days[best][1]) else days[best][1]}]


def info_lines(table):
    """The figures of every run, for the report."""
    out = []
    for label, nominal, _ in VARIANTS:
        s = table.get(label)
        if s is None:
            out.append(vl.info(f"{label} (nominal IFS {nominal} %)", "no statistics.txt", "this run"))
            continue
        days = ", ".join(f"{what} {vl.day_text(vl.union_day(s, key), s)}" for what, key in
                         (("bridging", "union_day_bridging"), ("IFM", "union_day_ifm"),
                          ("stiffness", "union_day_stiffness")))
        out.append(vl.info(
            f"{label} (nominal IFS {nominal} %)",
            f"IFS {s.get('ifs', float('nan')):.2f} %, peak cartilage {s.get('peak_cartilage_share', float('nan')):.3f} "
            f"on day {s.get('peak_cartilage_day', float('nan')):.0f}, endochondral "
            f"{s.get('endochondral_share', float('nan')):.3f}, union: {days}, periosteal bone "
            f"{s.get('final_periosteal_bone_mm3', float('nan')):.0f} mm3",
            "this run's statistics.txt"))
    return out


def draw(table, data):
    """The figure: peak cartilage and endochondral share against IFS, bands shaded."""
    def plot(plt, path):
        fig, ax = plt.subplots(figsize=(9, 4.5))
        lo_rel, hi_rel = vl.number(data["ifs_relative"], "lo"), vl.number(data["ifs_relative"], "hi")
        ax.axvspan(0.1, lo_rel, color="tab:green", alpha=0.12, label="absolute stability (< 2 %)")
        ax.axvspan(lo_rel, hi_rel, color="tab:blue", alpha=0.12, label="relative stability (2-10 %)")
        ax.axvspan(hi_rel, 100, color="tab:red", alpha=0.12, label="delayed-union risk (> 10 %)")
        ax.axhline(vl.number(data["no_cartilage_callus"], "value"), color="tab:orange", ls=":", lw=1)
        ax.axhline(vl.number(data["endochondral_majority"], "value"), color="tab:purple", ls=":", lw=1)
        runs = [(label, table[label]) for label, _, _ in VARIANTS
                if table.get(label) is not None and "ifs" in table[label]]
        runs.sort(key=lambda r: r[1]["ifs"])
        x = [s["ifs"] for _, s in runs]
        ax.plot(x, [s.get("peak_cartilage_share") for _, s in runs], "o-", color="tab:orange",
                label="peak cartilage share of callus")
        ax.plot(x, [s.get("endochondral_share") for _, s in runs], "s-", color="tab:purple",
                label="endochondral share of new bone")
        for k, (label, s) in enumerate(runs):
            day = vl.union_day(s, "union_day_bridging")
            text = "not reached" if day is None or math.isinf(day) else f"{day / 7:.1f} wk"
            ax.annotate(f"{label}: IFS {s['ifs']:.1f} %\nbridging {text}", (s["ifs"], 0.97 - 0.1 * (k % 2)),
                        ha="center", va="top", fontsize=7)
        if not runs:
            ax.text(1, 0.5, "no run outputs", fontsize=12)
        ax.set_xscale("log")
        ax.set_xlim(0.3, 60)
        ticks = [0.5, 1, 2, 5, 10, 20, 50]
        ax.set_xticks(ticks)
        ax.set_xticklabels([f"{t:g}" for t in ticks])
        ax.set_ylim(0, 1)
        ax.set_xlabel("initial interfragmentary strain IFS [%] (reached)")
        ax.set_ylabel("share [-]")
        vl.save_figure(plt, fig, ax, path,
                       "AO strain bands: 3 mm tibial gap, external fixator, 500 N; "
                       "dotted: the criteria's 0.05 and 0.5")
    return plot


def main():
    args = vl.check_arguments(EXPERIMENT, __doc__)
    data = vl.read_data(HERE)
    table = load(args.runs)
    criteria = (ifs_criteria(data, table) + band_criteria(data, table) + monotone_criteria(table)
                + delayed_union_criteria(table) + optimal_stiffness_criteria(table)
                + info_lines(table))
    return vl.finish(EXPERIMENT, criteria, args, draw(table, data))


if __name__ == "__main__":
    sys.exit(main())
