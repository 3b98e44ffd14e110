#!/usr/bin/env python3
"""Parametric Gmsh template of a fractured long-bone segment with an
explicitly meshed fixation: cast (with its soft-tissue sleeve), plate with
screws, intramedullary nail with locking bolts, or external fixator with
pins and a bar. All-hexahedral, written with the Gmsh API (python3-gmsh)
as MSH 4.1 for Ossify's mesh import.

    fixation_construct.py --device plate --plate-length 120 ... -o out.msh

Ossify runs it when 'Fixation/Representation = explicit' (the device's
parameters become the options below) and reuses the mesh while they stay
the same. Units mm; bone axis z, gap centred at z = 0.

Construction: the cross-section is the O-grid of Ossify's parametric bone
(a square core, a transition ring, then circular rings whose radii include
every radial boundary of bone, callus and device); it is extruded through
axial slices that include every axial boundary (gap, callus, plate ends,
screw, bolt and pin slabs). Each hexahedron is classified by its centre
(radius, angle, z) into a region, or removed (void around an external
fixator). Implant cells are squared off to whole cells: a screw, bolt or
pin is as long as its diameter; around the bone a bolt or pin is one
angular cell wide, and a plate screw is the cells whose centres lie within
half a cell of the plate's mid-plane x = 0 (two when cells around / 4 is
even, one when odd), so that a plate construct is exactly symmetric about
that plane.

--half keeps only x >= 0 (a plate or cast, symmetric about x = 0; needs
cells around a multiple of 8 so that the plane runs along cell faces) and
tags the cut faces 'symmetry'.

Tags: the ids are the binary's, where regions and boundaries are defined
(solver/geometry/regions.cc): --labels gives them as the JSON of
`ossify --print-labels` (Ossify passes it), else the script runs
`--ossify BIN --print-labels`. Physical volumes: cortical, marrow, gap,
periosteal_callus, endosteal_callus, soft_tissue, implant; physical
surfaces: distal (z = -L/2), proximal (z = +L/2), outer (all other
boundary faces), symmetry (x = 0, with --half); each named as in the labels.

Each device is one class below (DEVICES maps --device to it): the rings,
axial breaks, implant cells and checks it adds to the shared bone.
"""
import argparse
import math
import os
import sys

# the labels are read with the Python tools' shared package
REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPOSITORY, "postprocessing"))
from ossifypy import labels as ossify_labels  # noqa: E402

# the names the template tags with; their ids come from the labels
REGIONS = ("cortical", "marrow", "gap", "periosteal_callus",
           "endosteal_callus", "soft_tissue", "implant")
BOUNDARIES = ("distal", "proximal", "outer", "symmetry")
TOP = math.pi / 2          # plate, screws and fixator on the +y side


def fail(message):
    print("fixation_construct.py: " + message, file=sys.stderr)
    sys.exit(2)


def positions(text):
    if not text.strip():
        return []
    try:
        return [float(v) for v in text.replace(",", " ").split()]
    except ValueError:
        fail("cannot read the positions '%s' (numbers in mm)" % text)


def parse(argv):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    bone = p.add_argument_group("bone (as Geometry/Parametric bone)")
    bone.add_argument("--length", type=float, default=80)
    bone.add_argument("--outer-radius", type=float, default=13)
    bone.add_argument("--inner-radius", type=float, default=7.5)
    bone.add_argument("--gap", type=float, default=3)
    bone.add_argument("--callus-thickness", type=float, default=4)
    bone.add_argument("--callus-length", type=float, default=30)
    bone.add_argument("--callus-taper", type=float, default=1)
    bone.add_argument("--endosteal-length", type=float, default=20)
    bone.add_argument("--soft-tissue", type=float, default=0,
                      help="soft-tissue sleeve thickness outside the callus")
    bone.add_argument("--cells-around", type=int, default=24)
    bone.add_argument("--radial-cortex", type=int, default=2)
    bone.add_argument("--radial-callus", type=int, default=2)
    bone.add_argument("--cells-across-gap", type=int, default=2)
    bone.add_argument("--axial-cell", type=float, default=2)
    device = p.add_argument_group("device")
    device.add_argument("--device", required=True, choices=list(DEVICES))
    device.add_argument("--cast-thickness", type=float, default=5)
    device.add_argument("--plate-length", type=float, default=100)
    device.add_argument("--plate-width", type=float, default=14)
    device.add_argument("--plate-thickness", type=float, default=4)
    device.add_argument("--screws", default="",
                        help="axial screw positions [mm], e.g. '-40 -25 25 40'")
    device.add_argument("--screw-diameter", type=float, default=4.5)
    device.add_argument("--nail-radius", type=float, default=5)
    device.add_argument("--bolts", default="", help="locking bolt positions")
    device.add_argument("--bolt-diameter", type=float, default=5)
    device.add_argument("--pins", default="", help="fixator pin positions")
    device.add_argument("--pin-diameter", type=float, default=5)
    device.add_argument("--bar-offset", type=float, default=45,
                        help="distance of the bar's centre from the bone axis")
    device.add_argument("--bar-size", type=float, default=10)
    p.add_argument("--half", action="store_true",
                   help="mesh only x >= 0, the half on one side of the "
                        "plate's symmetry plane (plate and cast)")
    p.add_argument("--labels", metavar="JSON",
                   help="region and boundary ids: the output of "
                        "`ossify --print-labels` (default: run --ossify)")
    p.add_argument("--ossify", metavar="BIN",
                   default=ossify_labels.default_ossify(),
                   help="the binary that prints the labels when --labels "
                        "is not given (default: %(default)s)")
    p.add_argument("-o", "--output", required=True)
    a = p.parse_args(argv)
    a.screws = positions(a.screws)
    a.bolts = positions(a.bolts)
    a.pins = positions(a.pins)
    return a


def check(a, device):
    half = a.length / 2
    if not (0 < a.inner_radius < a.outer_radius):
        fail("need 0 < inner radius < outer radius")
    if not (0 <= a.gap < a.length):
        fail("need 0 <= gap < length")
    if a.cells_around < 8 or a.cells_around % 4:
        fail("cells around must be a multiple of 4, at least 8")
    if a.half:
        if not device.mirror_symmetric:
            fail("a %s is not symmetric about the plane x = 0 of the "
                 "template: only %s has a half model"
                 % (a.device, " or ".join(
                     "a " + name for name, kind in DEVICES.items()
                     if kind.mirror_symmetric)))
        if a.cells_around % 8:
            fail("a half model needs cells around a multiple of 8, so that "
                 "the symmetry plane runs along cell faces (got %d)"
                 % a.cells_around)
    device.check()
    # every position given, whichever device it is for
    for z in a.screws + a.bolts + a.pins:
        if abs(z) > half:
            fail("position z = %g mm lies outside the segment" % z)
    device.check_grip()


def read_labels(a):
    """The binary's region and boundary ids, checked for the names the
    template tags with (ids must be distinct: each is one physical group)."""
    try:
        if a.labels is not None:
            labels = ossify_labels.parse(a.labels)
        else:
            labels = ossify_labels.from_binary(a.ossify)
    except ValueError as e:
        fail("--labels: %s" % e if a.labels is not None else
             "the labels of '%s --print-labels': %s" % (a.ossify, e))
    except (OSError, RuntimeError) as e:
        # the first line: the binary may add its whole usage text
        fail("cannot read the labels (give --labels): %s"
             % str(e).strip().splitlines()[0])
    for kind, names, table in [("region", REGIONS, labels.regions),
                               ("boundary", BOUNDARIES, labels.boundaries)]:
        missing = [n for n in names if n not in table]
        if missing:
            fail("the labels have no %s %s" % (kind, ", ".join(missing)))
        ids = [table[n] for n in names]
        if min(ids) < 1 or len(set(ids)) < len(ids):
            fail("the labels' %s ids of %s must be distinct and positive "
                 "(got %s)" % (kind, ", ".join(names),
                               ", ".join(map(str, ids))))
    return labels


# --- the devices ---------------------------------------------------------------

def angular_distance(t0, t1):
    d = (t0 - t1) % (2 * math.pi)
    return min(d, 2 * math.pi - d)


class Rings(list):
    """Circle radii of the O-grid outside its core, innermost first."""

    def band(self, outer, n):
        """n equal steps from the last radius out to `outer`."""
        inner = self[-1]
        self.extend(inner + (outer - inner) * i / n for i in range(1, n + 1))


class Device:
    """What one fixation device adds to the shared bone (class Bone). A
    subclass overrides what its device needs; the defaults add nothing.
    Its fastener (screws, bolts, pins), if any, is `positions` along the
    axis, `diameter` long, named `fastener` in messages."""
    mirror_symmetric = False   # may be meshed as a half (--half)
    always_meshed = False      # its implant cannot fall between the cells
    fastener, positions, diameter = None, (), 0

    def __init__(self, a):
        self.a = a
        self.cell_angle = 2 * math.pi / a.cells_around

    def check(self):
        """fail() on parameters that cannot make this device."""

    def check_grip(self):
        # a device holds the fracture only if it grips both fragments
        zs = self.positions
        if zs and not (min(zs) < -self.a.gap / 2 and max(zs) > self.a.gap / 2):
            fail("the %ss (z = %s mm) must grip both fragments: give at least "
                 "one position below and one above the gap"
                 % (self.fastener, ", ".join("%g" % z for z in zs)))

    def core_radius(self):
        """Radius of the first ring: the O-grid's core fills the inside."""
        return self.a.inner_radius

    def canal_rings(self, rings):
        """Rings between core_radius() and the endosteum."""

    def periosteal_thickness(self):
        """Thickness of a device lying on the periosteum (0: none)."""
        return 0

    def outer_rings(self, rings, outer):
        """Rings outside bone, callus and sleeve (which end at `outer`)."""

    def axial_breaks(self):
        """Axial positions that must be slice boundaries: a fastener's
        cells are as long as its diameter, so its slab is whole slices."""
        d = self.diameter
        return {b for z in self.positions for b in (z - d / 2, z + d / 2)}

    def is_implant(self, r, theta, z, bone):
        """Whether the cell centred at (r, theta, z) is the device's."""
        return False

    # helpers for the cells of fasteners
    def in_slab(self, z):
        return any(abs(z - c) < self.diameter / 2 for c in self.positions)

    def column(self, theta, centre):
        # the one cell whose angular range holds the centre (a centre on a
        # cell boundary belongs to the cell counter-clockwise of it)
        return angular_distance(theta, centre + 1e-6) < 0.5 * self.cell_angle

    def mid_plane_column(self, theta, centre):
        # the cells within half a cell of the centre: one cell centred on
        # it, or the two either side of a cell boundary through it, so
        # that a screw on the plate's mid-plane is symmetric about it
        return angular_distance(theta, centre) < \
            0.5 * self.cell_angle + 1e-6


class Cast(Device):
    """A cast or brace: a shell around the soft-tissue sleeve, the whole
    segment long."""
    mirror_symmetric = True
    always_meshed = True

    def check(self):
        if self.a.cast_thickness <= 0:
            fail("the cast needs a positive thickness")

    def outer_rings(self, rings, outer):
        rings.band(outer + self.a.cast_thickness, 2)

    def is_implant(self, r, theta, z, bone):
        return bone.sleeve_outer <= r < \
            bone.sleeve_outer + self.a.cast_thickness


class Plate(Device):
    """A plate on the periosteum at the top, fixed by monocortical screws
    (through the near cortex) on its mid-plane."""
    mirror_symmetric = True
    fastener = "screw"

    def __init__(self, a):
        super().__init__(a)
        self.positions, self.diameter = a.screws, a.screw_diameter
        # half the plate's angle around the bone, at least half a cell, so
        # that a narrow plate is still the cells either side of x = 0
        self.half_angle = max(a.plate_width / (2 * a.outer_radius),
                              0.5 * self.cell_angle)

    def check(self):
        a = self.a
        if not (0 < a.plate_length <= a.length):
            fail("the plate length must lie in (0, segment length]")
        if a.plate_thickness <= 0 or a.plate_width <= 0:
            fail("the plate needs a positive width and thickness")
        if a.callus_taper < 1:
            fail("a plate lies on the periosteum; the callus taper must be 1")
        for z in a.screws:
            if abs(z) + a.screw_diameter / 2 > a.plate_length / 2:
                fail("screw at z = %g mm lies beyond the plate" % z)
            if abs(z) - a.screw_diameter / 2 < a.gap / 2:
                fail("screw at z = %g mm reaches into the gap" % z)

    def periosteal_thickness(self):
        return self.a.plate_thickness

    def axial_breaks(self):
        return super().axial_breaks() | {-self.a.plate_length / 2,
                                         self.a.plate_length / 2}

    def is_implant(self, r, theta, z, bone):
        a = self.a
        if a.inner_radius <= r < a.outer_radius:
            return self.in_slab(z) and self.mid_plane_column(theta, TOP)
        # (a tolerance, as for screws: a narrow plate is the cells either
        # side of its mid-plane, never one side by round-off)
        return a.outer_radius <= r < a.outer_radius + a.plate_thickness \
            and abs(z) < a.plate_length / 2 \
            and angular_distance(theta, TOP) < self.half_angle + 1e-6


class Nail(Device):
    """An intramedullary nail along the whole canal, locked by bolts
    through canal and both cortices (along x)."""
    fastener = "bolt"

    def __init__(self, a):
        super().__init__(a)
        self.positions, self.diameter = a.bolts, a.bolt_diameter

    def check(self):
        a = self.a
        if not (0 < a.nail_radius < a.inner_radius):
            fail("need 0 < nail radius < inner radius")
        for z in a.bolts:
            if abs(z) + a.bolt_diameter / 2 > a.length / 2 or \
                    abs(z) - a.bolt_diameter / 2 < a.gap / 2:
                fail("bolt at z = %g mm must lie in one fragment" % z)

    def core_radius(self):
        # the nail's surface is the first ring: the core is the nail
        return self.a.nail_radius

    def canal_rings(self, rings):
        rings.band(self.a.inner_radius, 2)

    def is_implant(self, r, theta, z, bone):
        if r < self.a.nail_radius:
            return True
        return r < self.a.outer_radius and self.in_slab(z) and \
            (self.column(theta, 0) or self.column(theta, math.pi))


class Fixator(Device):
    """A unilateral external fixator: pins from the canal out to a bar at
    the top, --bar-offset off the axis; the space between is void."""
    fastener = "pin"

    def __init__(self, a):
        super().__init__(a)
        self.positions, self.diameter = a.pins, a.pin_diameter
        self.bar_in = a.bar_offset - a.bar_size / 2
        self.bar_out = a.bar_offset + a.bar_size / 2

    def check(self):
        a = self.a
        if len(a.pins) < 2:
            fail("an external fixator needs at least two pins")
        outer = a.outer_radius + a.callus_thickness + a.soft_tissue
        if self.bar_in <= outer + 1e-9:
            fail("the bar (offset %g mm) must clear the bone, callus and soft "
                 "tissue (%g mm)" % (a.bar_offset, outer))
        # outside the callus, a pin is never callus (nor in the gap)
        for z in a.pins:
            if abs(z) + a.pin_diameter / 2 > a.length / 2 or \
                    abs(z) - a.pin_diameter / 2 < a.callus_length / 2:
                fail("pin at z = %g mm must lie in a fragment outside the "
                     "callus" % z)

    def outer_rings(self, rings, outer):
        # the void out to the bar in cells about twice the axial size
        rings.band(self.bar_in, max(1, math.ceil(
            (self.bar_in - outer) / (2 * self.a.axial_cell))))
        rings.band(self.bar_out, 2)

    # the bar spans the outermost pins' slabs, whose ends are breaks already

    def is_implant(self, r, theta, z, bone):
        if not self.column(theta, TOP):
            return False
        if self.in_slab(z) and self.a.inner_radius <= r < self.bar_in:
            return True
        d = self.diameter
        return self.bar_in <= r < self.bar_out and \
            min(self.positions) - d / 2 < z < max(self.positions) + d / 2


DEVICES = {"cast": Cast, "plate": Plate, "nail": Nail, "fixator": Fixator}


# --- the shared bone -----------------------------------------------------------

class Bone:
    """Cortex, canal, gap, periosteal and endosteal callus and the
    soft-tissue sleeve: the same whatever the device."""

    def __init__(self, a, device):
        self.a = a
        self.device = device
        # the sleeve covers the callus or a device on the periosteum
        self.sleeve_outer = a.outer_radius + max(
            a.callus_thickness, device.periosteal_thickness()) + a.soft_tissue

    def radii(self):
        """Circle radii outside the core, with the bands they subdivide."""
        a, device = self.a, self.device
        rings = Rings([device.core_radius()])
        device.canal_rings(rings)
        rings.band(a.outer_radius, a.radial_cortex)
        outer = a.outer_radius
        for e in sorted({a.outer_radius + a.callus_thickness,
                         a.outer_radius + device.periosteal_thickness()}):
            if e > outer + 1e-9:
                rings.band(e, a.radial_callus)
                outer = e
        if a.soft_tissue > 0:
            rings.band(outer + a.soft_tissue, 2)
            outer += a.soft_tissue
        device.outer_rings(rings, outer)
        return rings

    def slices(self):
        a = self.a
        half = a.length / 2
        breaks = {-half, half}
        for length in (a.gap, a.callus_length if a.callus_thickness > 0 else 0,
                       a.endosteal_length):
            if 0 < length < a.length:
                breaks |= {-length / 2, length / 2}
        breaks |= self.device.axial_breaks()
        breaks = {min(max(b, -half), half) for b in breaks}

        def in_gap(b0, b1):
            return a.cells_across_gap if abs(b0 + b1) / 2 < a.gap / 2 else None

        return subdivide(breaks, a.axial_cell, in_gap)

    def region(self, r, theta, z):
        """The region name of the cell centred at (r, theta, z), None for
        void; the device's cells first, whichever tissue they replace."""
        if self.device.is_implant(r, theta, z, self):
            return "implant"
        a = self.a
        az = abs(z)
        if r < a.inner_radius:
            return "endosteal_callus" if az < a.endosteal_length / 2 \
                else "marrow"
        if r < a.outer_radius:
            return "gap" if az < a.gap / 2 else "cortical"
        if r < a.outer_radius + a.callus_thickness and \
                az < a.callus_length / 2:
            return "periosteal_callus"
        if r < self.sleeve_outer and a.soft_tissue > 0:
            return "soft_tissue"
        return None

    def taper(self, x, y, z):
        """Ossify's spindle callus: radial positions beyond the cortex
        shrink with the callus thickness from the gap to the callus ends."""
        a = self.a
        t = a.callus_thickness
        if t <= 0 or a.callus_taper >= 1:
            return x, y
        r = math.hypot(x, y)
        if r <= a.outer_radius * (1 + 1e-12):
            return x, y
        span = max(a.callus_length / 2 - a.gap / 2, 1e-12)
        along = min(max((abs(z) - a.gap / 2) / span, 0), 1)
        s = 1 - (1 - a.callus_taper) * along
        if r <= a.outer_radius + t * (1 + 1e-12):
            new_r = a.outer_radius + (r - a.outer_radius) * s
        else:
            new_r = r - (1 - s) * t
        return x * new_r / r, y * new_r / r


# --- the structured grid ---------------------------------------------------

def subdivide(breaks, size, fixed=None):
    """Points from sorted breaks, each interval cut into ceil(len/size)
    pieces (or fixed(a, b) pieces when that returns a number)."""
    breaks = sorted(set(round(b, 9) for b in breaks))
    out = [breaks[0]]
    for b0, b1 in zip(breaks[:-1], breaks[1:]):
        n = fixed(b0, b1) if fixed else None
        if n is None:
            n = max(1, math.ceil((b1 - b0) / size - 1e-9))
        out += [b0 + (b1 - b0) * j / n for j in range(1, n + 1)]
    return out


def cross_section(a, r):
    """Vertices (x, y) and quads (4 vertex indices, counter-clockwise) of
    the O-grid: square core, transition ring to r[0], rings between r."""
    n = a.cells_around // 4
    core = 0.5 * r[0]
    half_side = core / math.sqrt(2)
    vertices, quads = [], []
    for j in range(n + 1):
        for i in range(n + 1):
            vertices.append((-half_side + 2 * half_side * i / n,
                             -half_side + 2 * half_side * j / n))
    for j in range(n):
        for i in range(n):
            v = i + j * (n + 1)
            quads.append((v, v + 1, v + n + 2, v + n + 1))
    ring0 = []
    for k in range(4 * n):
        if k < n:
            i, j = k, 0
        elif k < 2 * n:
            i, j = n, k - n
        elif k < 3 * n:
            i, j = n - (k - 2 * n), n
        else:
            i, j = 0, n - (k - 3 * n)
        ring0.append(i + j * (n + 1))

    def angle(k):
        return -0.75 * math.pi + 2 * math.pi * k / (4 * n)

    rings = [ring0]
    n_transition = max(1, n // 2)
    for layer in range(1, n_transition + 1):
        s = layer / n_transition
        ring = []
        for k in range(4 * n):
            sx, sy = vertices[ring0[k]]
            cx, cy = r[0] * math.cos(angle(k)), r[0] * math.sin(angle(k))
            ring.append(len(vertices))
            vertices.append(((1 - s) * sx + s * cx, (1 - s) * sy + s * cy))
        rings.append(ring)
    for radius in r[1:]:
        ring = []
        for k in range(4 * n):
            ring.append(len(vertices))
            vertices.append((radius * math.cos(angle(k)),
                             radius * math.sin(angle(k))))
        rings.append(ring)
    for l in range(len(rings) - 1):
        for k in range(4 * n):
            k1 = (k + 1) % (4 * n)
            quads.append((rings[l][k], rings[l + 1][k], rings[l + 1][k1],
                          rings[l][k1]))
    return vertices, quads


# --- mesh ----------------------------------------------------------------

def build(a, bone):
    """Node coordinates, hexahedra by region name and boundary faces by
    boundary name."""
    z = bone.slices()
    vertices, quads = cross_section(a, bone.radii())
    nv = len(vertices)

    def node(v, layer):
        return layer * nv + v + 1          # gmsh tags start at 1

    hexes = {}                             # region -> list of 8-tuples
    for layer in range(len(z) - 1):
        zc = 0.5 * (z[layer] + z[layer + 1])
        for q in quads:
            xc = sum(vertices[v][0] for v in q) / 4
            yc = sum(vertices[v][1] for v in q) / 4
            if a.half and xc < 0:
                continue
            reg = bone.region(math.hypot(xc, yc), math.atan2(yc, xc), zc)
            if reg is None:
                continue
            # counter-clockwise quad at the bottom, the same on top
            hexes.setdefault(reg, []).append(
                tuple(node(v, layer) for v in q) +
                tuple(node(v, layer + 1) for v in q))
    # boundary faces: faces of one hexahedron only
    face_count = {}
    faces_of = [(0, 3, 2, 1), (4, 5, 6, 7), (0, 1, 5, 4), (1, 2, 6, 5),
                (2, 3, 7, 6), (3, 0, 4, 7)]      # outward for positive hexes
    for cells in hexes.values():
        for h in cells:
            for f in faces_of:
                face = tuple(h[i] for i in f)
                key = tuple(sorted(face))
                face_count[key] = (face_count.get(key, (0, face))[0] + 1, face)
    used = sorted({v for cells in hexes.values() for h in cells for v in h})
    coordinates = {}
    for tag in used:
        layer, v = divmod(tag - 1, nv)
        x, y = vertices[v]
        x, y = bone.taper(x, y, z[layer])
        coordinates[tag] = (x, y, z[layer])
    boundary = {name: [] for name in BOUNDARIES}
    half = a.length / 2
    for count, face in face_count.values():
        if count != 1:
            continue
        zs = [coordinates[t][2] for t in face]
        if max(zs) < -half + 1e-9:
            boundary["distal"].append(face)
        elif min(zs) > half - 1e-9:
            boundary["proximal"].append(face)
        elif a.half and max(abs(coordinates[t][0]) for t in face) < 1e-9:
            boundary["symmetry"].append(face)
        else:
            boundary["outer"].append(face)
    return coordinates, hexes, boundary


def write(a, labels, coordinates, hexes, boundary):
    """The mesh as MSH 4.1, each region and boundary an entity and a
    physical group whose tag is the label's id (in the order of the ids)."""
    import gmsh
    gmsh.initialize(["fixation_construct.py"])
    gmsh.option.setNumber("General.Terminal", 0)
    gmsh.model.add("fixation_construct")
    volumes = {labels.region(name): cells for name, cells in hexes.items()}
    surfaces = {labels.boundary(name): faces
                for name, faces in boundary.items() if faces}
    tags = sorted(volumes)
    for t in tags:
        gmsh.model.addDiscreteEntity(3, t)
    node_tags = sorted(coordinates)
    flat = [c for t in node_tags for c in coordinates[t]]
    gmsh.model.mesh.addNodes(3, tags[0], node_tags, flat)
    element = 1
    for t in tags:
        cells = volumes[t]
        gmsh.model.mesh.addElementsByType(
            t, 5, list(range(element, element + len(cells))),
            [v for h in cells for v in h])
        element += len(cells)
        gmsh.model.addPhysicalGroup(3, [t], t)
        gmsh.model.setPhysicalName(3, t, labels.region_names()[t])
    for s in sorted(surfaces):
        faces = surfaces[s]
        gmsh.model.addDiscreteEntity(2, s)
        gmsh.model.mesh.addElementsByType(
            s, 3, list(range(element, element + len(faces))),
            [v for f in faces for v in f])
        element += len(faces)
        gmsh.model.addPhysicalGroup(2, [s], s)
        gmsh.model.setPhysicalName(2, s, labels.boundary_names()[s])
    gmsh.option.setNumber("Mesh.MshFileVersion", 4.1)
    gmsh.option.setNumber("Mesh.Binary", 0)
    gmsh.write(a.output)
    gmsh.finalize()


def main(argv=None):
    a = parse(sys.argv[1:] if argv is None else argv)
    device = DEVICES[a.device](a)
    check(a, device)
    labels = read_labels(a)
    coordinates, hexes, boundary = build(a, Bone(a, device))
    # a thin implant can fall between cell centres and vanish
    if not device.always_meshed and not hexes.get("implant"):
        fail("no cell of the mesh is %s: check its dimensions against the "
             "cells" % a.device)
    write(a, labels, coordinates, hexes, boundary)
    counts = ", ".join("%s %d" % (name, len(hexes[name]))
                       for name in sorted(hexes, key=labels.region))
    print("fixation_construct.py: %s, %d hexahedra (%s) -> %s"
          % (a.device, sum(len(c) for c in hexes.values()), counts, a.output))


if __name__ == "__main__":
    main()
