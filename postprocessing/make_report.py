#!/usr/bin/env python3
"""Build an HTML report of one or more Ossify healing runs.

    python3 postprocessing/make_report.py OUTPUT_DIR [OUTPUT_DIR ...]
        [-o REPORT_DIR] [--title TEXT]

For every run (an output directory of `ossify run` with Healing/Number of
days > 0) the report shows: a summary table (times to union by each
criterion, endochondral share, peak cartilage, callus bone, stiffness, wall
time) next to the clinical reference, a comparison figure of the runs, the
healing curves (IFM, stiffness, tissue volumes, pathways over days), strips
of the tissue maps the Catalyst pipeline rendered in situ
(catalyst/images/tissue_cut_*.png, tissue_3d_*.png), and the parameters
used. Writes REPORT_DIR/index.html (default output/report) with its figures
beside it, and prints its path.
"""
import argparse
import glob
import html
import os
import re
import shutil
import sys
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.image as mpimg  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import plot_healing  # noqa: E402
from ossifypy.results import read_statistics  # noqa: E402

# mechanobiology.md section 5
CLINICAL = [
    ("tibia, functional brace / cast", "16.6 &plusmn; 5.6 weeks (10-40)",
     "Sarmiento &amp; Latta 2004, CORR 428:261"),
    ("tibia, compression plate", "~16-20 weeks, primary healing, no cartilage callus",
     "AO principles"),
]


def run_header(run):
    """(case name, rule, ranks, union fractions) from summary.txt, run.log
    and parameters.prm."""
    name, rule, ranks = os.path.basename(os.path.normpath(run)), "?", "?"
    with open(os.path.join(run, "summary.txt")) as f:
        match = re.search(r"case '([^']+)', rule (\S+),", f.readline())
        if match:
            name, rule = match.group(1), match.group(2)
    log = os.path.join(run, "run.log")
    if os.path.isfile(log):
        match = re.search(r"on (\d+) MPI rank", open(log).read())
        if match:
            ranks = match.group(1)
    return name, rule, ranks, union_fractions(run)


def union_fractions(run):
    """(IFM fraction, stiffness fraction) of the run's Healing/Outcomes, from
    its parameters.prm; the defaults if it cannot be read."""
    fractions = [0.1, 0.5]
    path = os.path.join(run, "parameters.prm")
    if os.path.isfile(path):
        text = open(path).read()
        for k, name in enumerate(("Union IFM fraction", "Union stiffness fraction")):
            match = re.search(r"set " + name + r"\s*=\s*([0-9.eE+-]+)", text)
            if match:
                fractions[k] = float(match.group(1))
    return fractions


def weeks(day):
    return "not reached" if day < 0 else f"{day:.0f} d ({day / 7:.1f} wk)"


def summary_table(runs):
    rows = [("rule", lambda s, h: h[1]),
            ("days simulated", lambda s, h: f"{s['n_days']:.0f}"),
            ("mesh", lambda s, h: f"{s['n_cells']:.0f} cells, {s['n_dofs']:.0f} DOFs"),
            ("union: bony bridging", lambda s, h: weeks(s["union_day_bridging"])),
            ("union: IFM below its fraction of the first loaded day",
             lambda s, h: weeks(s["union_day_ifm"]) + f" (&lt; {100 * h[3][0]:g} %)"),
            ("union: stiffness &ge; its fraction of intact",
             lambda s, h: weeks(s["union_day_stiffness"]) + f" (&ge; {100 * h[3][1]:g} %)"),
            ("endochondral share of new bone", lambda s, h: f"{100 * s['endochondral_share']:.0f} %"),
            ("peak cartilage (share of callus, day)",
             lambda s, h: f"{100 * s['peak_cartilage_share']:.1f} % on day {s['peak_cartilage_day']:.0f}"),
            ("periosteal callus bone", lambda s, h: f"{s['final_periosteal_bone_mm3']:.0f} mm&sup3;"),
            ("callus size at its largest (bone + cartilage, share of its region)",
             lambda s, h: (f"{s['peak_periosteal_callus_mm3']:.0f} mm&sup3; on day "
                           f"{s['peak_periosteal_callus_day']:.0f} "
                           f"({100 * s['periosteal_callus_filled_share']:.0f} %)")
             if "peak_periosteal_callus_mm3" in s else "not reported (older ossify)"),
            ("gap bone share, last day", lambda s, h: f"{100 * s['final_gap_bone_share']:.0f} %"),
            ("IFM under reference load, first loaded day &rarr; last",
             lambda s, h: f"{1000 * s['initial_ifm_reference_mm']:.1f} &rarr; {1000 * s['final_ifm_reference_mm']:.1f} &micro;m"),
            ("stiffness, last day", lambda s, h: f"{100 * s['final_stiffness_ratio']:.0f} % of intact"),
            ("wall time (MPI ranks)", lambda s, h: f"{s['time_total_s']:.0f} s ({h[2]})")]
    out = ["<table><tr><th></th>"]
    out += [f"<th>{html.escape(h[0])}</th>" for _, h, _ in runs]
    out.append("</tr>")
    for label, value in rows:
        out.append(f"<tr><td>{label}</td>")
        out += [f"<td>{value(s, h)}</td>" for _, h, s in runs]
        out.append("</tr>")
    out.append("</table>")
    return "\n".join(out)


def comparison_figure(runs, path):
    names = [h[0] for _, h, _ in runs]
    ifm, stiffness = runs[0][1][3]
    criteria = [("bony bridging", "union_day_bridging"), (f"IFM < {100 * ifm:g} %", "union_day_ifm"),
                (f"stiffness >= {100 * stiffness:g} %", "union_day_stiffness")]
    fig, (ax_union, ax_path) = plt.subplots(1, 2, figsize=(max(11, 2.2 * len(runs)), 4.5))
    width = 0.8 / len(criteria)
    for k, (label, key) in enumerate(criteria):
        x = [i + (k - 1) * width for i in range(len(runs))]
        days = [s[key] / 7 for _, _, s in runs]
        bars = ax_union.bar(x, [max(d, 0) for d in days], width, label=label)
        for bar, d in zip(bars, days):
            ax_union.text(bar.get_x() + width / 2, max(d, 0) + 0.2,
                          "not reached" if d < 0 else f"{d:.1f}", ha="center",
                          va="bottom", fontsize=7, rotation=90 if d < 0 else 0)
    ax_union.axhspan(16.6 - 5.6, 16.6 + 5.6, color="0.85", zorder=0,
                     label="cast/brace clinical 16.6 ± 5.6 wk")
    ax_union.set_xticks(range(len(runs)), names, rotation=25, ha="right", fontsize=8)
    ax_union.set_ylabel("time to union [weeks]")
    ax_union.legend(fontsize=7)
    x = range(len(runs))
    ax_path.bar([i - 0.2 for i in x], [100 * s["endochondral_share"] for _, _, s in runs], 0.4,
                label="endochondral share of new bone")
    ax_path.bar([i + 0.2 for i in x], [100 * s["peak_cartilage_share"] for _, _, s in runs], 0.4,
                label="peak cartilage, share of callus")
    ax_path.set_xticks(list(x), names, rotation=25, ha="right", fontsize=8)
    ax_path.set_ylabel("[%]")
    ax_path.legend(fontsize=7)
    for ax in (ax_union, ax_path):
        ax.grid(alpha=0.3, axis="y")
    fig.suptitle("Fixation comparison: time to union and healing pathway", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def image_days(run, kind):
    found = {}
    for path in glob.glob(os.path.join(run, "catalyst", "images", f"tissue_{kind}_*.png")):
        found[int(re.search(r"_(\d+)\.png$", path).group(1))] = path
    return dict(sorted(found.items()))


def tissue_strip(run, name, path, n_max=6):
    """The cut images of up to n_max days side by side; False if none."""
    images = image_days(run, "cut")
    if not images:
        return False
    days = list(images)
    if len(days) > n_max:  # evenly spread, always with the first and last
        days = [days[round(i * (len(days) - 1) / (n_max - 1))] for i in range(n_max)]
    columns = 3
    rows = (len(days) + columns - 1) // columns
    fig, axes = plt.subplots(rows, columns, figsize=(4.2 * columns, 2.3 * rows), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, day in zip(axes.flat, days):
        ax.imshow(mpimg.imread(images[day]))
        ax.set_title(f"{name}, day {day}", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def build(runs, report_dir, title="Ossify study", failures=None):
    """Writes report_dir/index.html for the output directories @runs and
    returns its path; @failures maps names of cases that failed to why."""
    failures = failures or {}
    os.makedirs(report_dir, exist_ok=True)
    loaded = []
    required = ["n_days", "n_cells", "n_dofs", "union_day_bridging", "union_day_ifm",
                "union_day_stiffness", "endochondral_share", "peak_cartilage_share",
                "peak_cartilage_day", "final_periosteal_bone_mm3", "final_gap_bone_share",
                "initial_ifm_reference_mm", "final_ifm_reference_mm", "final_stiffness_ratio",
                "time_total_s"]
    for run in runs:
        name = os.path.basename(os.path.normpath(run))
        try:
            statistics = read_statistics(run)
            missing = [k for k in required if k not in statistics]
            if missing:
                raise ValueError("not a healing run (statistics.txt lacks "
                                 + ", ".join(missing) + ")")
            plot_healing.load_runs([run])  # healing.csv readable
            loaded.append((run, run_header(run), statistics))
        except (OSError, KeyError, ValueError) as e:
            failures[name] = f"no usable results: {e}"

    parts = [f"<h1>{html.escape(title)}</h1>",
             f"<p>Built {time.strftime('%Y-%m-%d %H:%M')} from "
             f"{', '.join(html.escape(r) for r, _, _ in loaded) or 'no runs'}.</p>"]
    if failures:
        parts.append("<h2>Failed cases</h2><ul>")
        parts += [f"<li><b>{html.escape(n)}</b>: {html.escape(w)}</li>" for n, w in failures.items()]
        parts.append("</ul>")
    if loaded:
        parts.append("<h2>Summary</h2>")
        parts.append(summary_table(loaded))
        parts.append("<p>Clinical reference (mechanobiology.md &sect;5):</p><table>"
                     "<tr><th>site / treatment</th><th>time to union</th><th>source</th></tr>")
        parts += [f"<tr><td>{a}</td><td>{b}</td><td>{c}</td></tr>" for a, b, c in CLINICAL]
        parts.append("</table>")

        comparison_figure(loaded, os.path.join(report_dir, "comparison.png"))
        parts.append('<h2>Comparison</h2><img src="comparison.png" alt="comparison">')
        plot_healing.plot(plot_healing.load_runs([r for r, _, _ in loaded]),
                          os.path.join(report_dir, "healing_curves.png"))
        parts.append('<h2>Healing curves</h2><img src="healing_curves.png" alt="healing curves">')

        parts.append("<h2>Tissue maps (rendered in situ by ParaView Catalyst)</h2>")
        for run, header, _ in loaded:
            name = header[0]
            strip = f"tissues_{name}.png"
            if tissue_strip(run, name, os.path.join(report_dir, strip)):
                parts.append(f"<h3>{html.escape(name)}: cut through the bone axis</h3>"
                             f'<img src="{strip}" alt="tissue maps of {html.escape(name)}">')
                views = image_days(run, "3d")
                if views:
                    last = list(views)[-1]
                    copy = f"tissues_3d_{name}.png"
                    shutil.copy(views[last], os.path.join(report_dir, copy))
                    parts.append(f"<h3>{html.escape(name)}: 3-D view, day {last}</h3>"
                                 f'<img class="half" src="{copy}" alt="3-D view">')
            else:
                parts.append(f"<p>{html.escape(name)}: no in-situ images; enable the "
                             "Catalyst pipeline postprocessing/catalyst/tissue_images.py in "
                             "subsection Output/Catalyst.</p>")

        parts.append("<h2>Parameters used</h2>")
        for run, header, _ in loaded:
            prm = os.path.join(run, "parameters.prm")
            text = open(prm).read() if os.path.isfile(prm) else "(parameters.prm missing)"
            parts.append(f"<details><summary>{html.escape(header[0])} ({html.escape(prm)})"
                         f"</summary><pre>{html.escape(text)}</pre></details>")

    style = ("body{font-family:sans-serif;max-width:1200px;margin:auto;padding:1em}"
             "table{border-collapse:collapse;margin:0.5em 0}"
             "td,th{border:1px solid #bbb;padding:3px 8px;text-align:left}"
             "img{max-width:100%}img.half{max-width:60%}pre{font-size:11px}")
    index = os.path.join(report_dir, "index.html")
    with open(index, "w") as f:
        f.write(f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}"
                f"</title><style>{style}</style></head><body>\n" + "\n".join(parts) +
                "\n</body></html>\n")
    return index


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("runs", nargs="+")
    parser.add_argument("-o", "--output", default=os.path.join("output", "report"))
    parser.add_argument("--title", default="Ossify study")
    args = parser.parse_args()
    for run in args.runs:
        if not os.path.isfile(os.path.join(run, "healing.csv")):
            print(f"make_report.py: error: {run} is not the output of a healing run "
                  "(no healing.csv)")
            return 2
    index = build(args.runs, args.output, args.title)
    print(os.path.abspath(index))
    return 0


if __name__ == "__main__":
    sys.exit(main())
