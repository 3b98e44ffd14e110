#!/usr/bin/env python3
"""Malformed inputs for `ossify` (issue 15: every bad input refused cleanly).

    generate_inputs.py --outdir DIR (--ossify BIN | --parameters-json FILE)
                       [--seed N] [--catalyst auto|yes|no]

Writes one directory DIR/<id>/ per input (its case file and whatever else it
needs), shared valid files in DIR/common/, and DIR/inputs.json, the list of
records. A record says:

  id          stable name, "<category>-<slug>"; also the directory name
  category    syntax, values, files, meshes, schedules, catalyst, restart,
              io or solver
  command     validate, run or restart (`ossify run --restart`)
  case        the case file, relative to the input's directory (which is
              the working directory of the run)
  exit        the exit code ossify must give: 2 (bad input) or 3
              (computation or I/O failure)
  expect      substrings the one "ossify: error:" line must contain (case
              is ignored): the parameter, section or file at fault
  expect_any  optional: at least one of these must be in that line too
  output      what the run may leave behind: "none" (the input directory
              exactly as before: nothing created, nothing changed),
              "unchanged" (a refused restart: the copied earlier run in
              <input>/output byte for byte as before), "partial" (a run that
              failed while running: what it wrote must be complete) or "any"
  checks      for "partial": "healing_csv_complete" (every line of
              healing.csv whole, as many fields as its header),
              "summary_stopped" (summary.txt says the run stopped)
  ulimit_f    optional: file-size limit [KiB] the run is started under
  env         optional: environment variables the run needs
  mutation    restart only: how run_fuzz.py damages the copy of the
              reference run's output directory before the restart
  note        what the input is

Everything is derived from --seed and the parameter list of the binary
(--output-json), so the same seed and binary give the same inputs. Only the
Python 3 standard library is used.
"""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys

CATEGORIES = ("syntax", "values", "files", "meshes", "schedules", "catalyst",
              "restart", "io", "solver")

# The shared valid base: the coarsest parametric bone Ossify builds (220
# cells), no field output. Every input starts from it so that a run that
# is (wrongly) accepted still finishes in a moment.
TINY_PRM = """\
# The fuzz suite's valid base case: the coarsest parametric bone.
set Case name = fuzz
subsection Geometry
  set Callus refinements = 0
  subsection Parametric bone
    set Cells around circumference = 8
    set Axial cell size            = 20
    set Cells across gap           = 1
    set Radial cells in callus     = 1
    set Radial cells in cortex     = 1
  end
end
subsection Output
  set Write fields = false
end
"""

HEAL_PRM = """\
# The base case healing for one day, no checkpoint.
include tiny.prm
subsection Healing
  set Number of days      = 1
  set Checkpoint interval = 0
end
"""

# The run whose checkpoint the restart inputs damage (run_fuzz.py runs it
# once per test run): 3 days, a checkpoint every day.
RESTART_PRM = """\
# The reference healing run for the restart inputs: 3 days on the coarsest
# mesh with a checkpoint every day, written to ./output.
include tiny.prm
set Case name        = fuzz_restart
set Output directory = output
subsection Healing
  set Number of days      = 3
  set Checkpoint interval = 1
end
"""
RESTART_DAYS = 5  # what a restart input asks for (extends the 3 days)

GMSH_PRM = """\
# The base case on the valid Gmsh box mesh (set Mesh file in the case).
include tiny.prm
subsection Geometry
  set Source = gmsh
end
"""

CATALYST_OK = """\
# script-version: 2
# A valid pipeline that does nothing (the fuzz suite's control).
from paraview.simple import *
grid = TrivialProducer(registrationName="grid")
"""

# --------------------------------------------------------------------------
# helpers: case text
# --------------------------------------------------------------------------

def prm_text(settings, include="../common/tiny.prm", header=None):
    """A case file: an include line and `set` lines for a list of
    ("Section/Sub/Name", value) pairs, each in its nested subsections."""
    lines = []
    if header:
        lines += ["# " + h for h in header.splitlines()]
    if include:
        lines.append("include " + include)
    for path, value in settings:
        parts = path.split("/")
        for depth, section in enumerate(parts[:-1]):
            lines.append("  " * depth + "subsection " + section)
        lines.append("  " * (len(parts) - 1) + f"set {parts[-1]} = {value}")
        for depth in reversed(range(len(parts) - 1)):
            lines.append("  " * depth + "end")
    return "\n".join(lines) + "\n"


def box_mesh(nx=2, ny=2, zs=(-20, -10, -1, 1, 10, 20), half=5.0,
             region=lambda k: 3 if k == 2 else 1, quads=True,
             volume_tag=None, surface_tags=(1, 2, 3), element=5,
             node_shift=0.0, tweak=None, move=None):
    """An ASCII MSH 2.2 box of hexahedra centred on z = 0: regions by layer
    (the middle layer is the gap, tag 3, the others cortical, tag 1),
    boundary quads distal (1), proximal (2) and outer (3). `tweak(hexes)`
    may reorder the nodes of hexahedra to break them; `move` = (i, j, k,
    z) puts one node at another z."""
    xs = [-half + 2 * half * i / nx for i in range(nx + 1)]
    ys = [-half + 2 * half * j / ny for j in range(ny + 1)]

    def nid(i, j, k):
        return 1 + i + (nx + 1) * (j + (ny + 1) * k)

    nodes = [(nid(i, j, k), xs[i], ys[j], zs[k] + node_shift)
             for k in range(len(zs)) for j in range(ny + 1)
             for i in range(nx + 1)]
    if move:
        i, j, k, z = move
        nodes = [(n, x, y, z if n == nid(i, j, k) else zn) for n, x, y, zn in nodes]
    nz = len(zs) - 1
    surfaces = []
    distal, proximal, outer = surface_tags
    for i in range(nx):
        for j in range(ny):
            if distal is not None:
                surfaces.append((3, distal, [nid(i, j, 0), nid(i, j + 1, 0),
                                             nid(i + 1, j + 1, 0), nid(i + 1, j, 0)]))
            if proximal is not None:
                surfaces.append((3, proximal, [nid(i, j, nz), nid(i + 1, j, nz),
                                               nid(i + 1, j + 1, nz), nid(i, j + 1, nz)]))
    if outer is not None:
        for k in range(nz):
            for i in range(nx):
                surfaces.append((3, outer, [nid(i, 0, k), nid(i + 1, 0, k),
                                            nid(i + 1, 0, k + 1), nid(i, 0, k + 1)]))
                surfaces.append((3, outer, [nid(i, ny, k), nid(i, ny, k + 1),
                                            nid(i + 1, ny, k + 1), nid(i + 1, ny, k)]))
            for j in range(ny):
                surfaces.append((3, outer, [nid(0, j, k), nid(0, j, k + 1),
                                            nid(0, j + 1, k + 1), nid(0, j + 1, k)]))
                surfaces.append((3, outer, [nid(nx, j, k), nid(nx, j + 1, k),
                                            nid(nx, j + 1, k + 1), nid(nx, j, k + 1)]))
    hexes = []
    for k in range(nz):
        for j in range(ny):
            for i in range(nx):
                tag = region(k) if volume_tag is None else volume_tag
                hexes.append([tag, [nid(i, j, k), nid(i + 1, j, k),
                                    nid(i + 1, j + 1, k), nid(i, j + 1, k),
                                    nid(i, j, k + 1), nid(i + 1, j, k + 1),
                                    nid(i + 1, j + 1, k + 1), nid(i, j + 1, k + 1)]])
    if tweak:
        tweak(hexes)
    elements = list(surfaces) if quads else []
    if element == 5:
        elements += [(5, tag, n) for tag, n in hexes]
    elif element == 4:  # each hexahedron as five tetrahedra
        for tag, n in hexes:
            for t in ((0, 1, 3, 4), (1, 2, 3, 6), (1, 4, 5, 6), (3, 4, 6, 7), (1, 3, 4, 6)):
                elements.append((4, tag, [n[v] for v in t]))
    out = ["$MeshFormat", "2.2 0 8", "$EndMeshFormat", "$Nodes", str(len(nodes))]
    out += [f"{n} {x:g} {y:g} {z:g}" for n, x, y, z in nodes]
    out += ["$EndNodes", "$Elements", str(len(elements))]
    out += [f"{e + 1} {t} 2 {p} {p + 10} " + " ".join(map(str, ns))
            for e, (t, p, ns) in enumerate(elements)]
    out += ["$EndElements", ""]
    return "\n".join(out)


# --------------------------------------------------------------------------
# the parameter list of the binary
# --------------------------------------------------------------------------

def load_parameters(ossify=None, json_file=None):
    """Flat {"Section/Name": pattern_description} from --output-json."""
    if json_file:
        with open(json_file) as f:
            tree = json.load(f)
    else:
        text = subprocess.run([ossify, "--output-json"], capture_output=True,
                              text=True, check=True, timeout=120).stdout
        tree = json.loads(text)
    flat = {}

    def walk(node, path):
        for key, value in node.items():
            if isinstance(value, dict) and "pattern_description" in value:
                flat["/".join(path + [key])] = value["pattern_description"]
            elif isinstance(value, dict):
                walk(value, path + [key])
    walk(tree, [])
    return flat


def numeric_range(description):
    """("Double"|"Integer", low, high) of a numeric pattern, else None."""
    m = re.fullmatch(r"\[(Double|Integer range) (\S+)\.\.\.(\S+) \(inclusive\)\]",
                     description.strip())
    if not m:
        return None
    kind = "Double" if m.group(1) == "Double" else "Integer"

    def number(text):
        if "MAX" in text:
            return None
        return float(text) if kind == "Double" else int(text)
    return kind, number(m.group(2)), number(m.group(3))


def bad_numbers(kind, low, high):
    """Values outside the pattern of a numeric parameter, by name."""
    bad = {}
    if low is not None:
        bad["below"] = repr(low - max(1, abs(low))) if kind == "Double" \
            else str(low - 1)
        bad["negative"] = "-1e300" if kind == "Double" else "-2147483649"
    if high is not None:
        bad["above"] = f"{high * 10 + 1:g}" if kind == "Double" else str(high + 1)
        bad["huge"] = "1e309" if kind == "Double" else "99999999999999999999"
    bad.update({"nan": "nan", "inf": "inf", "minus_inf": "-inf",
                "word": "twelve", "empty": "", "comma_decimal": "1,5",
                "two_numbers": "1 2", "trailing_text": "3mm"})
    if kind == "Integer":
        bad["fraction"] = "1.5"
        bad["exponent"] = "1e3"
    return bad


# --------------------------------------------------------------------------
# the generator
# --------------------------------------------------------------------------

class Generator:
    """Collects the inputs of all categories into an output directory."""

    def __init__(self, outdir, seed, parameters, catalyst):
        self.outdir = os.path.abspath(outdir)
        self.rng = random.Random(seed)
        self.parameters = parameters
        self.catalyst = catalyst
        self.records = []
        self.run_counter = 0

    # -- writing ----------------------------------------------------------

    def write_common(self):
        """The shared valid files every input builds on."""
        common = os.path.join(self.outdir, "common")
        os.makedirs(common)
        files = {"tiny.prm": TINY_PRM, "heal.prm": HEAL_PRM,
                 "restart_case.prm": RESTART_PRM, "gmsh.prm": GMSH_PRM,
                 "box.msh": box_mesh(), "ok_pipeline.py": CATALYST_OK,
                 "gmsh_case.prm": "include gmsh.prm\nsubsection Geometry\n"
                                  "  subsection Gmsh mesh\n    set Mesh file = box.msh\n"
                                  "  end\nend\n",
                 "catalyst_case.prm": "include heal.prm\nsubsection Output\n"
                                      "  subsection Catalyst\n    set Enable = true\n"
                                      "    set Scripts = ok_pipeline.py\n  end\nend\n"}
        for name, text in files.items():
            with open(os.path.join(common, name), "w") as f:
                f.write(text)

    def add(self, category, slug, case, *, files=None, command="validate",
            exit=2, expect=(), expect_any=(), output=None, checks=(),
            ulimit_f=None, env=None, mutation=None, note="", case_name=None):
        """One input: its directory with the case file (text or bytes) and
        extra files ({name: text|bytes|None for a directory}), and its
        record."""
        assert category in CATEGORIES, category
        ident = f"{category}-{slug}"
        assert re.fullmatch(r"[a-z0-9_.-]+", ident), ident
        assert all(r["id"] != ident for r in self.records), ident
        assert expect or expect_any, ident
        directory = os.path.join(self.outdir, ident)
        os.makedirs(directory)
        case_name = case_name or (slug.replace("-", "_") + ".prm")
        for name, content in sorted((files or {}).items()):
            path = os.path.join(directory, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            if content is None:
                os.makedirs(path, exist_ok=True)
            elif isinstance(content, bytes):
                with open(path, "wb") as f:
                    f.write(content)
            else:
                with open(path, "w") as f:
                    f.write(content)
        if case is not None:
            path = os.path.join(directory, case_name)
            if isinstance(case, bytes):
                with open(path, "wb") as f:
                    f.write(case)
            else:
                with open(path, "w") as f:
                    f.write(case)
        if output is None:
            output = {"restart": "unchanged"}.get(
                command, "none" if exit == 2 else "partial")
        record = {"id": ident, "category": category, "command": command,
                  "case": case_name, "exit": exit, "expect": list(expect),
                  "expect_any": list(expect_any), "output": output,
                  "checks": list(checks), "note": note}
        if ulimit_f is not None:
            record["ulimit_f"] = ulimit_f
        if env:
            record["env"] = env
        if mutation is not None:
            record["mutation"] = mutation
        self.records.append(record)
        return record

    def validate_or_run(self):
        """Every fourth input that is refused while reading runs with `run`
        instead of --validate, so that both paths are shown to create
        nothing."""
        self.run_counter += 1
        return "run" if self.run_counter % 4 == 0 else "validate"

    # -- categories -------------------------------------------------------

    def syntax(self):
        """Broken parameter-file syntax, includes and bytes."""
        add = self.add
        v = self.validate_or_run
        add("syntax", "unterminated-subsection",
            "include ../common/tiny.prm\nsubsection Geometry\n  set Global refinements = 0\n",
            command=v(), expect=["unterminated_subsection.prm"],
            note="a subsection without its end")
        add("syntax", "end-without-subsection", prm_text([]) + "end\n",
            command=v(), expect=["end_without_subsection.prm"],
            note="'end' at the top level")
        add("syntax", "missing-equals",
            prm_text([]) + "subsection Geometry\n  set Global refinements 0\nend\n",
            command=v(), expect=["missing_equals.prm"], note="set without '='")
        add("syntax", "unknown-keyword", prm_text([]) + "sett Case name = x\n",
            command=v(), expect=["unknown_keyword.prm"], note="'sett' for 'set'")
        add("syntax", "subsection-without-name",
            prm_text([]) + "subsection\n  set Global refinements = 0\nend\n",
            command=v(), expect=["subsection_without_name.prm"], note="bare 'subsection'")
        add("syntax", "unknown-section",
            prm_text([]) + "subsection Geometrie\n  set Global refinements = 0\nend\n",
            command=v(), expect=["Geometrie"], note="misspelt section")
        add("syntax", "unknown-subsection-nested",
            prm_text([("Healing/Rules/claes/Pressure limit", "0.15")]),
            command=v(), expect=["claes"], note="rule subsection 'claes'")
        add("syntax", "unknown-parameter",
            prm_text([("Geometry/Parametric bone/Gap widht", "2")]),
            command=v(), expect=["Gap widht"], note="misspelt parameter")
        add("syntax", "parameter-in-wrong-section",
            prm_text([("Healing/Case name", "x")]),
            command=v(), expect=["Case name"], note="top-level parameter in Healing")
        # bytes
        garbage = bytes(self.rng.randrange(128, 256) for _ in range(24)) + \
            bytes(self.rng.randrange(1, 256) for _ in range(2000))
        add("syntax", "garbage-bytes", garbage, command=v(),
            expect=["garbage_bytes.prm"], note="2 kB of random bytes")
        add("syntax", "garbage-line",
            prm_text([]).encode() + b"\xc3\x28\xa0\xa1 \xe2\x82 \xff\xfe\n",
            command=v(), expect=["garbage_line.prm"], note="invalid UTF-8 line")
        add("syntax", "control-characters",
            prm_text([]).encode()
            + b"subsection Geometry\n  set Global\x07refinements\x1b = 0\nend\n",
            command=v(), expect=["control_characters.prm"],
            note="BEL and ESC in a name")
        add("syntax", "nul-in-value",
            prm_text([]).encode()
            + b"subsection Geometry\n  set Global refinements = 0\x001\nend\n",
            command=v(), expect=["nul_in_value.prm"], note="NUL inside a value")
        add("syntax", "nul-in-comment",
            prm_text([]).encode() + b"# a comment \x00 with a NUL\n",
            command=v(), expect=["nul_in_comment.prm"], note="NUL in a comment")
        add("syntax", "utf16-file", prm_text([], include=None).encode("utf-16"),
            command=v(), expect=["utf16_file.prm"], note="a UTF-16 text file")
        add("syntax", "empty-file", b"", command=v(), expect=["empty_file.prm"],
            note="a case file of 0 bytes")
        add("syntax", "bom",
            b"\xef\xbb\xbf" + prm_text([("Geometry/Global refinements", "0")],
                                       include=None).encode(),
            command=v(), expect=["bom.prm"], note="UTF-8 byte order mark")
        long_value = "1" * 1_000_000
        add("syntax", "long-value",
            prm_text([("Geometry/Parametric bone/Gap width", long_value)]),
            command=v(), expect=["Gap width"],
            note="a 1 MB number: the message must still name the parameter")
        add("syntax", "long-name",
            prm_text([("Geometry/Parametric bone/" + "x" * 200_000, "1")]),
            command=v(), expect=["long_name.prm"],
            note="a 200 kB parameter name")
        # duplicated keys of list parameters
        bc = "Boundary conditions/"
        duplicates = [
            (bc + "Total force", "proximal: 0 0 -300, proximal: 0 0 -800", "Total force"),
            (bc + "Total moment", "proximal: 100 0 0, proximal: 0 100 0", "Total moment"),
            (bc + "Fixed", "distal: xyz, distal: z", "Fixed"),
            (bc + "Elastic support", "proximal: 1 1 1, proximal: 2 2 2", "Elastic support"),
            (bc + "Prescribed displacement", "proximal: 0 0 -0.1, proximal: 0 0 -0.2",
             "Prescribed displacement"),
            ("Regions/Initial tissue", "cortical: cortical_bone, marrow: marrow, "
             "gap: granulation, gap: cartilage, periosteal_callus: granulation, "
             "endosteal_callus: granulation, soft_tissue: soft_tissue, implant: implant",
             "Initial tissue"),
            ("Geometry/Gmsh mesh/Region map", "1: cortical, 1: marrow, 3: gap", "Region map"),
            ("Geometry/Gmsh mesh/Boundary map", "1: distal, 1: proximal, 3: outer", "Boundary map"),
            ("Healing/Load schedule", "0: 1, 7: 0.5, 7: 1", "Load schedule"),
        ]
        for path, value, name in duplicates:
            slug = "duplicate-" + name.lower().replace(" ", "-").replace("'", "")
            add("syntax", slug, prm_text([(path, value)]), command=v(), expect=[name],
                note=f"'{name}' names one key twice: {value}")
        # includes
        add("syntax", "include-missing", "include no_such_file.prm\n" + prm_text([]),
            command=v(), expect=["no_such_file.prm"], note="include of a missing file")
        add("syntax", "include-missing-material", "include ../../materials/no_such_material.prm\n"
            + prm_text([]), command=v(), expect=["no_such_material.prm"],
            note="include of a missing material file")
        add("syntax", "include-directory", "include ../common\n" + prm_text([]),
            command=v(), expect=["common"], note="include of a directory")
        add("syntax", "include-self", "include include_self.prm\n" + prm_text([]),
            command=v(), expect=["include_self.prm"], note="a file including itself")
        add("syntax", "include-loop",
            "include loop_b.prm\n" + prm_text([]),
            files={"loop_b.prm": "include loop_c.prm\n",
                   "loop_c.prm": "include include_loop.prm\n"},
            command=v(), expect=["include_loop.prm"], note="a -> b -> c -> a")
        add("syntax", "include-in-subsection",
            prm_text([]) + "subsection Geometry\ninclude ../common/tiny.prm\nend\n",
            command=v(), expect=["include_in_subsection.prm"], note="include inside a subsection")
        chain = {f"chain_{i:03d}.prm": f"include chain_{i + 1:03d}.prm\n" for i in range(1, 200)}
        chain["chain_200.prm"] = "include ../common/tiny.prm\n"
        add("syntax", "include-chain-200", "include chain_001.prm\n", files=chain,
            command=v(), expect=["chain_"], note="includes 200 files deep")
        add("syntax", "case-is-directory", None, files={"case_is_directory.prm": None},
            command=v(), expect=["case_is_directory.prm"], note="the case file is a directory")
        add("syntax", "case-missing", None, command=v(), expect=["case_missing.prm"],
            note="the case file does not exist")

    def values(self):
        """Out-of-range numbers from the binary's own patterns, unknown
        names, absurd loads and inconsistent combinations."""
        add = self.add
        v = self.validate_or_run
        numeric = {}
        for path, description in sorted(self.parameters.items()):
            r = numeric_range(description)
            if r:
                numeric[path] = r
        # every kind of bad number at least once, on as many parameters as
        # there are kinds, then a seeded sample of further parameters
        paths = sorted(numeric)
        self.rng.shuffle(paths)
        kinds_done = set()
        chosen = []
        for path in paths:
            kind, low, high = numeric[path]
            bad = bad_numbers(kind, low, high)
            missing = [k for k in sorted(bad) if k not in kinds_done]
            name = missing[0] if missing else self.rng.choice(sorted(bad))
            kinds_done.add(name)
            chosen.append((path, name, bad[name]))
            if len(chosen) >= 16 and not [k for k in ("below", "above", "nan", "inf",
                                                       "fraction", "huge", "empty")
                                          if k not in kinds_done]:
                break
        for path, name, value in chosen:
            leaf = path.split("/")[-1]
            slug = "range-" + re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") + "-" + name
            add("values", slug[:90], prm_text([(path, value)]), command=v(), expect=[leaf],
                note=f"{path} = '{value}' ({name}; pattern {self.parameters[path]})")
        # unknown names in selections and maps
        names = [
            ("Healing/Rule", "claes_heigele", "Rule"),
            ("Fixation/Type", "plaster-cast", "Type"),
            ("Fixation/Representation", "meshed", "Representation"),
            ("Linear solver/Method", "bicgstab", "Method"),
            ("Linear solver/Preconditioner", "ilu", "Preconditioner"),
            ("Healing/Mixture law", "quadratic", "Mixture law"),
            ("Geometry/Source", "stl", "Source"),
            ("Fixation/compression-plate/Implant material", "steel", "Implant material"),
            ("Healing/Evolving regions", "gap, callus", "Evolving regions"),
            ("Boundary conditions/Load-bearing regions", "bone", "Load-bearing regions"),
            ("Boundary conditions/Fixed", "top: xyz", "Fixed"),
            ("Boundary conditions/Fixed", "distal: xyw", "Fixed"),
            ("Boundary conditions/Total force", "top: 0 0 -500", "Total force"),
            ("Boundary conditions/Total force", "proximal: 0 0 -5OO", "Total force"),
            ("Regions/Initial tissue", "gap: jelly", "Initial tissue"),
            ("Geometry/Gmsh mesh/Region map", "1: bone", "Region map"),
            ("Geometry/Gmsh mesh/Boundary map", "1: bottom", "Boundary map"),
            ("Fixation/Half model", "maybe", "Half model"),
        ]
        for path, value, name in names:
            slug = "name-" + re.sub(r"[^a-z0-9]+", "-", (name + " " + value).lower()).strip("-")
            add("values", slug, prm_text([(path, value)]), command=v(), expect=[name],
                note=f"{path} = '{value}'")
        # loads no bone carries
        loads = [
            ("Total force", "proximal: 0 0 -1e30", "force-1e30"),
            ("Total force", "proximal: 0 0 -50001", "force-above-50kn"),
            ("Total force", "distal: 0 0 0, proximal: 0 0 -1e30", "force-second-entry"),
            ("Total moment", "proximal: 1e30 0 0", "moment-1e30"),
            ("Total moment", "proximal: 0 0 2e6", "moment-above-1e6"),
            ("Prescribed displacement", "proximal: 0 0 -1e30", "displacement-1e30"),
            ("Prescribed displacement", "proximal: 0 0 nan", "displacement-nan"),
            ("Elastic support", "proximal: -150 -150 -150", "support-negative"),
        ]
        for name, value, slug in loads:
            settings = [("Boundary conditions/" + name, value)]
            if name == "Prescribed displacement":  # not on the loaded end
                settings.insert(0, ("Boundary conditions/Total force", ""))
            add("values", "load-" + slug, prm_text(settings), command=v(), expect=[name],
                note=f"{name} = {value}")
        # inconsistent combinations
        pb = "Geometry/Parametric bone/"
        combos = [
            ("radii-inverted", [(pb + "Outer radius", "7"), (pb + "Inner radius", "8")],
             ["Inner radius"]),
            ("gap-wider-than-segment", [(pb + "Segment length", "40"), (pb + "Gap width", "50")],
             ["Gap width"]),
            ("endosteal-longer-than-segment", [(pb + "Segment length", "40"),
                                               (pb + "Endosteal callus length", "60")],
             ["Endosteal callus length"]),
            ("circumference-not-multiple-of-4", [(pb + "Cells around circumference", "10")],
             ["Cells around circumference"]),
            ("symmetry-absent-boundary", [("Boundary conditions/Symmetry", "symmetry")],
             ["symmetry"]),
            ("preload-and-pre-shortening",
             [("Fixation/Type", "compression-plate"),
              ("Fixation/compression-plate/Pre-shortening", "0.1"),
              ("Fixation/compression-plate/Preload force", "600")], ["Preload force"]),
            ("rotational-without-elastic",
             [("Boundary conditions/Rotational support", "proximal: 1000 1000 1000")],
             ["Rotational support"]),
            ("fixed-and-prescribed",
             [("Boundary conditions/Fixed", "distal: xyz, proximal: xyz"),
              ("Boundary conditions/Prescribed displacement", "proximal: 0 0 -0.1")],
             ["proximal"]),
            ("nothing-held",
             [("Boundary conditions/Fixed", ""), ("Boundary conditions/Elastic support", "")],
             ["Fixed"]),
            ("region-without-tissue",
             [("Regions/Initial tissue", "cortical: cortical_bone, marrow: marrow")],
             ["Initial tissue"]),
            ("cast-and-hand-support",
             [("Fixation/Type", "cast"),
              ("Boundary conditions/Elastic support", "proximal: 100 100 100")],
             ["Elastic support"]),
            ("prendergast-healing",
             [("Healing/Rule", "prendergast"), ("Healing/Number of days", "2")], ["Rule"]),
            ("claes-thresholds-inverted",
             [("Healing/Rules/claes-heigele/Intramembranous strain", "0.3"),
              ("Healing/Rules/claes-heigele/Endochondral strain", "0.15")],
             ["Intramembranous strain"]),
            ("isaksson-limits-inverted",
             [("Healing/Rule", "isaksson-deviatoric"),
              ("Healing/Rules/isaksson-deviatoric/Bone limit", "0.2"),
              ("Healing/Rules/isaksson-deviatoric/Cartilage limit", "0.1")], ["Bone limit"]),
            ("fuzzy-fraction-limits-decreasing",
             [("Healing/Rule", "fuzzy-logic"),
              ("Healing/Rules/fuzzy-logic/Fraction limits", "80, 60, 40, 20")],
             ["Fraction limits"]),
            ("fuzzy-stability-limits-words",
             [("Healing/Rule", "fuzzy-logic"),
              ("Healing/Rules/fuzzy-logic/Stability strain limits", "one, two")],
             ["Stability strain limits"]),
            ("screw-positions-words",
             [("Fixation/Type", "compression-plate"),
              ("Fixation/compression-plate/Screw positions", "-24, left, 8")],
             ["Screw positions"]),
        ]
        for slug, settings, expect in combos:
            add("values", "combo-" + slug, prm_text(settings), command=v(), expect=expect,
                note="; ".join(f"{p} = {x}" for p, x in settings))

    def files(self):
        """Files that are missing, empty, directories or not what they say."""
        add = self.add
        v = self.validate_or_run

        def mesh_case(name):
            return prm_text([("Geometry/Gmsh mesh/Mesh file", name)], include="../common/gmsh.prm")
        add("files", "mesh-missing", mesh_case("no_such_mesh.msh"), command=v(),
            expect=["no_such_mesh.msh"], note="the mesh file does not exist")
        add("files", "mesh-empty", mesh_case("empty.msh"), files={"empty.msh": ""},
            command=v(), expect=["empty.msh"], note="a mesh file of 0 bytes")
        add("files", "mesh-directory", mesh_case("folder.msh"), files={"folder.msh": None},
            command=v(), expect=["folder.msh"], note="the mesh file is a directory")
        add("files", "mesh-garbage", mesh_case("garbage.msh"),
            files={"garbage.msh": bytes(self.rng.randrange(0, 256) for _ in range(4096))},
            command=v(), expect=["garbage.msh"], note="4 kB of random bytes as mesh")
        text = box_mesh()
        add("files", "mesh-truncated", mesh_case("truncated.msh"),
            files={"truncated.msh": text[:len(text) // 2]}, command=v(),
            expect=["truncated.msh"], note="the valid box mesh cut in half")
        cut = text.index("$Elements")
        add("files", "mesh-nul-bytes", mesh_case("nul.msh"),
            files={"nul.msh": text[:200].encode() + b"\x00" * 64 + text[200:].encode()},
            command=v(), expect=["nul.msh"], note="NUL bytes inside the node list")
        add("files", "mesh-wrong-extension", mesh_case("bone.vtk"),
            files={"bone.vtk": "# vtk DataFile Version 3.0\nbone\nASCII\n"
                               "DATASET UNSTRUCTURED_GRID\nPOINTS 0 double\nCELLS 0 0\n"
                               "CELL_TYPES 0\n"},
            command=v(), expect=["bone.vtk"], note="a legacy VTK file as mesh")
        add("files", "mesh-is-parameter-file", mesh_case("../common/tiny.prm"), command=v(),
            expect=["tiny.prm"], note="a .prm file as mesh")
        add("files", "mesh-binary-format", mesh_case("binary.msh"),
            files={"binary.msh": b"$MeshFormat\n4.1 1 8\n\x01\x00\x00\x00\n$EndMeshFormat\n"
                                 + bytes(self.rng.randrange(0, 256) for _ in range(512))},
            command=v(), expect=["binary.msh"], note="binary MSH 4.1 (only ASCII is read)")
        add("files", "mesh-huge-node-count", mesh_case("huge_count.msh"),
            files={"huge_count.msh": "$MeshFormat\n2.2 0 8\n$EndMeshFormat\n$Nodes\n"
                                     "999999999999\n1 0 0 0\n$EndNodes\n"},
            command=v(), expect=["huge_count.msh"], note="claims 1e12 nodes")
        add("files", "mesh-node-missing", mesh_case("dangling.msh"),
            files={"dangling.msh": re.sub(r"(\n\d+ 5 2 \d+ \d+) \d+", r"\1 999", text,
                                          count=1)},
            command=v(), expect=["dangling.msh"], note="an element names node 999")
        add("files", "mesh-nan-coordinates", mesh_case("nan.msh"),
            files={"nan.msh": re.sub(r"\$Nodes\n(\d+)\n1 \S+", r"$Nodes\n\1\n1 nan", text)},
            command=v(), expect=["nan.msh"], note="a node at x = nan")
        add("files", "mesh-file-empty-name",
            prm_text([("Geometry/Gmsh mesh/Mesh file", "")], include="../common/gmsh.prm"),
            command=v(), expect=["Mesh file"], note="Source gmsh, Mesh file empty")
        add("files", "catalyst-script-missing",
            prm_text([("Output/Catalyst/Enable", "true"),
                      ("Output/Catalyst/Scripts", "no_such_pipeline.py")]),
            command=v(), expect=["no_such_pipeline.py"], note="missing Catalyst script")
        add("files", "load-schedule-file-missing",
            prm_text([("Healing/Number of days", "2"),
                      ("Healing/Load schedule file", "no_such_schedule.txt")]),
            command=v(), expect=["no_such_schedule.txt"], note="missing load schedule file")
        add("files", "load-schedule-file-directory",
            prm_text([("Healing/Number of days", "2"),
                      ("Healing/Load schedule file", "schedules")]),
            files={"schedules": None}, command=v(), expect=["schedules"],
            note="load schedule file is a directory")

    def meshes(self):
        """Meshes Ossify must not compute on: broken cells, tags and
        boundaries, and refinements no machine holds."""
        add = self.add

        def mesh_case(name, extra=()):
            return prm_text([("Geometry/Gmsh mesh/Mesh file", name)] + list(extra),
                            include="../common/gmsh.prm")

        # (a hexahedron inverted as a whole is no test: the Gmsh reader
        # turns it right way up)
        def twisted(hexes):
            tag, n = hexes[1]
            hexes[1] = [tag, [n[0], n[1], n[2], n[3], n[5], n[4], n[6], n[7]]]

        def collapsed(hexes):
            tag, n = hexes[-1]
            hexes[-1] = [tag, n[:4] + n[:4]]

        broken = [
            ("inverted-element", box_mesh(move=(1, 1, 2, -15.0)), [],
             "a node pushed below the bottom face: the cells under it inverted at a corner"),
            ("twisted-element", box_mesh(tweak=twisted), [], "two top nodes swapped"),
            ("collapsed-element", box_mesh(tweak=collapsed), [], "top face on the bottom face"),
            ("off-centre", box_mesh(node_shift=5.0), [], "gap not at z = 0"),
            ("tetrahedra", box_mesh(element=4), [], "tetrahedra instead of hexahedra"),
            ("surface-only", box_mesh(element=0), [], "boundary quads but no volume"),
        ]
        for slug, text, extra, note in broken:
            name = slug.replace("-", "_") + ".msh"
            add("meshes", slug, mesh_case(name, extra), files={name: text},
                command="validate", expect=[name], note=note)
        tags = [
            ("volume-tag-missing", box_mesh(volume_tag=0), "Region map",
             "volumes with physical tag 0"),
            ("volume-tag-unknown", box_mesh(volume_tag=42), "Region map",
             "volumes with physical tag 42"),
            ("surface-tag-unknown", box_mesh(surface_tags=(1, 2, 9)), "Boundary map",
             "outer surface tagged 9"),
            ("no-distal-boundary", box_mesh(surface_tags=(None, 2, 3)), "distal",
             "no distal surface, but 'Fixed = distal: xyz'"),
            ("no-proximal-boundary", box_mesh(surface_tags=(1, None, 3)), "proximal",
             "no proximal surface, but the load is on it"),
            ("no-boundaries", box_mesh(quads=False), "distal",
             "no physical surfaces at all"),
        ]
        for slug, text, expect, note in tags:
            name = slug.replace("-", "_") + ".msh"
            add("meshes", slug, mesh_case(name), files={name: text}, command="validate",
                expect=[expect], note=note)
        # refinements far too large: the message must name the parameter
        # and say how big the mesh would be
        estimate = ["cells", "memory", "GB", "MB"]
        big = [
            ("global-refinements-6", [("Geometry/Global refinements", "6")],
             "../common/tiny.prm", "Global refinements", "the coarsest bone x 8^6 cells"),
            ("global-refinements-5-default-bone", [("Geometry/Global refinements", "5")],
             None, "Global refinements", "the default bone (15k cells) x 8^5"),
            ("callus-refinements-6", [("Geometry/Callus refinements", "6")],
             None, "parameter 'Callus refinements'", "the default bone's callus x 8^6"),
            ("global-and-callus", [("Geometry/Global refinements", "3"),
                                   ("Geometry/Callus refinements", "4")],
             None, "refinements", "3 global and 4 callus refinements"),
            ("gmsh-global-refinements-6", [("Geometry/Global refinements", "6"),
                                           ("Geometry/Gmsh mesh/Mesh file", "../common/box.msh")],
             "../common/gmsh.prm", "Global refinements", "the box mesh x 8^6"),
        ]
        for slug, settings, include, expect, note in big:
            text = prm_text(settings, include=include) if include else \
                prm_text(settings, include=None)
            add("meshes", slug, text, command="validate", expect=[expect], expect_any=estimate,
                note=note)
        pb = "Geometry/Parametric bone/"
        add("meshes", "parametric-coarse-mesh-huge",
            prm_text([(pb + "Cells around circumference", "400"),
                      (pb + "Radial cells in cortex", "50"),
                      (pb + "Radial cells in callus", "50"),
                      (pb + "Axial cell size", "0.01"),
                      (pb + "Segment length", "1000"),
                      (pb + "Gap width", "3")], include=None),
            command="validate", expect=["Parametric bone"], expect_any=estimate,
            note="a coarse mesh of ~4e9 cells before any refinement")

    def schedules(self):
        """Load schedules, schedule files and dynamisation days that make
        no sense."""
        add = self.add
        v = self.validate_or_run
        days = [("Healing/Number of days", "10")]
        bad = [
            ("out-of-order", "0: 1, 10: 0.5, 5: 1", "days out of order"),
            ("negative-day", "-3: 0.2, 7: 1", "a negative day"),
            ("negative-factor", "0: -1", "a negative load factor"),
            ("no-colon", "0 1", "a pair without ':'"),
            ("word-factor", "0: full", "a word for a factor"),
            ("nan-factor", "0: nan", "a NaN factor"),
            ("double-colon", "0: 1: 2", "'0: 1: 2'"),
        ]
        # not bad: an empty 'Load schedule' is the documented constant 1
        for slug, value, note in bad:
            add("schedules", "load-schedule-" + slug,
                prm_text(days + [("Healing/Load schedule", value)]), command=v(),
                expect=["Load schedule"], note=f"Load schedule = '{value}': {note}")
        files = [
            ("out-of-order", "0 1\n14 0.5\n7 1\n", "days out of order"),
            ("negative-day", "-7 0.2\n14 1\n", "a negative day"),
            ("garbage-line", "0 0.2\nthis is not a number\n42 1\n", "a line of words"),
            ("one-column", "0\n14\n", "days without factors"),
            ("empty", "", "a file of 0 bytes"),
            ("binary", bytes(self.rng.randrange(0, 256) for _ in range(512)), "random bytes"),
            ("duplicate-day", "0 0.2\n7 0.5\n7 1\n", "one day twice"),
        ]
        for slug, content, note in files:
            name = f"schedule_{slug.replace('-', '_')}.txt"
            add("schedules", "schedule-file-" + slug,
                prm_text(days + [("Healing/Load schedule file", name)]),
                files={name: content}, command=v(), expect=[name], note=note)
        dyn = [
            # not bad: a dynamisation day beyond the days asked for is the
            # plan of a run that a restart extends
            ("day-negative", [("Fixation/Type", "cast"), ("Fixation/Dynamisation day", "-5")],
             "Dynamisation day", "a negative day"),
            ("factor-above-one", [("Fixation/Type", "cast"),
                                  ("Fixation/Dynamised stiffness factor", "1.5")],
             "Dynamised stiffness factor", "a stiffer device after dynamisation"),
            ("factor-negative", [("Fixation/Type", "cast"),
                                 ("Fixation/Dynamised stiffness factor", "-0.5")],
             "Dynamised stiffness factor", "a negative factor"),
            ("without-device", [("Fixation/Type", "none"), ("Fixation/Dynamisation day", "5"),
                                ("Fixation/Dynamised stiffness factor", "0.5")],
             "Dynamisation day", "dynamising no device"),
        ]
        for slug, settings, expect, note in dyn:
            add("schedules", "dynamisation-" + slug, prm_text(days + settings), command=v(),
                expect=[expect], note=note)

    def catalyst_inputs(self):
        """Pipelines that do not load or fail while the run goes on: one
        message naming the script, no Python traceback."""
        add = self.add
        if not self.catalyst:
            return

        def case(scripts, extra=()):
            return prm_text([("Output/Catalyst/Enable", "true"),
                             ("Output/Catalyst/Scripts", scripts),
                             ("Output/Catalyst/Interval", "1")] + list(extra),
                            include="../common/heal.prm")
        v2 = "# script-version: 2\nfrom paraview.simple import *\n"
        rank = ("from paraview.modules.vtkRemotingCore import vtkProcessModule\n"
                "pm = vtkProcessModule.GetProcessModule()\n"
                "last = pm.GetPartitionId() == pm.GetNumberOfLocalPartitions() - 1\n")
        v1_ok_body = ("def RequestDataDescription(datadescription):\n"
                      "    datadescription.GetInputDescriptionByName('grid')"
                      ".AllFieldsOn()\n"
                      "    datadescription.GetInputDescriptionByName('grid')"
                      ".GenerateMeshOn()\n")
        load = [
            ("syntax-error-v2", v2 + "def broken(:\n    pass\n", "a Python syntax error (v2)"),
            ("syntax-error-v1", "from paraview.simple import *\ndef broken(:\n    pass\n",
             "a Python syntax error (legacy v1)"),
            ("import-error-v2", v2 + "import no_such_module_fuzz\n", "imports a missing module"),
            ("exception-at-import-v2", v2 + "raise RuntimeError('fuzz: import fails')\n",
             "raises while imported (v2)"),
            ("exception-at-import-v1", "raise RuntimeError('fuzz: import fails')\n",
             "raises while imported (v1)"),
            ("exit-at-import", v2 + "import sys\nsys.exit(3)\n", "calls sys.exit() when imported"),
            ("exception-at-import-last-rank", v2 + rank +
             "if last:\n    raise RuntimeError('fuzz: only the last rank fails')\n",
             "raises at import on the last rank only"),
            ("v1-without-functions", "x = 1\n", "a v1 script without its functions"),
        ]
        for slug, text, note in load:
            name = "pipe_" + slug.replace("-", "_") + ".py"
            # exit 3, as for a pipeline that fails later: Catalyst v2 imports
            # a script on its first call, so a load error shows on day 0 of a
            # run that has started (docs/visualisation.md)
            add("catalyst", slug, case(name), files={name: text}, command="run", exit=3,
                expect=[name], output="any", note=note + "; must exit 3 naming the script")
        run = [
            ("exception-at-execute-v2", v2 + "grid = TrivialProducer(registrationName='grid')\n"
             "def catalyst_execute(info):\n    raise RuntimeError('fuzz: pipeline fails')\n",
             "catalyst_execute raises (v2)"),
            ("exception-at-coprocess-v1", v1_ok_body +
             "def DoCoProcessing(datadescription):\n    raise RuntimeError('fuzz: coprocess')\n",
             "DoCoProcessing raises (legacy v1)"),
            ("exception-on-day-1", v2 + "grid = TrivialProducer(registrationName='grid')\n"
             "def catalyst_execute(info):\n    if info.timestep >= 1:\n"
             "        raise RuntimeError('fuzz: day 1 fails')\n",
             "fails on day 1 only (day 0 processed)"),
            ("exception-on-last-rank", v2 + rank +
             "grid = TrivialProducer(registrationName='grid')\n"
             "def catalyst_execute(info):\n    if last:\n"
             "        raise RuntimeError('fuzz: last rank fails')\n",
             "catalyst_execute raises on the last rank only"),
            ("wrong-channel", v2 + "grid = TrivialProducer(registrationName='grid')\n"
             "def catalyst_execute(info):\n    FindSource('no_such_channel').UpdatePipeline()\n",
             "uses a source that does not exist"),
        ]
        for slug, text, note in run:
            name = "pipe_" + slug.replace("-", "_") + ".py"
            add("catalyst", slug, case(name), files={name: text}, command="run", exit=3,
                expect=[name], checks=["healing_csv_complete"],
                note=note + "; must exit 3 naming the script")
        add("catalyst", "second-script-broken",
            case("../common/ok_pipeline.py, pipe_second.py"),
            files={"pipe_second.py": v2 + "raise ValueError('fuzz: second')\n"},
            command="run", exit=3, expect=["pipe_second.py"], output="any",
            note="the second of two scripts raises at import")
        add("catalyst", "script-is-directory", case("pipeline.py"),
            files={"pipeline.py": None}, command="validate", expect=["pipeline.py"],
            note="the script is a directory")
        add("catalyst", "no-scripts", case(""), command="validate", expect=["Scripts"],
            note="Catalyst enabled without a script")
        add("catalyst", "seventeen-scripts", case(", ".join(["../common/ok_pipeline.py"] * 17)),
            command="validate", expect=["Scripts"], note="17 scripts (at most 16)")
        add("catalyst", "interval-zero", case("../common/ok_pipeline.py",
                                              [("Output/Catalyst/Interval", "0")]),
            command="validate", expect=["Interval"], note="Interval = 0")

    def restart(self):
        """Refused restarts: the checkpoint damaged or of another run. The
        earlier run must stay exactly as it was."""
        add = self.add
        base = "../common/restart_case.prm"

        def case(settings=()):
            return prm_text([("Healing/Number of days", str(RESTART_DAYS))] + list(settings),
                            include=base)
        damaged = []
        for target in ("header.txt", "records.txt", "parameters.txt", "cells_first",
                       "cells_last"):
            t = target.replace(".txt", "").replace("_", "-")
            for at in {"header.txt": (0.0, 0.5), "cells_first": (0.0, 0.5, 1.0)}.get(
                    target, (0.5,)):
                damaged.append((f"flip-{t}-{int(at * 100)}",
                                {"op": "flip", "file": target, "at": at},
                                f"one byte of {target} inverted at {int(at * 100)} %"))
            damaged.append((f"truncate-{t}", {"op": "truncate", "file": target, "at": 0.5},
                            f"{target} cut to half"))
            if target in ("header.txt", "records.txt", "cells_first"):
                damaged.append((f"empty-{t}", {"op": "truncate", "file": target, "at": 0.0},
                                f"{target} emptied"))
            damaged.append((f"delete-{t}", {"op": "delete", "file": target},
                            f"{target} deleted"))
        for target in ("records.txt", "parameters.txt", "header.txt"):
            t = target.replace(".txt", "")
            damaged.append((f"digit-{t}", {"op": "digit", "file": target,
                                           "at": round(self.rng.uniform(0.2, 0.8), 3)},
                            f"one digit of {target} changed (still well-formed)"))
        damaged.append(("bit-cells-first", {"op": "bit", "file": "cells_first",
                                            "at": round(self.rng.uniform(0.2, 0.8), 3)},
                        "one bit of cells_first flipped"))
        damaged.append(("append-cells-last", {"op": "append", "file": "cells_last",
                                              "bytes": 64},
                        "64 bytes appended to cells_last"))
        damaged.append(("append-records", {"op": "append_text", "file": "records.txt",
                                           "text": "3 1 0 0 0 0 0 0 0 0 0 0 0\n"},
                        "a record of an extra day appended"))
        header = [
            ("next-day-earlier", {"op": "header_set", "key": "next_day", "value": "2"}),
            ("next-day-beyond", {"op": "header_set", "key": "next_day", "value": "999"}),
            ("n-ranks", {"op": "header_set", "key": "n_ranks", "value": "7"}),
            ("n-cells", {"op": "header_set", "key": "n_cells", "value": "221"}),
            ("case-name", {"op": "header_set", "key": "case_name", "value": "other_case"}),
            ("format-version", {"op": "header_set", "key": "format_version", "value": "99"}),
            ("mesh-hash", {"op": "header_set", "key": "mesh_hash", "value": "0123456789abcdef"}),
            ("delete-next-day", {"op": "header_delete", "key": "next_day"}),
            ("unknown-key", {"op": "header_append", "text": "colour blue\n"}),
            ("duplicate-line", {"op": "header_duplicate", "key": "next_day"}),
            ("crlf", {"op": "crlf", "file": "header.txt"}),
        ]
        for slug, mutation in header:
            damaged.append(("header-" + slug, mutation, f"header.txt: {mutation}"))
        for slug, mutation, note in damaged:
            expect = ["header.txt"] if mutation["op"].startswith("header") else ["{file}"]
            add("restart", slug, case(), command="restart", expect=expect,
                mutation=mutation, note=note)
        layout = [
            ("no-checkpoint", {"op": "delete_dir"}, ["checkpoint"], "no checkpoint directory"),
            ("checkpoint-old-only", {"op": "rename_dir", "to": "checkpoint.old"},
             ["checkpoint.old"], "only checkpoint.old (an interrupted write)"),
            ("checkpoint-new-only", {"op": "rename_dir", "to": "checkpoint.new"},
             ["checkpoint"], "only the staging directory checkpoint.new"),
            ("checkpoint-empty", {"op": "empty_dir"}, ["checkpoint"], "an empty checkpoint"),
            ("checkpoint-is-file", {"op": "dir_to_file"}, ["checkpoint"],
             "checkpoint is a regular file"),
        ]
        for slug, mutation, expect, note in layout:
            add("restart", slug, case(), command="restart", expect=expect,
                mutation=mutation, note=note)
        pb = "Geometry/Parametric bone/"
        other = [
            ("other-gap-width", [(pb + "Gap width", "2.5")], ["Gap width"],
             "same cell count, other geometry"),
            ("other-circumference", [(pb + "Cells around circumference", "12")],
             ["Cells around circumference"], "another coarse mesh"),
            ("other-global-refinement", [("Geometry/Global refinements", "1")],
             ["Global refinements"], "one global refinement more"),
            ("other-rule", [("Healing/Rule", "carter")], ["Rule"], "another rule"),
            ("other-evolving-regions", [("Healing/Evolving regions", "gap")],
             ["Evolving regions"], "another region set"),
            ("other-degree", [("Finite element/Polynomial degree", "2")],
             ["Polynomial degree"], "FE_Q(2) instead of FE_Q(1)"),
            ("other-initial-tissue",
             [("Regions/Initial tissue", "cortical: cortical_bone, marrow: marrow, "
               "gap: fibrous, periosteal_callus: granulation, endosteal_callus: granulation, "
               "soft_tissue: soft_tissue, implant: implant")], ["Initial tissue"],
             "another initial tissue"),
            ("other-differentiation-rate", [("Healing/Differentiation rate", "0.2")],
             ["Differentiation rate"], "another differentiation rate"),
            ("other-source", [("Geometry/Source", "gmsh"),
                              ("Geometry/Gmsh mesh/Mesh file", "../common/box.msh")],
             [], "the Gmsh box instead of the parametric bone"),
            ("fewer-days", [("Healing/Number of days", "2")], ["Number of days"],
             "2 days, the checkpoint is at day 3"),
            ("zero-days", [("Healing/Number of days", "0")], ["Number of days"],
             "--restart of a single solve"),
            ("other-case-name", [], ["fuzz_other"], "another case name"),
        ]
        for slug, settings, expect, note in other:
            text = case(settings)
            if slug == "other-case-name":
                text += "set Case name = fuzz_other\n"
            # either changed parameter names the change
            expect_any = ["Geometry/Source", "Mesh file"] if slug == "other-source" else []
            add("restart", slug, text, command="restart", expect=expect,
                expect_any=expect_any, mutation={"op": "none"}, note=note)

    def io_faults(self):
        """Output that cannot be written: exit 3, one line naming the file,
        what was written complete, summary.txt saying where it stopped."""
        add = self.add
        places = [
            ("output-below-proc", "/proc/ossify_fuzz/out", "/proc/ossify_fuzz", None),
            ("output-below-sys", "/sys/ossify_fuzz/out", "/sys/ossify_fuzz", None),
            ("output-below-dev-null", "/dev/null/out", "/dev/null", None),
            ("output-parent-is-file", "a_file/out", "a_file", {"a_file": "not a directory\n"}),
            ("output-grandparent-is-file", "a_file/x/y", "a_file",
             {"a_file": "not a directory\n"}),
            ("output-is-file", "a_file", "a_file", {"a_file": "not a directory\n"}),
            ("output-name-too-long", "n" * 300, "n" * 40, None),
        ]
        for slug, path, expect, files in places:
            add("io", slug, prm_text([("Output directory", path)], include="../common/heal.prm"),
                files=files, command="run", exit=3, expect=[expect], output="none",
                note=f"Output directory = {path}")
        # A file-size limit applies to every file a process writes, MPI's
        # own shared-memory files too: these runs use PMIx's hash store and
        # the TCP BTL (record "env"), and a limit of 50 KiB, above what MPI
        # and the small files (parameters.prm, run.log) need. The fields
        # come from a 2148-cell mesh (about 150 kB per step).
        heal = "../common/heal.prm"
        env = {"PMIX_MCA_gds": "hash", "OMPI_MCA_btl": "self,tcp"}
        pb = "Geometry/Parametric bone/"
        larger = [(pb + "Cells around circumference", "24"), (pb + "Axial cell size", "8")]
        limits = [
            ("ulimit-fields-day-0",
             larger + [("Healing/Number of days", "2"), ("Output/Write fields", "true")],
             [".vtu"], ["healing_csv_complete", "summary_stopped"],
             "the fields of day 0 (150 kB) beyond the limit"),
            ("ulimit-fields-two-files",
             larger + [("Healing/Number of days", "2"), ("Output/Write fields", "true"),
                       ("Output/Files per step", "2")],
             [".vtu"], ["healing_csv_complete", "summary_stopped"],
             "two .vtu files per step (75 kB each) beyond the limit"),
            ("ulimit-fields-single-solve",
             larger + [("Healing/Number of days", "0"), ("Output/Write fields", "true")],
             [".vtu"], [], "the fields of a single solve beyond the limit"),
            ("ulimit-checkpoint",
             [("Healing/Number of days", "3"), ("Healing/Checkpoint interval", "1")],
             ["cells_"], ["healing_csv_complete", "summary_stopped"],
             "checkpoint cells (670 kB) beyond the limit"),
            ("ulimit-healing-csv",
             [("Healing/Number of days", "400")],
             ["healing.csv"], ["healing_csv_complete", "summary_stopped"],
             "healing.csv (240 bytes a day) beyond the limit after some 210 days"),
            ("ulimit-parameters",
             [("Healing/Number of days", "2"),
              ("Tissue materials/implant/Source", "a long source text " * 3500)],
             ["parameters.prm"], [], "parameters.prm (70 kB: a long Source text) beyond "
                                     "the limit"),
        ]
        for slug, settings, expect, checks, note in limits:
            add("io", slug, prm_text(settings, include=heal), command="run", exit=3,
                expect=expect, output="partial", checks=checks, ulimit_f=50, env=env,
                note=note + " (ulimit -f 50)")
        if self.catalyst:
            add("io", "ulimit-catalyst-extracts",
                prm_text(larger + [("Output/Catalyst/Enable", "true"),
                                   ("Output/Catalyst/Scripts", "extracts.py")], include=heal),
                files={"extracts.py": "# script-version: 2\nfrom paraview import catalyst\n"
                                      "from paraview.simple import *\n"
                                      "grid = TrivialProducer(registrationName='grid')\n"
                                      "vtu = CreateExtractor('VTU', grid, registrationName='v')\n"
                                      "vtu.Writer.FileName = 'callus_{timestep:04d}.pvtu'\n"
                                      "options = catalyst.Options()\n"
                                      "options.GlobalTrigger = 'TimeStep'\n"
                                      "options.ExtractsOutputDirectory = 'extracts'\n"},
                # VTK's writer error names no file: the message names the script
                command="run", exit=3, expect=["extracts.py"], output="partial",
                checks=["healing_csv_complete", "summary_stopped"], ulimit_f=50, env=env,
                note="Catalyst data extracts of 150 kB beyond the limit (ulimit -f 50)")

    def solver(self):
        """Solves that cannot converge: exit 3 naming the solve."""
        add = self.add
        ls = "Linear solver/"
        combos = [("cg", "gamg", 1), ("cg", "gamg", 3), ("gmres", "gamg", 2),
                  ("cg", "jacobi", 3), ("gmres", "jacobi", 5), ("cg", "boomeramg", 2),
                  ("gmres", "boomeramg", 1)]
        for method, pc, its in combos:
            settings = [(ls + "Method", method), (ls + "Preconditioner", pc),
                        (ls + "Maximum iterations", str(its)),
                        (ls + "Relative tolerance", "1e-14"), (ls + "Absolute tolerance", "0")]
            add("solver", f"iterations-{method}-{pc}-{its}", prm_text(settings), command="run",
                exit=3, expect=["solver"], output="partial",
                note=f"{method} with {pc}, at most {its} iterations to 1e-14")
        tight = [(ls + "Maximum iterations", "1"), (ls + "Relative tolerance", "1e-14"),
                 (ls + "Absolute tolerance", "0")]
        add("solver", "healing-day-0", prm_text(tight, include="../common/heal.prm"),
            command="run", exit=3, expect=["solver"], checks=["healing_csv_complete"],
            note="a healing run whose first solve fails")
        add("solver", "healing-gmres-three-days",
            prm_text(tight + [(ls + "Method", "gmres"), ("Healing/Number of days", "3")],
                     include="../common/heal.prm"),
            command="run", exit=3, expect=["solver"], checks=["healing_csv_complete"],
            note="gmres, one iteration, in a 3-day healing run")
        tm = "Tissue materials/"
        add("solver", "modulus-contrast",
            prm_text([(tm + "cortical_bone/Young's modulus", "1e7"),
                      (tm + "granulation/Young's modulus", "1e-6"),
                      (ls + "Maximum iterations", "5"), (ls + "Relative tolerance", "1e-14"),
                      (ls + "Absolute tolerance", "0")]),
            command="run", exit=3, expect=["solver"],
            note="moduli 13 orders apart, 5 iterations")
        add("solver", "nearly-incompressible",
            prm_text([(tm + t + "/Poisson's ratio", "0.499")
                      for t in ("cortical_bone", "marrow", "granulation")] +
                     [(ls + "Preconditioner", "jacobi"), (ls + "Maximum iterations", "10"),
                      (ls + "Relative tolerance", "1e-14"), (ls + "Absolute tolerance", "0")]),
            command="run", exit=3, expect=["solver"],
            note="Poisson's ratio 0.499, Jacobi, 10 iterations")
        add("solver", "prescribed-displacement",
            prm_text([("Boundary conditions/Total force", ""),
                      ("Boundary conditions/Prescribed displacement", "proximal: 0 0 -0.5"),
                      (ls + "Maximum iterations", "2"), (ls + "Relative tolerance", "1e-14"),
                      (ls + "Absolute tolerance", "0")]),
            command="run", exit=3, expect=["solver"],
            note="displacement-driven, 2 iterations")
        add("solver", "with-fields",
            prm_text(tight + [("Output/Write fields", "true")]), command="run", exit=3,
            expect=["solver"], note="fields asked for, the solve fails first")

    # -- all --------------------------------------------------------------

    def generate(self):
        """Writes every category and inputs.json; returns the records."""
        os.makedirs(self.outdir, exist_ok=True)
        self.write_common()
        self.syntax()
        self.values()
        self.files()
        self.meshes()
        self.schedules()
        self.catalyst_inputs()
        self.restart()
        self.io_faults()
        self.solver()
        with open(os.path.join(self.outdir, "inputs.json"), "w") as f:
            json.dump(self.records, f, indent=1)
        return self.records


def catalyst_supported(ossify, outdir):
    """Whether the binary was built with Catalyst: it validates a case with
    a Catalyst pipeline (a build without refuses it)."""
    probe = os.path.join(outdir, "common", "catalyst_case.prm")
    result = subprocess.run([ossify, "--validate", "--quiet", probe], capture_output=True,
                            text=True, timeout=120, cwd=os.path.dirname(probe))
    return result.returncode == 0


def generate(outdir, seed=15, ossify=None, parameters_json=None, catalyst="auto"):
    """Writes all inputs into outdir (emptied first); returns the records."""
    shutil.rmtree(outdir, ignore_errors=True)
    parameters = load_parameters(ossify, parameters_json)
    if catalyst == "auto":
        if not ossify:
            raise SystemExit("--catalyst auto needs --ossify")
        os.makedirs(outdir)
        Generator(outdir, seed, parameters, False).write_common()
        with_catalyst = catalyst_supported(ossify, outdir)
        shutil.rmtree(outdir)
    else:
        with_catalyst = catalyst == "yes"
    return Generator(outdir, seed, parameters, with_catalyst).generate()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outdir", required=True, help="directory to write the inputs to")
    parser.add_argument("--seed", type=int, default=15)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--ossify", help="the binary; its --output-json gives the parameters")
    source.add_argument("--parameters-json", help="saved output of `ossify --output-json`")
    parser.add_argument("--catalyst", choices=("auto", "yes", "no"), default="auto",
                        help="include the Catalyst inputs (auto: if the binary has Catalyst)")
    args = parser.parse_args()
    records = generate(args.outdir, args.seed, args.ossify, args.parameters_json,
                       args.catalyst)
    counts = {}
    for r in records:
        counts[r["category"]] = counts.get(r["category"], 0) + 1
    print(f"{len(records)} inputs in {args.outdir}: " +
          ", ".join(f"{c} {counts.get(c, 0)}" for c in CATEGORIES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
