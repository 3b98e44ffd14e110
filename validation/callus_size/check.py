#!/usr/bin/env python3
"""callus_size: does the size of the periosteal callus respond to the
mechanics? (issue 11, item 5)

    check.py [--runs DIR] [--json FILE] [--plot FILE]

DIR holds the runs of runs.txt: k16000, k2700, k1000, k250 (initial
interfragmentary strain ~1, 5, 10, 18 %) in a potential callus domain, and
k1000_large_domain (the k1000 run in a domain 1.5x thicker and longer). The
size of the callus is peak_periosteal_callus_mm3: the bone and cartilage of
the periosteal callus region at their largest (statistics.txt).

Criteria (thresholds set before the runs were looked at, README.md):
- the domain does not set the size: every run fills at most 90 % of its
  region (periosteal_callus_filled_share), and the k1000 callus in the
  larger domain is within 10 % of the k1000 callus;
- rigid fixation gives a smaller callus (Schell 2005, Reich 2019): k16000
  at least 5 % smaller than k2700 and than k1000;
- the callus grows with interfragmentary movement in relative stability
  (Claes 1997/1998, Reich 2019): k1000 at least as large as k2700, less 2 %
  for numerical noise.
The k250 callus (above the 10 % of relative stability) and the final
periosteal bone are reported (INFO).

Prints one line per criterion and exits 1 if any fails.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import validation_lib as vl  # noqa: E402

EXPERIMENT = "callus_size"
SWEEP = ("k16000", "k2700", "k1000", "k250")
LARGE = "k1000_large_domain"
SIZE = "peak_periosteal_callus_mm3"
FILLED_MAX = 0.9
DOMAIN_TOLERANCE = 0.10
RIGID_SMALLER = 0.05
NOISE = 0.02


def ifs(stats, runs_dir, label):
    """Initial interfragmentary strain [%] of a run, or None."""
    gap = vl.read_used_parameter(runs_dir, label, "Gap width")
    if not stats or gap is None or "initial_ifm_reference_mm" not in stats:
        return None
    return 100. * stats["initial_ifm_reference_mm"] / float(gap)


def sources(data, *ids):
    return "; ".join(data[i]["source"].split(",")[0] for i in ids)


def criteria(data, runs_dir):
    stats = {label: vl.load_statistics(runs_dir, label) for label in SWEEP + (LARGE,)}
    size = {label: (s or {}).get(SIZE) for label, s in stats.items()}
    out = []
    for label in SWEEP + (LARGE,):
        s = stats[label]
        if s is None or SIZE not in s:
            out.append(vl.fail(f"{label}: run output with {SIZE}",
                               "missing (run failed, not run, or an ossify without the outcome)",
                               "runs.txt"))
            continue
        strain = ifs(s, runs_dir, label)
        out.append(vl.within(f"{label}: the callus fills at most {FILLED_MAX:.0%} of its region",
                             s["periosteal_callus_filled_share"], 0., FILLED_MAX,
                             "otherwise the region, an input, sets its size (our choice)",
                             "issue 11, item 5",
                             shown=f"{s['periosteal_callus_filled_share']:.3f} ({s[SIZE]:.0f} of "
                                   f"{s['periosteal_callus_region_mm3']:.0f} mm^3"
                                   + (f", IFS {strain:.1f} %" if strain is not None else "") + ")"))
    if size["k1000"] and size[LARGE] is not None:
        change = abs(size[LARGE] - size["k1000"]) / size["k1000"]
        out.append(vl.within("k1000: callus size in a 1.5x larger domain, relative change",
                             change, 0., DOMAIN_TOLERANCE, "10 %, our choice", "issue 11, item 5",
                             shown=f"{change:.3f} ({size[LARGE]:.0f} against {size['k1000']:.0f} mm^3)"))
    for other in ("k2700", "k1000"):
        if size["k16000"] is not None and size[other]:
            ratio = size["k16000"] / size[other]
            out.append(vl.within(f"rigid fixation (k16000, IFS ~1 %) forms a smaller callus than {other}"
                                 " [size ratio]", ratio, 0., 1. - RIGID_SMALLER,
                                 "at least 5 % smaller, our choice",
                                 sources(data, "schell_2005", "reich_2019"),
                                 shown=f"{ratio:.3f} ({size['k16000']:.0f} against {size[other]:.0f} mm^3)"))
    if size["k2700"] and size["k1000"] is not None:
        ratio = size["k1000"] / size["k2700"]
        out.append(vl.within("the callus grows with movement, k2700 (IFS ~5 %) -> k1000 (~10 %) [size ratio]",
                             ratio, 1. - NOISE, float("inf"), "2 % for numerical noise, our choice",
                             sources(data, "claes_1998", "reich_2019"),
                             shown=f"{ratio:.3f} ({size['k1000']:.0f} against {size['k2700']:.0f} mm^3)"))
    for label in SWEEP:
        s = stats[label]
        if s and SIZE in s:
            out.append(vl.info(f"{label}: callus at its largest (day), final periosteal bone",
                               f"{s[SIZE]:.0f} mm^3 (day {s['peak_periosteal_callus_day']:.0f}), "
                               f"{s['final_periosteal_bone_mm3']:.0f} mm^3; bridging "
                               f"{vl.day_text(vl.union_day(s, 'union_day_bridging'), s)}",
                               "this run", value=s[SIZE]))
    return out


def draw(runs_dir):
    """The figure: callus size and final periosteal bone against the IFS."""
    def plot(plt, path):
        fig, ax = plt.subplots(figsize=(8, 4.2))
        points = []
        for label in SWEEP:
            s = vl.load_statistics(runs_dir, label)
            strain = ifs(s, runs_dir, label)
            if s and SIZE in s and strain is not None:
                points.append((strain, s[SIZE] / 1000., s["final_periosteal_bone_mm3"] / 1000., label))
        if points:
            x, size, bone, labels = zip(*points)
            ax.plot(x, size, "o-", color="tab:red", label="callus at its largest (bone + cartilage)")
            ax.plot(x, bone, "s--", color="0.4", label="periosteal bone, day 140")
            for xi, yi, label in zip(x, size, labels):
                ax.annotate(label, (xi, yi), fontsize=7, xytext=(4, 4), textcoords="offset points")
        large = vl.load_statistics(runs_dir, LARGE)
        if large and SIZE in large:
            strain = ifs(large, runs_dir, LARGE)
            if strain is not None:
                ax.plot([strain], [large[SIZE] / 1000.], "D", mfc="none", color="tab:red",
                        label="k1000 in a 1.5x larger domain")
        ax.axvspan(0, 2, color="tab:blue", alpha=0.08, label="absolute stability (< 2 %)")
        ax.axvspan(2, 10, color="tab:green", alpha=0.08, label="relative stability (2-10 %)")
        ax.set_xlabel("initial interfragmentary strain [%]")
        ax.set_ylabel("volume [cm^3]")
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
        vl.save_figure(plt, fig, ax, path, "Periosteal callus size against interfragmentary strain")
    return plot


if __name__ == "__main__":
    sys.exit(vl.run_check(EXPERIMENT, __doc__, HERE, criteria, draw))
