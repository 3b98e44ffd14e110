#!/usr/bin/env python3
"""Sanity checker for Ossify Gmsh meshes (ASCII MSH 4.1, also MSH 2.2).

Usage:
    python3 meshes/check_msh.py MESH.msh [--expect name=value ...]

Prints the number of nodes, element-type counts per physical volume and
surface tag, checks that every volume element is a hexahedron (Gmsh type 5)
with positive Jacobian at all 8 corners, and that the tagged surface quads are
exactly the boundary faces of the hex mesh. For the fractured-bone tag layout
(meshes/fractured_bone.geo) the geometry parameters (L, ro, ri, g, tc, Lc, Le,
nc) are inferred from the tagged mesh and the exact volume of each region is
compared with the analytic cylinder volume and with the inscribed-polygon
(nc-gon) volume. '--expect g=2.4' etc. make the check fail when an inferred
parameter differs from the expected one.

The region and boundary names of the tags come from the binary (`ossify
--print-labels`, run on the executable given by --ossify, default
build/solver/ossify of this checkout), or from --labels JSON.

Exit status: 0 all checks passed, 1 a check failed, 2 the file could not be
parsed or the labels could not be had. Standard library only.
"""

import argparse
import math
import os
import sys
from collections import Counter, defaultdict

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "postprocessing"))
from ossifypy import labels as ossify_labels  # noqa: E402

HEX = 5
QUAD = 3
TYPE_NAMES = {1: "line", 2: "tri", 3: "quad", 4: "tet", 5: "hex",
              6: "prism", 7: "pyramid", 15: "point"}
# number of nodes of first-order element types
NUM_NODES = {1: 2, 2: 3, 3: 4, 4: 4, 5: 8, 6: 6, 7: 5, 15: 1}
VOLUME_TYPES = {4, 5, 6, 7, 11, 12, 13, 14, 17, 18, 19, 29, 30, 31, 92, 93}
SURFACE_TYPES = {2, 3, 9, 10, 16, 20, 21, 22, 23, 24, 25}



class ParseError(Exception):
    pass


def sections(path):
    """Return {section name: list of token lines} of an ASCII .msh file."""
    out = {}
    with open(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError as exc:
        raise ParseError("not an ASCII mesh (binary MSH?)") from exc
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if line.startswith("$") and not line.startswith("$End"):
            name = line[1:]
            body = []
            i += 1
            while i < len(lines) and lines[i].strip() != "$End" + name:
                body.append(lines[i])
                i += 1
            out[name] = body
        i += 1
    return out


def parse(path):
    """Return (version, nodes{tag: (x,y,z)}, elements list of
    (dim, type, physical_tags tuple, node tag list))."""
    sec = sections(path)
    if "MeshFormat" not in sec:
        raise ParseError("no $MeshFormat section")
    fmt = sec["MeshFormat"][0].split()
    version, binary = fmt[0], int(fmt[1])
    if binary:
        raise ParseError("binary MSH files are not supported")
    nodes = {}
    elements = []
    if version.startswith("4"):
        # $Entities: entity (dim, tag) -> physical tags
        phys = {}
        tok = " ".join(sec.get("Entities", [])).split()
        if not tok:
            raise ParseError("MSH 4 file without $Entities")
        pos = 0
        counts = [int(t) for t in tok[0:4]]
        pos = 4
        for dim in range(4):
            for _ in range(counts[dim]):
                tag = int(tok[pos])
                pos += 1
                pos += 3 if dim == 0 else 6        # coords / bounding box
                nphys = int(tok[pos])
                pos += 1
                phys[(dim, tag)] = tuple(int(t) for t in tok[pos:pos + nphys])
                pos += nphys
                if dim > 0:
                    nbnd = int(tok[pos])
                    pos += 1 + nbnd
        # $Nodes
        body = sec["Nodes"]
        head = body[0].split()
        nblocks = int(head[0])
        li = 1
        for _ in range(nblocks):
            edim, etag, parametric, nn = (int(t) for t in body[li].split())
            li += 1
            tags = [int(body[li + k]) for k in range(nn)]
            li += nn
            for k in range(nn):
                xyz = body[li + k].split()
                nodes[tags[k]] = tuple(float(v) for v in xyz[0:3])
            li += nn
        # $Elements
        body = sec["Elements"]
        nblocks = int(body[0].split()[0])
        li = 1
        for _ in range(nblocks):
            edim, etag, etype, ne = (int(t) for t in body[li].split())
            li += 1
            ptags = phys.get((edim, etag), ())
            for k in range(ne):
                vals = [int(t) for t in body[li + k].split()]
                elements.append((edim, etype, ptags, vals[1:]))
            li += ne
    elif version.startswith("2"):
        body = sec["Nodes"]
        for line in body[1:]:
            t = line.split()
            nodes[int(t[0])] = tuple(float(v) for v in t[1:4])
        body = sec["Elements"]
        for line in body[1:]:
            t = [int(v) for v in line.split()]
            etype, ntags = t[1], t[2]
            ptag = t[3] if ntags > 0 else 0
            conn = t[3 + ntags:]
            if etype in VOLUME_TYPES:
                edim = 3
            elif etype in SURFACE_TYPES:
                edim = 2
            elif etype == 15:
                edim = 0
            else:
                edim = 1
            elements.append((edim, etype, (ptag,), conn))
    else:
        raise ParseError("unsupported MSH version " + version)
    return version, nodes, elements


# ---- hexahedron geometry -----------------------------------------------------
REF = [(-1, -1, -1), (1, -1, -1), (1, 1, -1), (-1, 1, -1),
       (-1, -1, 1), (1, -1, 1), (1, 1, 1), (-1, 1, 1)]
GAUSS = (-1 / math.sqrt(3), 1 / math.sqrt(3))
# Gmsh hexahedron faces (node indices), outward orientation not needed here
HEX_FACES = [(0, 3, 2, 1), (0, 1, 5, 4), (0, 4, 7, 3),
             (1, 2, 6, 5), (2, 3, 7, 6), (4, 5, 6, 7)]


def det_jacobian(x, u, v, w):
    """det of d(x,y,z)/d(u,v,w) of the trilinear map at (u,v,w)."""
    j = [[0.0] * 3 for _ in range(3)]
    for a in range(8):
        ua, va, wa = REF[a]
        dn = (ua * (1 + va * v) * (1 + wa * w) / 8,
              va * (1 + ua * u) * (1 + wa * w) / 8,
              wa * (1 + ua * u) * (1 + va * v) / 8)
        for r in range(3):
            for c in range(3):
                j[r][c] += x[a][r] * dn[c]
    return (j[0][0] * (j[1][1] * j[2][2] - j[1][2] * j[2][1])
            - j[0][1] * (j[1][0] * j[2][2] - j[1][2] * j[2][0])
            + j[0][2] * (j[1][0] * j[2][1] - j[1][1] * j[2][0]))


def hex_volume_and_min_corner_jacobian(x):
    # det J of a trilinear map is of degree <= 2 per variable: 2x2x2 Gauss
    # quadrature integrates it exactly.
    vol = 0.0
    for u in GAUSS:
        for v in GAUSS:
            for w in GAUSS:
                vol += det_jacobian(x, u, v, w)
    jmin = min(det_jacobian(x, *REF[a]) for a in range(8))
    return vol, jmin


def quad_area(x):
    # split along both diagonals and average (exact for planar quads)
    def tri(a, b, c):
        ab = [b[i] - a[i] for i in range(3)]
        ac = [c[i] - a[i] for i in range(3)]
        cr = (ab[1] * ac[2] - ab[2] * ac[1], ab[2] * ac[0] - ab[0] * ac[2],
              ab[0] * ac[1] - ab[1] * ac[0])
        return 0.5 * math.sqrt(sum(c * c for c in cr))
    return 0.5 * (tri(x[0], x[1], x[2]) + tri(x[0], x[2], x[3])
                  + tri(x[0], x[1], x[3]) + tri(x[1], x[2], x[3]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mesh")
    ap.add_argument("--expect", action="append", default=[],
                    metavar="NAME=VALUE",
                    help="expected geometry parameter (L, ro, ri, g, tc, Lc, "
                         "Le, nc); fail if the inferred value differs")
    ap.add_argument("--tol", type=float, default=1e-6,
                    help="relative tolerance for --expect and the polygon "
                         "volume check (default 1e-6)")
    ap.add_argument("--ossify", help="the ossify executable whose labels name the "
                    "tags (default: build/solver/ossify of this checkout)")
    ap.add_argument("--labels", help="the labels as `ossify --print-labels` prints "
                    "them (instead of running the executable)")
    args = ap.parse_args()

    try:
        labels = (ossify_labels.parse(args.labels) if args.labels
                  else ossify_labels.from_binary(args.ossify))
    except (ValueError, OSError, RuntimeError) as exc:
        print("ERROR: no region and boundary labels: %s" % exc)
        return 2
    region_names = labels.region_names()
    boundary_names = labels.boundary_names()

    try:
        version, nodes, elements = parse(args.mesh)
    except (ParseError, OSError, ValueError, IndexError, KeyError) as exc:
        print("ERROR: cannot parse %s: %s" % (args.mesh, exc))
        return 2

    failures = []
    print("file: %s (MSH %s)" % (args.mesh, version))
    print("nodes: %d" % len(nodes))

    counts = {2: defaultdict(Counter), 3: defaultdict(Counter)}
    other = Counter()
    for edim, etype, ptags, conn in elements:
        if edim in counts:
            for p in (ptags or (0,)):
                counts[edim][p][etype] += 1
        else:
            other[(edim, etype)] += 1
    for edim, label, names in ((3, "volume", region_names),
                               (2, "surface", boundary_names)):
        print("physical %s tags:" % label)
        for p in sorted(counts[edim]):
            desc = ", ".join("%d %s" % (n, TYPE_NAMES.get(t, "type%d" % t))
                             for t, n in sorted(counts[edim][p].items()))
            print("  %3d %-18s %s" % (p, names.get(p, ""), desc))
    if other:
        print("lower-dimensional elements: " + ", ".join(
            "%d x dim %d type %d" % (n, d, t) for (d, t), n in other.items()))

    # ---- volume elements: hexahedra only, positive Jacobian -----------------
    hexes = []
    nonhex = Counter()
    for edim, etype, ptags, conn in elements:
        if edim != 3:
            continue
        if etype != HEX:
            nonhex[TYPE_NAMES.get(etype, "type%d" % etype)] += 1
        else:
            hexes.append((ptags[0] if ptags else 0, conn))
    if nonhex:
        failures.append("non-hexahedral volume elements: %s" % dict(nonhex))
    else:
        print("all %d volume elements are hexahedra (type 5)" % len(hexes))

    vol_by_tag = defaultdict(float)
    bad = 0
    jmin_all = math.inf
    vmin_all = math.inf
    for tag, conn in hexes:
        x = [nodes[n] for n in conn[:8]]
        vol, jmin = hex_volume_and_min_corner_jacobian(x)
        vol_by_tag[tag] += vol
        jmin_all = min(jmin_all, jmin)
        vmin_all = min(vmin_all, vol)
        if not (vol > 0 and jmin > 0):
            bad += 1
    if hexes:
        print("min hex volume %.6g mm^3, min corner det(J) %.6g"
              % (vmin_all, jmin_all))
    if bad:
        failures.append("%d hexahedra with non-positive volume or corner "
                        "Jacobian" % bad)

    used = set()
    for edim, etype, ptags, conn in elements:
        used.update(conn)
    unused = len(set(nodes) - used)
    if unused:
        print("note: %d nodes are not used by any element" % unused)

    # ---- boundary faces vs tagged surface quads -----------------------------
    face_count = Counter()
    for tag, conn in hexes:
        for f in HEX_FACES:
            face_count[frozenset(conn[i] for i in f)] += 1
    boundary = {f for f, n in face_count.items() if n == 1}
    tagged = defaultdict(set)
    surf_quads = {}
    for edim, etype, ptags, conn in elements:
        if edim == 2:
            key = frozenset(conn[:4])
            for p in (ptags or (0,)):
                tagged[p].add(key)
            surf_quads[key] = conn[:4]
    all_tagged = set().union(*tagged.values()) if tagged else set()
    interior_tagged = sum(1 for f in all_tagged if face_count.get(f, 0) != 1)
    untagged = len(boundary - all_tagged)
    multi = sum(1 for f in all_tagged
                if sum(f in s for s in tagged.values()) > 1)
    print("boundary faces: %d, tagged surface elements: %d"
          % (len(boundary), len(all_tagged)))
    if interior_tagged:
        failures.append("%d tagged surface elements are not boundary faces "
                        "of the hex mesh" % interior_tagged)
    if untagged:
        failures.append("%d boundary faces are not in any physical surface"
                        % untagged)
    if multi:
        failures.append("%d surface elements in more than one physical "
                        "surface" % multi)

    # ---- fractured-bone specific: infer parameters, compare volumes --------
    bone_regions = {labels.region(n) for n in BONE_REGIONS}
    bone_surfaces = {labels.boundary(n) for n in ("distal", "proximal", "outer")}
    if set(vol_by_tag) == bone_regions and set(tagged) >= bone_surfaces:
        check_bone(nodes, hexes, tagged, surf_quads, vol_by_tag, args,
                   failures, labels)
    else:
        print("(not the fractured-bone tag layout: skipping volume check)")

    if failures:
        for f in failures:
            print("FAIL: " + f)
        return 1
    print("OK")
    return 0


#: the regions of the fractured-bone layout (meshes/fractured_bone.geo)
BONE_REGIONS = ("cortical", "marrow", "gap", "periosteal_callus", "endosteal_callus")


def check_bone(nodes, hexes, tagged, surf_quads, vol_by_tag, args, failures, labels):
    cortical, marrow, gap, periosteal, endosteal = (labels.region(n) for n in BONE_REGIONS)
    distal, proximal, outer = (labels.boundary(n) for n in ("distal", "proximal", "outer"))
    region_names = labels.region_names()
    boundary_names = labels.boundary_names()
    def r(p):
        return math.hypot(p[0], p[1])

    nodes_of = defaultdict(set)
    for tag, conn in hexes:
        nodes_of[tag].update(conn[:8])

    def zext(tag):
        zs = [nodes[n][2] for n in nodes_of[tag]]
        return min(zs), max(zs)

    def rext(tag):
        rs = [r(nodes[n]) for n in nodes_of[tag]]
        return min(rs), max(rs)

    allz = [p[2] for p in nodes.values()]
    zmin, zmax = min(allz), max(allz)
    ri = rext(cortical)[0]
    ro = rext(cortical)[1]
    rc = rext(periosteal)[1]
    distal_nodes = set()
    for f in tagged[distal]:
        distal_nodes.update(f)
    nc = sum(1 for n in distal_nodes if abs(r(nodes[n]) - ro) < 1e-6 * ro)
    par = {
        "L": zmax - zmin,
        "ro": ro,
        "ri": ri,
        "g": zext(gap)[1] - zext(gap)[0],
        "tc": rc - ro,
        "Lc": zext(periosteal)[1] - zext(periosteal)[0],
        "Le": zext(endosteal)[1] - zext(endosteal)[0],
        "nc": nc,
    }
    print("inferred parameters: " + ", ".join(
        "%s=%.6g" % (k, v) for k, v in par.items()))
    print("  gap centre z = %.3g, z range [%.6g, %.6g]"
          % (0.5 * sum(zext(gap)), zmin, zmax))
    for e in args.expect:
        try:
            k, v = e.split("=")
            v = float(v)
        except ValueError:
            failures.append("bad --expect '%s'" % e)
            continue
        if k not in par:
            failures.append("unknown --expect parameter '%s'" % k)
        elif abs(par[k] - v) > args.tol * max(1.0, abs(v)):
            failures.append("inferred %s=%.6g, expected %.6g" % (k, par[k], v))

    def disc(rad):   # exact circle area
        return math.pi * rad * rad

    def poly(rad):   # inscribed nc-gon area
        return 0.5 * nc * rad * rad * math.sin(2 * math.pi / nc)

    L, g, Lc, Le = par["L"], par["g"], par["Lc"], par["Le"]
    expected = {
        cortical: (lambda a: (a(ro) - a(ri)) * (L - g)),
        marrow: (lambda a: a(ri) * (L - Le)),
        gap: (lambda a: (a(ro) - a(ri)) * g),
        periosteal: (lambda a: (a(rc) - a(ro)) * Lc),
        endosteal: (lambda a: a(ri) * Le),
    }
    print("volumes [mm^3]:  tag region              mesh        cylinder   "
          "mesh/cyl    nc-gon     mesh/ngon-1")
    total = [0.0, 0.0, 0.0]
    for tag in sorted(expected):
        vm = vol_by_tag[tag]
        vc = expected[tag](disc)
        vp = expected[tag](poly)
        total[0] += vm
        total[1] += vc
        total[2] += vp
        print("  %3d %-18s %11.3f %11.3f %9.4f %11.3f %10.2e"
              % (tag, region_names[tag], vm, vc, vm / vc, vp, vm / vp - 1))
        if abs(vm / vp - 1) > args.tol:
            failures.append("volume of tag %d differs from the nc-gon value "
                            "by %.2e" % (tag, vm / vp - 1))
    print("      %-18s %11.3f %11.3f %9.4f %11.3f %10.2e"
          % ("total", total[0], total[1], total[0] / total[1], total[2],
             total[0] / total[2] - 1))

    # surfaces: location and area
    def area(tag):
        return sum(quad_area([nodes[n] for n in surf_quads[f]])
                   for f in tagged[tag])
    tolz = 1e-9 * max(1.0, L)
    for tag, zt in ((distal, zmin), (proximal, zmax)):
        off = sum(1 for f in tagged[tag]
                  if any(abs(nodes[n][2] - zt) > tolz for n in f))
        if off:
            failures.append("%d faces of surface %d not at z=%g"
                            % (off, tag, zt))
    sides = (2 * math.sin(math.pi / nc) * nc / (2 * math.pi))  # perimeter ratio
    exp_area = {
        distal: (disc(ro), poly(ro)),
        proximal: (disc(ro), poly(ro)),
        outer: (2 * math.pi * ro * (L - Lc) + 2 * math.pi * rc * Lc
            + 2 * (disc(rc) - disc(ro)),
            sides * (2 * math.pi * ro * (L - Lc) + 2 * math.pi * rc * Lc)
            + 2 * (poly(rc) - poly(ro))),
    }
    print("surface areas [mm^2]: tag name       mesh     cylinder   nc-gon")
    for tag in (distal, proximal, outer):
        am = area(tag)
        print("  %3d %-9s %10.3f %10.3f %10.3f"
              % (tag, boundary_names[tag], am, *exp_area[tag]))
        if abs(am / exp_area[tag][1] - 1) > max(args.tol, 1e-9):
            failures.append("area of surface %d differs from the nc-gon value"
                            " by %.2e" % (tag, am / exp_area[tag][1] - 1))


if __name__ == "__main__":
    sys.exit(main())
