#!/usr/bin/env python3
"""lacroix_prendergast_2002: code-to-code check against Lacroix &
Prendergast 2002 (J Biomech 35:1163; mechanobiology.md section 3.3). Not
run yet.

    check.py [--runs DIR] [--json FILE] [--plot FILE]

The paper's model is the Prendergast rule on a biphasic (poroelastic)
solve: S = gamma/a + v/b needs the fluid velocity v, and Ossify's
'prendergast' rule refuses to run until a poroelastic solver exists
(docs/healing.md). Every criterion is therefore reported as SKIP, never as
PASS; the options are accepted so that validation/run_all can call every
check.py alike. Exits 0.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import validation_lib as vl  # noqa: E402

EXPERIMENT = "lacroix_prendergast_2002"
NO_POROELASTICITY = ("not run: the prendergast rule needs the fluid velocity of a poroelastic "
                     "solve, which Ossify does not have yet (the rule refuses to run; docs/healing.md)")


def criteria(data):
    """The paper's predictions, each skipped with the reason."""
    fill = data["callus_fill_time"]
    return [
        vl.skip(f"callus fills with bone in ~{fill['value']} {fill['unit']} under the prendergast rule "
                "with Lacroix's diffusion coefficient",
                NO_POROELASTICITY + "; the paper's geometry and load are not in mechanobiology.md either",
                fill["source"]),
    ]


def main():
    args = vl.check_arguments(EXPERIMENT, __doc__)
    return vl.finish(EXPERIMENT, criteria(vl.read_data(HERE)), args)


if __name__ == "__main__":
    sys.exit(main())
