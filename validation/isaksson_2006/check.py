#!/usr/bin/env python3
"""isaksson_2006: code-to-code check against Isaksson et al. 2006b (J
Orthop Res 24:898; mechanobiology.md section 3.4): an ovine tibia with a
2.4 mm gap under axial and torsional load, where only deviatoric strain +
fluid velocity predicted bony bridging under torsion. Not run yet.

    check.py [--runs DIR] [--json FILE] [--plot FILE]

The winning rule (Prendergast: deviatoric strain + fluid velocity) needs a
poroelastic solve, which Ossify does not have (the 'prendergast' rule
refuses to run; docs/healing.md). The failing rules (claes-heigele,
carter) and torsion loads exist, but the paper's set-up (geometry, torsion
magnitude, fixation, run length) is not in mechanobiology.md, and their
failure means something only beside the prediction that succeeded. Every
criterion is reported as SKIP, never as PASS. Exits 0.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import validation_lib as vl  # noqa: E402

EXPERIMENT = "isaksson_2006"
NO_POROELASTICITY = ("not run: the fluid velocity needs a poroelastic solve, which Ossify does not "
                     "have yet (the prendergast rule refuses to run; docs/healing.md)")
NO_SETUP = ("not run: the paper's ovine model (torsion magnitude, fixation, run length) is not in "
            "mechanobiology.md, and the comparison needs the poroelastic prediction beside it")


def criteria(data):
    """The paper's findings, each skipped with the reason."""
    return [
        vl.skip("under torsion, deviatoric strain + fluid velocity (prendergast) predicts bony bridging",
                NO_POROELASTICITY, data["torsion_deviatoric_fluid"]["source"]),
        vl.skip("under torsion, strain + pressure rules (claes-heigele, carter) do not predict bony bridging",
                NO_SETUP, data["torsion_strain_pressure"]["source"]),
    ]


def main():
    args = vl.check_arguments(EXPERIMENT, __doc__)
    return vl.finish(EXPERIMENT, criteria(vl.read_data(HERE)), args)


if __name__ == "__main__":
    sys.exit(main())
