#!/usr/bin/env python3
"""Plot the mechanical stimulus of an Ossify run, region by region.

    python3 postprocessing/plot_mechanics.py OUTPUT_DIR

Reads OUTPUT_DIR/regions.csv and OUTPUT_DIR/statistics.txt and writes
OUTPUT_DIR/mechanics.png: octahedral shear strain (mean and maximum) and
mean hydrostatic pressure per region, against the thresholds of the
Claes & Heigele (1999) and Isaksson et al. (2006) rules
(../shared/reference/mechanobiology.md 3.1 and 3.4), with the
interfragmentary movement and construct stiffness in the title.
"""
import csv
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from ossifypy.results import read_statistics  # noqa: E402


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    out = sys.argv[1]
    regions_file = os.path.join(out, "regions.csv")
    statistics_file = os.path.join(out, "statistics.txt")
    for f in (regions_file, statistics_file):
        if not os.path.isfile(f):
            print(f"plot_mechanics.py: error: {f} does not exist; run the case first")
            return 2
    with open(regions_file) as f:
        rows = list(csv.DictReader(f))
    statistics = read_statistics(statistics_file)

    names = [r["region"].replace("_", "\n") for r in rows]
    mean_shear = [100 * float(r["mean_octahedral_shear_strain"]) for r in rows]
    max_shear = [100 * float(r["max_octahedral_shear_strain"]) for r in rows]
    pressure = [float(r["mean_hydrostatic_pressure_MPa"]) for r in rows]

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.5))
    x = range(len(rows))
    ax1.bar([i - 0.2 for i in x], mean_shear, width=0.4, label="mean")
    ax1.bar([i + 0.2 for i in x], max_shear, width=0.4, label="maximum")
    ax1.axhline(3.75, color="k", ls="--", lw=0.8)
    ax1.axhline(11.25, color="k", ls=":", lw=0.8)
    ax1.text(len(rows) - 0.5, 3.75, " bone / cartilage (Isaksson 2006)", va="bottom", ha="right", fontsize=7)
    ax1.text(len(rows) - 0.5, 11.25, " cartilage / fibrous", va="bottom", ha="right", fontsize=7)
    ax1.set_xticks(list(x))
    ax1.set_xticklabels(names, fontsize=8)
    ax1.set_ylabel("octahedral shear strain [%]")
    ax1.set_yscale("symlog", linthresh=1e-3)
    ax1.legend(fontsize=8)

    ax2.bar(list(x), pressure, color=["tab:red" if p > 0 else "tab:blue" for p in pressure])
    for level in (0.15, -0.15):
        ax2.axhline(level, color="k", ls="--", lw=0.8)
    ax2.text(len(rows) - 0.5, 0.15, "+0.15 MPa (Claes & Heigele 1999)", va="bottom", ha="right", fontsize=7)
    ax2.set_xticks(list(x))
    ax2.set_xticklabels(names, fontsize=8)
    ax2.set_ylabel("mean hydrostatic pressure [MPa]\n(compression > 0)")
    ax2.set_yscale("symlog", linthresh=0.01)

    title = (f"IFM axial {statistics.get('axial_ifm_mm', float('nan')):.4g} mm, "
             f"shear {statistics.get('shear_ifm_mm', float('nan')):.2g} mm; "
             f"axial stiffness {statistics.get('axial_stiffness_N_per_mm', float('nan')):.4g} N/mm; "
             f"{int(statistics.get('n_dofs', 0))} DOFs")
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    png = os.path.join(out, "mechanics.png")
    fig.savefig(png, dpi=120)
    print(f"wrote {png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
