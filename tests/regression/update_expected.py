#!/usr/bin/env python3
"""Rewrite the reference values of an expected-figures file from a run's
statistics.txt, keeping every name, tolerance and comment.

    update_expected.py EXPECTED STATISTICS

For reference figures only (expected/<test>.txt). Outcome files
(expected/*_outcomes.txt) hold what the science must show, not what the
code last produced, and are refused. Review the diff and give the reason
for every change in the commit message.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare_statistics  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("expected")
    parser.add_argument("statistics")
    parser.add_argument("--force", action="store_true",
                        help="also change exact figures (tolerance 0 0: cell and DOF counts, "
                             "days), which differ only when the run is of another case")
    args = parser.parse_args()
    if args.expected.endswith("_outcomes.txt"):
        print(f"update_expected.py: error: {args.expected} holds outcome bounds, not "
              "reference figures: edit it by hand, with the source of every bound")
        return 2
    actual = compare_statistics.read(args.statistics)
    lines = []
    with open(args.expected) as f:
        for line in f:
            body, hash_, comment = line.rstrip("\n").partition("#")
            words = body.split()
            if words and words[0] != "default":
                if len(words) < 2:
                    print(f"update_expected.py: error: {args.expected}: '{line.strip()}' "
                          "has no value")
                    return 2
                exact = words[2:4] == ["0", "0"]
                if exact and not args.force and words[0] in actual and \
                        float(words[1]) != actual[words[0]][0]:
                    print(f"update_expected.py: error: {words[0]} is exact in {args.expected} "
                          f"({words[1]}) but {actual[words[0]][0]:g} in {args.statistics}: "
                          "a run of another case? (--force to take it)")
                    return 2
                if words[0] not in actual:
                    print(f"update_expected.py: error: {words[0]} is not in {args.statistics}")
                    return 2
                words[1] = f"{actual[words[0]][0]:.10g}"
                line = " ".join(words) + (" " + hash_ + comment if hash_ else "") + "\n"
            lines.append(line)
    with open(args.expected, "w") as f:
        f.writelines(lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
