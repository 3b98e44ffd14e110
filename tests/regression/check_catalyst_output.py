#!/usr/bin/env python3
"""Run an Ossify case with the Catalyst pipelines of postprocessing/catalyst
on N ranks (under xvfb-run, since rendering needs a display) and check what
the pipelines wrote:

  * extracts/callus_DDDD.pvtu for every expected day, with one piece per
    rank and the fields the adaptor must hand over;
  * images/tissue_cut_DDDD.png and images/tissue_3d_DDDD.png for every
    expected day, none blank: each shows several tissues, told apart by the
    colours of the tissue palette (the legend is cropped off first);
  * on the last day the cut shows at least the tissues given with
    --last-day-tissues.

    check_catalyst_output.py --ossify BIN --case FILE.prm --workdir DIR
        --ranks N --days 0 14 28 [--last-day-tissues cartilage "woven bone"]
"""
import argparse
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import matplotlib.image as mpimg

# the colours of postprocessing/catalyst/tissue_images.py, read from there
# so that the test follows the pipeline
HERE = os.path.dirname(os.path.abspath(__file__))
PIPELINES = os.path.join(HERE, "..", "..", "postprocessing", "catalyst")
sys.path.insert(0, PIPELINES)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "postprocessing"))
from ossifypy import launch  # noqa: E402


def palette():
    namespace = {}
    with open(os.path.join(PIPELINES, "tissue_images.py")) as f:
        source = f.read()
    start = source.index("TISSUES = [")
    end = source.index("]\n", source.index("(\"implant\"", start)) + 1
    exec(source[start:end], namespace)
    return namespace["TISSUES"]


REQUIRED_CELL_FIELDS = ["dominant_tissue", "fraction_cartilage",
                        "fraction_woven_bone", "stimulus", "stem_cells",
                        "endochondral_share", "hydrostatic_pressure",
                        "octahedral_shear_strain", "youngs_modulus",
                        "region", "mpi_rank"]


def check_extract(path, ranks):
    problems = []
    if not os.path.isfile(path):
        return [f"missing extract {path}"]
    root = ET.parse(path).getroot()
    grid = root.find("PUnstructuredGrid")
    pieces = grid.findall("Piece")
    if len(pieces) != ranks:
        problems.append(f"{path}: {len(pieces)} pieces, expected {ranks}")
    for piece in pieces:
        if not os.path.isfile(os.path.join(os.path.dirname(path),
                                           piece.get("Source"))):
            problems.append(f"{path}: piece {piece.get('Source')} missing")
    cell = [a.get("Name") for a in grid.find("PCellData")]
    point = [a.get("Name") for a in grid.find("PPointData")]
    for name in REQUIRED_CELL_FIELDS:
        if name not in cell:
            problems.append(f"{path}: cell field '{name}' missing")
    if "displacement" not in point:
        problems.append(f"{path}: point field 'displacement' missing")
    return problems


def tissue_shares(path, tissues):
    """Share of the image (legend cropped) showing each tissue colour,
    allowing for the shading: a pixel p matches colour c if p ~ s c with a
    shading factor s in [0.45, 1.15]."""
    image = mpimg.imread(path)[..., :3].astype(float)
    if image.max() > 1.0:
        image /= 255.0
    height, width, _ = image.shape
    image = image[:, : int(0.8 * width)]  # the scalar bar sits on the right
    pixels = image.reshape(-1, 3)
    background = np.all(pixels > 0.97, axis=1)
    foreground = pixels[~background]
    shares = {}
    best = np.full(len(foreground), np.inf)
    owner = np.full(len(foreground), -1)
    for k, (_, colour) in enumerate(tissues):
        c = np.array(colour)
        s = np.clip(foreground @ c / (c @ c), 0.45, 1.15)
        residual = np.linalg.norm(foreground - s[:, None] * c, axis=1)
        better = residual < best
        best[better] = residual[better]
        owner[better] = k
    matched = best < 0.05
    for k, (name, _) in enumerate(tissues):
        shares[name] = np.count_nonzero(matched & (owner == k)) / len(pixels)
    return shares, float(pixels.std()), background.mean()


def check_image(path, tissues, required=()):
    if not os.path.isfile(path):
        return [f"missing image {path}"], {}
    shares, spread, background = tissue_shares(path, tissues)
    present = sorted(n for n, s in shares.items() if s > 0.003)
    problems = []
    if spread < 0.05 or background > 0.98:
        problems.append(f"{path} is blank (pixel std {spread:.3f}, "
                        f"background {100 * background:.1f} %)")
    if len(present) < 3:
        problems.append(f"{path} shows only {present}")
    for name in required:
        if name not in present:
            problems.append(f"{path}: no {name} visible (shows {present})")
    return problems, shares


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ossify", required=True)
    parser.add_argument("--case", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--ranks", type=int, default=2)
    parser.add_argument("--mpiexec", default="mpiexec")
    parser.add_argument("--days", type=int, nargs="+", required=True)
    parser.add_argument("--last-day-tissues", nargs="*", default=[])
    args = parser.parse_args()

    shutil.rmtree(args.workdir, ignore_errors=True)
    os.makedirs(args.workdir)
    command = launch.command(args.ossify, ["run", os.path.abspath(args.case)], args.ranks,
                             args.mpiexec, launcher=("xvfb-run", "-a"))
    print("running:", " ".join(command), flush=True)
    if subprocess.run(command, cwd=args.workdir).returncode != 0:
        print("FAILED: ossify did not finish")
        return 1

    outputs = [os.path.join(args.workdir, "output", d)
               for d in os.listdir(os.path.join(args.workdir, "output"))]
    catalyst = os.path.join(outputs[0], "catalyst")
    tissues = palette()
    problems = []
    for day in args.days:
        problems += check_extract(
            os.path.join(catalyst, "extracts", f"callus_{day:04d}.pvtu"),
            args.ranks)
        for kind in ("cut", "3d"):
            required = (args.last_day_tissues
                        if kind == "cut" and day == args.days[-1] else ())
            path = os.path.join(catalyst, "images",
                                f"tissue_{kind}_{day:04d}.png")
            found, shares = check_image(path, tissues, required)
            problems += found
            shown = ", ".join(f"{n} {100 * s:.1f}%"
                              for n, s in shares.items() if s > 0.003)
            print(f"day {day:3d} {kind:3s}: {shown}")
    for p in problems:
        print("FAILED:", p)
    if problems:
        return 1
    print(f"OK: extracts and images of days {args.days} on {args.ranks} "
          "rank(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
