#!/usr/bin/env python3
"""Healing curves of one or more Ossify healing runs.

    python3 postprocessing/plot_healing.py OUTPUT_DIR [OUTPUT_DIR ...] [-o FILE.png]

Reads OUTPUT_DIR/healing.csv of each run and draws, over days: the
interfragmentary movement under the reference load, the construct
stiffness relative to the intact bone, the bone / cartilage / fibrous
volumes of the callus, and the endochondral and direct bone formed.
Several runs are drawn side by side (one colour each) for comparisons,
e.g. output/plaster_cast output/rigid_plate. Writes healing.png into the
first directory unless -o is given.
"""
import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from ossifypy.results import read_healing_csv  # noqa: E402


def load_runs(runs):
    """{run name: columns of healing.csv} for the output directories @runs;
    raises FileNotFoundError naming a missing healing.csv."""
    data = {}
    for run in runs:
        path = os.path.join(run, "healing.csv")
        if not os.path.isfile(path):
            raise FileNotFoundError(
                f"{path} does not exist; run a case with "
                "'Healing/Number of days' > 0 first")
        data[os.path.basename(os.path.normpath(run))] = read_healing_csv(path)
    return data


def plot(data, out):
    """Draws the healing curves of every run in @data into the file @out."""
    fig, axes = plt.subplots(2, 2, figsize=(11, 7.5), sharex=True)
    (ax_ifm, ax_k), (ax_tissue, ax_path) = axes
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for (name, d), colour in zip(data.items(), colours):
        day = d["day"]
        ax_ifm.plot(day, [1000 * v for v in d["ifm_reference_mm"]], color=colour, label=name)
        ax_k.plot(day, [100 * v for v in d["stiffness_ratio"]], color=colour, label=name)
        if "virtual_bending_ratio" in d:  # weekly: the days with a test only
            tests = [(t, v) for t, v in zip(day, d["virtual_bending_ratio"]) if v == v]
            ax_k.plot([t for t, _ in tests], [100 * v for _, v in tests], color=colour,
                      ls="none", marker="o", ms=3,
                      label=f"{name}: bending, fixation removed")
        bone = [w + l for w, l in zip(d["callus_woven_bone_mm3"], d["callus_lamellar_bone_mm3"])]
        ax_tissue.plot(day, bone, color=colour, ls="-", label=f"{name}: bone")
        ax_tissue.plot(day, d["callus_cartilage_mm3"], color=colour, ls="--", label=f"{name}: cartilage")
        ax_tissue.plot(day, d["callus_fibrous_mm3"], color=colour, ls=":", label=f"{name}: fibrous")
        ax_path.plot(day, d["callus_endochondral_bone_mm3"], color=colour, ls="-",
                     label=f"{name}: endochondral")
        ax_path.plot(day, d["callus_direct_bone_mm3"], color=colour, ls="--", label=f"{name}: direct")
        bridged = [dd for dd, b in zip(day, d["bridged"]) if b > 0]
        if bridged:
            for ax in (ax_ifm, ax_k):
                ax.axvline(bridged[0], color=colour, lw=0.8, ls="-.")
    ax_ifm.set_yscale("log")
    ax_ifm.set_ylabel("IFM under reference load [um]")
    ax_k.set_ylabel("stiffness [% of intact]")
    ax_tissue.set_ylabel("callus volume [mm^3]")
    ax_path.set_ylabel("new bone by pathway [mm^3]")
    for ax in (ax_tissue, ax_path):
        ax.set_xlabel("day")
    for ax in axes.flat:
        ax.legend(fontsize=7)
        ax.grid(alpha=0.3)
    fig.suptitle("Ossify healing curves (dash-dot: first day of bony bridging)", fontsize=10)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("runs", nargs="+")
    parser.add_argument("-o", "--output")
    args = parser.parse_args()
    try:
        data = load_runs(args.runs)
    except FileNotFoundError as e:
        print(f"plot_healing.py: error: {e}")
        return 2
    out = args.output or os.path.join(args.runs[0], "healing.png")
    plot(data, out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
