"""Shared pieces of the Ossify validation experiments (validation/*/).

An experiment is a folder with README.md, data.csv (the literature figures,
each row naming its source), optionally runs.txt (the Ossify runs it needs)
and check.py (reads the runs' outputs and prints one line per criterion).
validation/run_all runs the cases and calls every check.py.

runs.txt, one run per line ('#' starts a comment):

    LABEL | BASE CASE (relative to the experiment folder) | SETTINGS

SETTINGS are 'Section/Sub/Parameter = value; ...'. As in
tests/trends/run_trend.py, whose case writer and statistics reader this
module reuses, a run is a small case file that includes the base case and
sets the parameters.

check.py prints, and writes to --json, one line per criterion:

    PASS|FAIL <criterion>: measured X, allowed [lo, hi] (tolerance, source)
    SKIP <criterion>: <why it was not run>
    INFO <figure>: measured X (source)        (reported, not judged)

and exits 1 if any criterion fails.
"""
import argparse
import csv
import json
import math
import os
import re
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
TRENDS = os.path.join(REPO, "tests", "trends")

sys.path.insert(0, TRENDS)
sys.dont_write_bytecode = True  # leave no __pycache__ in tests/trends
try:
    import run_trend  # noqa: E402  (write_case, read_statistics)
except ImportError as error:  # pragma: no cover - a broken checkout
    raise SystemExit(f"validation_lib: cannot import {TRENDS}/run_trend.py ({error}); "
                     "validation/ reuses its case writer and statistics reader")

STATISTICS = "statistics.txt"
INFINITY = math.inf


# ---------------------------------------------------------------- run definitions

class RunDefinition:
    """One Ossify run of an experiment: a label, the base case it includes
    and the parameters it sets."""

    def __init__(self, label, base, pairs):
        self.label = label
        self.base = base
        self.pairs = pairs

    def __repr__(self):
        return f"RunDefinition({self.label!r}, {self.base!r}, {self.pairs!r})"


def read_runs(folder):
    """The runs of the experiment in @folder, from its runs.txt ([] if it has
    none). Raises ValueError with the file and line on a malformed line or a
    missing base case."""
    path = os.path.join(folder, "runs.txt")
    if not os.path.isfile(path):
        return []
    runs = []
    with open(path) as f:
        for number, line in enumerate(f, 1):
            text = line.split("#", 1)[0].strip()
            if not text:
                continue
            runs.append(parse_run_line(text, folder, f"{path}, line {number}"))
    labels = [r.label for r in runs]
    if len(set(labels)) != len(labels):
        raise ValueError(f"{path}: run labels must be unique")
    return runs


def parse_run_line(text, folder, where):
    """One RunDefinition from 'LABEL | BASE | SETTINGS'."""
    fields = [field.strip() for field in text.split("|")]
    if len(fields) not in (2, 3) or not fields[0] or not fields[1]:
        raise ValueError(f"{where}: expected 'LABEL | BASE CASE | SETTINGS'")
    label, base = fields[0], fields[1]
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", label):
        raise ValueError(f"{where}: label '{label}' may hold letters, digits, '_', '.', '-' only")
    base = os.path.normpath(os.path.join(folder, base))
    if not os.path.isfile(base):
        raise ValueError(f"{where}: base case '{base}' does not exist")
    return RunDefinition(label, base, parse_settings(fields[2] if len(fields) == 3 else "", where))


def parse_settings(text, where):
    """[(['Section', 'Sub', 'Parameter'], 'value'), ...] from
    'Section/Sub/Parameter = value; ...' (the pairs run_trend.write_case takes)."""
    pairs = []
    for item in text.split(";"):
        if not item.strip():
            continue
        path, eq, value = item.partition("=")
        names = [name.strip() for name in path.split("/")]
        if not eq or not all(names):
            raise ValueError(f"{where}: '{item.strip()}' is not 'Section/Parameter = value'")
        pairs.append((names, value.strip()))
    return pairs


def run_directory(workdir, experiment, mesh, label):
    """Where a run's case file and outputs live."""
    return os.path.join(os.path.abspath(workdir), experiment, mesh, label)


def case_text(run, directory, extra_pairs):
    """The text of the case file of @run writing into @directory, with
    @extra_pairs set after the run's own settings (run_trend's writer)."""
    pairs = run.pairs + [(["Output directory"], directory)] + extra_pairs
    handle, scratch = tempfile.mkstemp(suffix=".prm")
    os.close(handle)
    try:
        run_trend.write_case(scratch, run.base, run.label, pairs)
        with open(scratch) as f:
            lines = f.read().split("\n")
    finally:
        os.remove(scratch)
    # run_trend's first line calls it a trend-test variant
    lines[0] = f"# validation run '{run.label}' of {run.base} (written by validation/run_all)"
    return "\n".join(lines)


# ---------------------------------------------------------------- run outputs

def load_statistics(runs_dir, label):
    """statistics.txt of run @label under @runs_dir as a dict, or None if the
    run has none (not run, or failed)."""
    path = os.path.join(runs_dir, label, STATISTICS)
    if not os.path.isfile(path):
        return None
    return run_trend.read_statistics(path)


def read_used_parameter(runs_dir, label, name):
    """The value of parameter @name in the parameters.prm that ossify wrote
    for run @label (the first 'set NAME = value'), or None."""
    path = os.path.join(runs_dir, label, "parameters.prm")
    if not os.path.isfile(path):
        return None
    with open(path) as f:
        match = re.search(r"^\s*set\s+" + re.escape(name) + r"\s*=\s*(.*?)\s*$", f.read(), re.M)
    return match.group(1) if match else None


def union_day(stats, key):
    """A union day of @stats, +inf when not reached (-1), None when missing."""
    if stats is None or key not in stats:
        return None
    return INFINITY if stats[key] < 0 else stats[key]


def day_text(day, stats):
    """'96 d (13.7 wk)', 'not reached in 140 d' or 'missing'."""
    if day is None:
        return "missing (run failed or not run)"
    if math.isinf(day):
        n_days = stats.get("n_days") if stats else None
        return f"not reached in {n_days:.0f} d" if n_days else "not reached"
    return f"{day:.0f} d ({day / 7:.1f} wk)"


def read_data(folder):
    """data.csv of an experiment as {id: row}."""
    with open(os.path.join(folder, "data.csv"), newline="") as f:
        return {row["id"]: row for row in csv.DictReader(f)}


def number(row, column):
    """A float from a data.csv cell, None when empty."""
    text = (row.get(column) or "").strip()
    return float(text) if text else None


# ---------------------------------------------------------------- criteria

def fmt(value, digits=3):
    """A number for a criterion line; inf as 'inf'."""
    if value is None:
        return "missing"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return f"{value:.{digits}g}"


def interval(lo, hi, lo_open=False, hi_open=False, digits=3):
    """'[lo, hi]' with '(' or ')' for open ends."""
    return f"{'(' if lo_open else '['}{fmt(lo, digits)}, {fmt(hi, digits)}{')' if hi_open else ']'}"


def within(name, value, lo, hi, tolerance, source, shown=None, lo_open=False,
           hi_open=False, digits=3):
    """A PASS/FAIL criterion: @value inside [lo, hi] (ends open as asked).
    A missing value (None or NaN) or a missing bound fails."""
    missing = value is None or (isinstance(value, float) and math.isnan(value))
    bounds_known = lo is not None and hi is not None
    ok = not missing and bounds_known
    if ok:
        ok = (value > lo if lo_open else value >= lo) and (value < hi if hi_open else value <= hi)
    if shown is None:
        shown = "missing (run failed or not run)" if missing else fmt(value, digits)
    allowed = interval(lo, hi, lo_open, hi_open, digits) if bounds_known else "unknown"
    return {"status": "PASS" if ok else "FAIL", "criterion": name, "measured": shown,
            "allowed": allowed, "tolerance": tolerance, "source": source,
            "value": None if missing else value}


def fail(name, why, source):
    """A criterion that cannot be evaluated and therefore fails."""
    return {"status": "FAIL", "criterion": name, "measured": why, "allowed": "-",
            "tolerance": "-", "source": source, "value": None}


def skip(name, reason, source=""):
    """A criterion that was not run (reported as SKIP, never as PASS)."""
    return {"status": "SKIP", "criterion": name, "measured": "not run", "allowed": "-",
            "tolerance": reason, "source": source, "value": None}


def info(name, shown, source, value=None):
    """A reported figure that is not judged."""
    return {"status": "INFO", "criterion": name, "measured": shown, "allowed": "-",
            "tolerance": "-", "source": source, "value": value}


def line(criterion):
    """The printed line of one criterion."""
    c = criterion
    if c["status"] == "SKIP":
        return f"SKIP {c['criterion']}: {c['tolerance']}" + (f" ({c['source']})" if c["source"] else "")
    if c["status"] == "INFO":
        return f"INFO {c['criterion']}: measured {c['measured']} ({c['source']})"
    return (f"{c['status']} {c['criterion']}: measured {c['measured']}, allowed {c['allowed']} "
            f"({c['tolerance']}, {c['source']})")


# ---------------------------------------------------------------- check.py plumbing

def check_arguments(experiment, description):
    """The command line every check.py takes."""
    parser = argparse.ArgumentParser(description=description,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", default=os.path.join("output", "validation", experiment, "default"),
                        help="directory with one sub-directory per run label, each holding "
                             "that run's statistics.txt (default: %(default)s)")
    parser.add_argument("--json", help="also write the criteria to this JSON file")
    parser.add_argument("--plot", help="draw the experiment's figure into this PNG file")
    return parser.parse_args()


def pyplot():
    """matplotlib.pyplot on the Agg backend, or None without matplotlib."""
    try:
        import matplotlib
    except ImportError:
        return None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def save_figure(plt, fig, ax, path, title):
    """Legend to the right, title, and the figure written to @p path."""
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def finish(experiment, criteria, args, draw=None):
    """Print the criteria, write --json, draw --plot with draw(plt, path);
    returns the exit code (1 if any criterion failed)."""
    for criterion in criteria:
        print(line(criterion))
    plot_note = None
    if args.plot and draw is not None:
        plt = pyplot()
        if plt is None:
            plot_note = f"no figure: matplotlib is not installed for {sys.executable}"
            print(f"{experiment}/check.py: {plot_note}", file=sys.stderr)
        else:
            try:
                draw(plt, args.plot)
            except Exception as error:  # a figure must not hide the verdict
                plot_note = f"no figure: {type(error).__name__}: {error}"
                print(f"{experiment}/check.py: {plot_note}", file=sys.stderr)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"experiment": experiment, "criteria": criteria,
                       "plot": args.plot if args.plot and draw and not plot_note else None,
                       "plot_note": plot_note}, f, indent=1,
                      default=lambda v: None)
    return 1 if any(c["status"] == "FAIL" for c in criteria) else 0


def finite(value):
    """@value if it is a finite number, else None (for plotting)."""
    return value if value is not None and math.isfinite(value) else None


def run_check(experiment, description, folder, criteria, draw):
    """The main() of a check.py whose criteria(data, runs_dir) and
    draw(runs_dir) read data.csv of @folder and the runs: returns the exit
    code."""
    args = check_arguments(experiment, description)
    return finish(experiment, criteria(read_data(folder), args.runs), args, draw(args.runs))
