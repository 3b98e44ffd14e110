#!/usr/bin/env python3
"""Time to union must not depend on the element size.

    check_mesh_independence.py COARSE_STATISTICS FINE_STATISTICS [--rtol 0.15]

Compares the days to union by movement (IFM) and by stiffness of two runs
of the same case on two refinement levels: they must agree within rtol
(relative to the fine run) and both criteria must be reached.
"""
import argparse
import sys

import compare_statistics


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("coarse")
    parser.add_argument("fine")
    parser.add_argument("--rtol", type=float, default=0.15)
    args = parser.parse_args()
    coarse = compare_statistics.read(args.coarse)
    fine = compare_statistics.read(args.fine)
    failures = 0
    for name in ("union_day_ifm", "union_day_stiffness"):
        c, f = coarse[name][0], fine[name][0]
        ok = c >= 0 and f > 0 and abs(c - f) <= args.rtol * f
        print(f"{'ok  ' if ok else 'FAIL'} {name}: coarse {c:g} days, fine {f:g} days "
              f"(allowed {100 * args.rtol:g} %)")
        failures += not ok
    print(f"{2 - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
