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
tags the cut faces 4 'symmetry'.

Tags (Ossify's default maps): physical volumes 1 cortical, 2 marrow,
3 gap, 4 periosteal_callus, 5 endosteal_callus, 6 soft_tissue, 7 implant;
physical surfaces 1 distal (z = -L/2), 2 proximal (z = +L/2), 3 outer (all
other boundary faces), 4 symmetry (x = 0, with --half).
"""
import argparse
import math
import sys

CORTICAL, MARROW, GAP, PERIOSTEAL, ENDOSTEAL, SOFT, IMPLANT = range(1, 8)
REGION_NAMES = {CORTICAL: "cortical", MARROW: "marrow", GAP: "gap",
                PERIOSTEAL: "periosteal_callus", ENDOSTEAL: "endosteal_callus",
                SOFT: "soft_tissue", IMPLANT: "implant"}


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
    device.add_argument("--device", required=True,
                        choices=["cast", "plate", "nail", "fixator"])
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
    p.add_argument("-o", "--output", required=True)
    a = p.parse_args(argv)
    a.screws = positions(a.screws)
    a.bolts = positions(a.bolts)
    a.pins = positions(a.pins)
    check(a)
    return a


def check(a):
    half = a.length / 2
    if not (0 < a.inner_radius < a.outer_radius):
        fail("need 0 < inner radius < outer radius")
    if not (0 <= a.gap < a.length):
        fail("need 0 <= gap < length")
    if a.cells_around < 8 or a.cells_around % 4:
        fail("cells around must be a multiple of 4, at least 8")
    if a.half:
        if a.device not in ("plate", "cast"):
            fail("a %s is not symmetric about the plane x = 0 of the "
                 "template: only a plate or a cast has a half model"
                 % a.device)
        if a.cells_around % 8:
            fail("a half model needs cells around a multiple of 8, so that "
                 "the symmetry plane runs along cell faces (got %d)"
                 % a.cells_around)
    if a.device == "cast" and a.cast_thickness <= 0:
        fail("the cast needs a positive thickness")
    if a.device == "plate":
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
    if a.device == "nail":
        if not (0 < a.nail_radius < a.inner_radius):
            fail("need 0 < nail radius < inner radius")
        for z in a.bolts:
            if abs(z) + a.bolt_diameter / 2 > half or \
                    abs(z) - a.bolt_diameter / 2 < a.gap / 2:
                fail("bolt at z = %g mm must lie in one fragment" % z)
    if a.device == "fixator":
        if len(a.pins) < 2:
            fail("an external fixator needs at least two pins")
        outer = a.outer_radius + a.callus_thickness + a.soft_tissue
        if a.bar_offset - a.bar_size / 2 <= outer + 1e-9:
            fail("the bar (offset %g mm) must clear the bone, callus and soft "
                 "tissue (%g mm)" % (a.bar_offset, outer))
        for z in a.pins:
            if abs(z) + a.pin_diameter / 2 > half or \
                    abs(z) - a.pin_diameter / 2 < a.callus_length / 2:
                fail("pin at z = %g mm must lie in a fragment outside the "
                     "callus" % z)
    for z in a.screws + a.bolts + a.pins:
        if abs(z) > half:
            fail("position z = %g mm lies outside the segment" % z)
    # a device holds the fracture only if it grips both fragments
    for name, zs, device in [("screw", a.screws, "plate"),
                             ("bolt", a.bolts, "nail"),
                             ("pin", a.pins, "fixator")]:
        if a.device == device and zs and \
                not (min(zs) < -a.gap / 2 and max(zs) > a.gap / 2):
            fail("the %ss (z = %s mm) must grip both fragments: give at least "
                 "one position below and one above the gap"
                 % (name, ", ".join("%g" % z for z in zs)))


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


def radii(a):
    """Circle radii outside the core, with the bands they subdivide."""
    first = a.nail_radius if a.device == "nail" else a.inner_radius
    r = [first]

    def band(outer, n):
        inner = r[-1]
        r.extend(inner + (outer - inner) * i / n for i in range(1, n + 1))

    if a.device == "nail":
        band(a.inner_radius, 2)
    band(a.outer_radius, a.radial_cortex)
    outer = a.outer_radius
    extra = sorted({a.outer_radius + a.callus_thickness}
                   | ({a.outer_radius + a.plate_thickness}
                      if a.device == "plate" else set()))
    for e in extra:
        if e > outer + 1e-9:
            band(e, a.radial_callus)
            outer = e
    if a.soft_tissue > 0:
        band(outer + a.soft_tissue, 2)
        outer += a.soft_tissue
    if a.device == "cast":
        band(outer + a.cast_thickness, 2)
    if a.device == "fixator":
        inner_bar = a.bar_offset - a.bar_size / 2
        band(inner_bar, max(1, math.ceil((inner_bar - outer) / (2 * a.axial_cell))))
        band(a.bar_offset + a.bar_size / 2, 2)
    return r


def slices(a):
    half = a.length / 2
    breaks = {-half, half}
    for length in (a.gap, a.callus_length if a.callus_thickness > 0 else 0,
                   a.endosteal_length):
        if 0 < length < a.length:
            breaks |= {-length / 2, length / 2}
    if a.device == "plate":
        breaks |= {-a.plate_length / 2, a.plate_length / 2}
    for zs, d in [(a.screws, a.screw_diameter), (a.bolts, a.bolt_diameter),
                  (a.pins, a.pin_diameter)]:
        for z in zs:
            breaks |= {z - d / 2, z + d / 2}
    if a.device == "fixator":
        breaks |= {min(a.pins) - a.pin_diameter / 2,
                   max(a.pins) + a.pin_diameter / 2}
    breaks = {min(max(b, -half), half) for b in breaks}

    def in_gap(b0, b1):
        return a.cells_across_gap if abs(b0 + b1) / 2 < a.gap / 2 else None

    return subdivide(breaks, a.axial_cell, in_gap)


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


# --- classification ----------------------------------------------------------

def angular_distance(t0, t1):
    d = (t0 - t1) % (2 * math.pi)
    return min(d, 2 * math.pi - d)


def classifier(a):
    cell_angle = 2 * math.pi / a.cells_around
    plate_half = max(a.plate_width / (2 * a.outer_radius), 0.5 * cell_angle)
    top = math.pi / 2          # plate, screws and fixator on the +y side

    def column(theta, centre):
        # the one cell whose angular range holds the centre (a centre on a
        # cell boundary belongs to the cell counter-clockwise of it)
        return angular_distance(theta, centre + 1e-6) < 0.5 * cell_angle

    def mid_plane_column(theta, centre):
        # the cells within half a cell of the centre: one cell centred on
        # it, or the two either side of a cell boundary through it, so
        # that a screw on the plate's mid-plane is symmetric about it
        return angular_distance(theta, centre) < 0.5 * cell_angle + 1e-6

    def in_slab(z, zs, d):
        return any(abs(z - c) < d / 2 for c in zs)

    def region(r, theta, z):
        az = abs(z)
        bolt = a.device == "nail" and in_slab(z, a.bolts, a.bolt_diameter) \
            and (column(theta, 0) or column(theta, math.pi))
        screw = a.device == "plate" and in_slab(z, a.screws, a.screw_diameter) \
            and mid_plane_column(theta, top)
        pin = a.device == "fixator" and in_slab(z, a.pins, a.pin_diameter) \
            and column(theta, top)
        if a.device == "nail" and r < a.nail_radius:
            return IMPLANT
        if r < a.inner_radius:
            if bolt:
                return IMPLANT
            return ENDOSTEAL if az < a.endosteal_length / 2 else MARROW
        if r < a.outer_radius:
            if bolt or screw or pin:
                return IMPLANT
            return GAP if az < a.gap / 2 else CORTICAL
        # outside the cortex: plate, callus, sleeve, cast, fixator
        # (a tolerance, as for screws: a narrow plate is the cells either
        # side of its mid-plane, never one side by round-off)
        if a.device == "plate" and r < a.outer_radius + a.plate_thickness \
                and az < a.plate_length / 2 \
                and angular_distance(theta, top) < plate_half + 1e-6:
            return IMPLANT
        if r < a.outer_radius + a.callus_thickness and \
                az < a.callus_length / 2:
            return PERIOSTEAL
        band_outer = a.outer_radius + max(
            a.callus_thickness,
            a.plate_thickness if a.device == "plate" else 0)
        sleeve_outer = band_outer + a.soft_tissue
        if r < sleeve_outer:
            if pin:
                return IMPLANT
            return SOFT if a.soft_tissue > 0 else None
        if a.device == "cast" and r < sleeve_outer + a.cast_thickness:
            return IMPLANT
        if a.device == "fixator":
            bar_in = a.bar_offset - a.bar_size / 2
            bar_out = a.bar_offset + a.bar_size / 2
            if pin and r < bar_in:
                return IMPLANT
            if bar_in <= r < bar_out and column(theta, top) and \
                    min(a.pins) - a.pin_diameter / 2 < z < \
                    max(a.pins) + a.pin_diameter / 2:
                return IMPLANT
        return None

    return region


def taper(a, x, y, z):
    """Ossify's spindle callus: radial positions beyond the cortex shrink
    with the callus thickness from the gap to the callus ends."""
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


# --- mesh ----------------------------------------------------------------

def build(a):
    r = radii(a)
    z = slices(a)
    vertices, quads = cross_section(a, r)
    region = classifier(a)
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
            reg = region(math.hypot(xc, yc), math.atan2(yc, xc), zc)
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
        x, y = taper(a, x, y, z[layer])
        coordinates[tag] = (x, y, z[layer])
    boundary = {1: [], 2: [], 3: [], 4: []}
    half = a.length / 2
    for count, face in face_count.values():
        if count != 1:
            continue
        zs = [coordinates[t][2] for t in face]
        if max(zs) < -half + 1e-9:
            boundary[1].append(face)
        elif min(zs) > half - 1e-9:
            boundary[2].append(face)
        elif a.half and max(abs(coordinates[t][0]) for t in face) < 1e-9:
            boundary[4].append(face)
        else:
            boundary[3].append(face)
    return coordinates, hexes, boundary


def write(a, coordinates, hexes, boundary):
    import gmsh
    gmsh.initialize(["fixation_construct.py"])
    gmsh.option.setNumber("General.Terminal", 0)
    gmsh.model.add("fixation_construct")
    tags = sorted(hexes)
    for t in tags:
        gmsh.model.addDiscreteEntity(3, t)
    node_tags = sorted(coordinates)
    flat = [c for t in node_tags for c in coordinates[t]]
    gmsh.model.mesh.addNodes(3, tags[0], node_tags, flat)
    element = 1
    for t in tags:
        cells = hexes[t]
        gmsh.model.mesh.addElementsByType(
            t, 5, list(range(element, element + len(cells))),
            [v for h in cells for v in h])
        element += len(cells)
        gmsh.model.addPhysicalGroup(3, [t], t)
        gmsh.model.setPhysicalName(3, t, REGION_NAMES[t])
    for s, name in [(1, "distal"), (2, "proximal"), (3, "outer"),
                    (4, "symmetry")]:
        if not boundary[s]:
            continue
        gmsh.model.addDiscreteEntity(2, s)
        gmsh.model.mesh.addElementsByType(
            s, 3, list(range(element, element + len(boundary[s]))),
            [v for f in boundary[s] for v in f])
        element += len(boundary[s])
        gmsh.model.addPhysicalGroup(2, [s], s)
        gmsh.model.setPhysicalName(2, s, name)
    gmsh.option.setNumber("Mesh.MshFileVersion", 4.1)
    gmsh.option.setNumber("Mesh.Binary", 0)
    gmsh.write(a.output)
    gmsh.finalize()


def main(argv=None):
    a = parse(sys.argv[1:] if argv is None else argv)
    coordinates, hexes, boundary = build(a)
    if a.device != "cast" and not hexes.get(IMPLANT):
        fail("no cell of the mesh is %s: check its dimensions against the "
             "cells" % a.device)
    write(a, coordinates, hexes, boundary)
    counts = ", ".join("%s %d" % (REGION_NAMES[t], len(c))
                       for t, c in sorted(hexes.items()))
    print("fixation_construct.py: %s, %d hexahedra (%s) -> %s"
          % (a.device, sum(len(c) for c in hexes.values()), counts, a.output))


if __name__ == "__main__":
    main()
