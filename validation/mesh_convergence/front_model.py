#!/usr/bin/env python3
"""A 1-D model of how the fuzzy-logic rule spreads bone from cell to cell,
to read the mesh dependence of the healing cases (README.md).

    front_model.py [--rate 0.045] [--reference-size 1] [--thickness 4]

A row of cells of size h next to a bony surface (the cortex). Each day a
cell's bone fraction b moves towards 1 by rate * (reference size / h) *
g(neighbour), where g is the 'bony neighbour' membership of the rule
(0 below 20 % bone in the most bony face neighbour, 1 above 40 %,
linear between) and one day is one explicit step, as in Ossify. This is
rule 3 alone, with every other antecedent fully true; it leaves out
perfusion, cartilage and the mechanics.

Prints, for cell sizes from 2 mm to 0.125 mm:
- the speed of a front far from where it started (a long row), which the
  size factor makes nearly independent of h;
- the bone formed in a layer of --thickness mm (a callus a few cells
  thick) by days 7, 14, 28 and 56, which is not: the first cell next to
  the bone converts at a rate proportional to 1/h from day 0, so a coarse
  cell lags behind a front that would have crossed its near part already.
"""
import argparse


def membership(x):
    """'medium or high' bone in the neighbour: 20 -> 40 % ramp."""
    return min(1., max(0., (x - 0.2) / 0.2))


def step(bone, factor):
    """One day: each cell moves towards bone by factor * g(most bony
    neighbour); the bony surface (bone = 1) lies before cell 0."""
    new = list(bone)
    for i, b in enumerate(bone):
        left = bone[i - 1] if i > 0 else 1.
        right = bone[i + 1] if i + 1 < len(bone) else 0.
        new[i] = b + factor * membership(max(left, right)) * (1. - b)
    return new


def filled(h, args, days):
    """Bone volume per area [mm] of a layer of args.thickness by each of @days."""
    bone = [0.] * max(1, round(args.thickness / h))
    factor = min(1., args.rate * args.reference_size / h)
    out = {}
    for day in range(1, max(days) + 1):
        bone = step(bone, factor)
        if day in days:
            out[day] = sum(bone) * h
    return out


def front_speed(h, args, length=60., first=150, last=300):
    """Speed of the front between days @first and @last [mm/day]."""
    bone = [0.] * round(length / h)
    factor = min(1., args.rate * args.reference_size / h)
    at = {}
    for day in range(1, last + 1):
        bone = step(bone, factor)
        if day in (first, last):
            at[day] = sum(bone) * h
    return (at[last] - at[first]) / (last - first)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=0.045, help="differentiation rate [1/day]")
    parser.add_argument("--reference-size", type=float, default=1.,
                        help="reference element size of the size factor [mm]")
    parser.add_argument("--thickness", type=float, default=4., help="layer thickness [mm]")
    args = parser.parse_args()
    if args.rate <= 0 or args.reference_size <= 0 or args.thickness <= 0:
        parser.error("--rate, --reference-size and --thickness must be positive")
    days = (7, 14, 28, 56)
    print(f"rate {args.rate}/day, reference size {args.reference_size} mm, "
          f"layer {args.thickness} mm")
    print(f"{'h [mm]':>8} {'front speed [mm/day]':>22}" + "".join(
        f"{'bone by day ' + str(d) + ' [mm]':>22}" for d in days))
    for h in (2., 1., 0.5, 0.25, 0.125):
        layer = filled(h, args, days)
        print(f"{h:8.3f} {front_speed(h, args):22.4f}" + "".join(
            f"{layer[d]:22.2f}" for d in days))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
