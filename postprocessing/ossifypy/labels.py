"""The region (material id) and boundary (boundary id) labels of meshes,
from the `ossify` binary, which is where they are defined
(solver/geometry/regions.cc): `ossify --print-labels` prints them as

    {"regions": {"cortical": 1, ...}, "boundaries": {"other": 0, ...}}
"""
import json
import os
import subprocess

from . import launch


def parse(text):
    """Labels from the JSON text of `ossify --print-labels`, checked."""
    try:
        data = json.loads(text)
        regions, boundaries = data["regions"], data["boundaries"]
        for table in (regions, boundaries):
            for name, value in table.items():
                # ids are whole numbers (bool is an int to Python: not one)
                if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    raise ValueError(f"the id of '{name}' is {value!r}, not a "
                                     "whole number >= 0")
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise ValueError(f"not the labels of `ossify --print-labels`: {e}") from None
    return Labels(regions, boundaries)


def default_ossify():
    """build/solver/ossify of this checkout."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return os.path.join(root, "build", "solver", "ossify")


def from_binary(ossify=None):
    """Runs `ossify --print-labels` (default: this checkout's build)."""
    ossify = ossify or default_ossify()
    if not os.path.exists(ossify):
        raise FileNotFoundError(f"no ossify executable at '{ossify}': build it "
                                "(cmake --build build) or name it")
    result = subprocess.run(launch.command(ossify, ["--print-labels"]),
                            capture_output=True, text=True,
                            env=launch.environment())
    if result.returncode != 0:
        raise RuntimeError(f"'{ossify} --print-labels' failed: {result.stderr.strip()}")
    return parse(result.stdout)


class Labels:
    """Region and boundary ids by name, and names by id."""

    def __init__(self, regions, boundaries):
        self.regions = dict(regions)
        self.boundaries = dict(boundaries)

    def region(self, name):
        return self.regions[name]

    def boundary(self, name):
        return self.boundaries[name]

    def region_names(self):
        """{id: name} of the regions."""
        return {v: k for k, v in self.regions.items()}

    def boundary_names(self, labelled_only=True):
        """{id: name} of the boundaries; without 'other' (id 0, faces that
        carry no label) unless `labelled_only` is False."""
        return {v: k for k, v in self.boundaries.items()
                if v != 0 or not labelled_only}
