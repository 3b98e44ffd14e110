// ---------------------------------------------------------------------------
// Ossify: fractured long-bone segment, all-hexahedral mesh (Gmsh built-in
// kernel, transfinite O-grid cross-section extruded piecewise along z).
//
// Regenerate:
//   gmsh -3 meshes/fractured_bone.geo -o meshes/fractured_bone.msh
// Override any parameter below, e.g.
//   gmsh -3 meshes/fractured_bone.geo -setnumber g 2.4 -setnumber nc 24 \
//        -o meshes/fractured_bone.msh
// Check the result:
//   python3 meshes/check_msh.py meshes/fractured_bone.msh
//
// Units mm, bone axis = z, fracture gap centred at z = 0.
// Geometry parameters:
//   L   segment length, z in [-L/2, L/2]                         (60)
//   ro  outer (periosteal) radius of the cortex                  (10)
//   ri  inner (endosteal) radius of the cortex                   (6)
//   g   fracture gap width, |z| < g/2                            (3)
//   tc  periosteal callus thickness, ro < r < ro+tc              (3)
//   Lc  periosteal callus length, |z| < Lc/2                     (24)
//   Le  endosteal callus length (canal plug), |z| < Le/2         (12)
//   Need 0 < g < Le < Lc < L and 0 < ri < ro.
// Mesh parameters:
//   nc        cells around the circumference (multiple of 4)     (16)
//   nr_canal  radial cells from the central square to r = ri     (3)
//   nr_cortex radial cells across the cortex / gap, ri..ro       (3)
//   nr_callus radial cells across the periosteal callus          (2)
//   n_gap     cell layers across the gap (|z| < g/2)             (2)
//   hz        target axial cell size elsewhere; every z-slab gets
//             Ceil(length/hz) layers                             (2)
//   sq        half side of the central square / ri               (0.45)
//   msh_version  MSH file version written, 4.1 or 2.2            (4.1)
//
// Tag table (deal.II: material_id = physical volume, boundary_id = physical
// surface; interior faces are untagged, Mesh.SaveAll is left at 0):
//   Physical Volume 1 cortical           ri < r < ro,    |z| > g/2
//   Physical Volume 2 marrow             r < ri,         |z| > Le/2
//   Physical Volume 3 gap                ri < r < ro,    |z| < g/2
//   Physical Volume 4 periosteal_callus  ro < r < ro+tc, |z| < Lc/2
//   Physical Volume 5 endosteal_callus   r < ri,         |z| < Le/2
//   Physical Surface 1 distal    z = -L/2, r < ro
//   Physical Surface 2 proximal  z = +L/2, r < ro
//   Physical Surface 3 outer     r = ro for |z| > Lc/2, r = ro+tc for
//                                |z| < Lc/2, and the callus end annuli
//                                ro < r < ro+tc at z = +-Lc/2
// Outside |z| < Lc/2 there are no cells beyond r = ro.
//
// Construction: the full cross-section (square + canal ring + cortex ring +
// callus ring, 4 sectors each) is built at z = -Lc/2. The inner part is
// extruded down to -L/2; everything is extruded up slab by slab through
// z = -Le/2, -g/2, +g/2, +Le/2 to +Lc/2; the inner part continues to +L/2.
// Note: circles are resolved by nc straight segments, so volumes are a few
// percent below the exact cylinder values (polygon area (nc/2) r^2 sin(2pi/nc)).
// ---------------------------------------------------------------------------

DefineConstant[
  L  = {60, Name "Parameters/Geometry/L segment length"},
  ro = {10, Name "Parameters/Geometry/ro outer radius"},
  ri = {6,  Name "Parameters/Geometry/ri inner radius"},
  g  = {3,  Name "Parameters/Geometry/g gap width"},
  tc = {3,  Name "Parameters/Geometry/tc periosteal callus thickness"},
  Lc = {24, Name "Parameters/Geometry/Lc periosteal callus length"},
  Le = {12, Name "Parameters/Geometry/Le endosteal callus length"},
  nc        = {16, Name "Parameters/Mesh/nc cells around circumference"},
  nr_canal  = {3,  Name "Parameters/Mesh/nr_canal radial cells in canal"},
  nr_cortex = {3,  Name "Parameters/Mesh/nr_cortex radial cells in cortex"},
  nr_callus = {2,  Name "Parameters/Mesh/nr_callus radial cells in callus"},
  n_gap     = {2,  Name "Parameters/Mesh/n_gap cell layers across gap"},
  hz        = {2,  Name "Parameters/Mesh/hz axial cell size"},
  sq        = {0.45, Name "Parameters/Mesh/sq central square half side over ri"},
  msh_version = {4.1, Name "Parameters/Mesh/msh_version MSH file version"}
];

// ---- sanity checks ---------------------------------------------------------
If (nc < 4 || nc != 4 * Round(nc / 4))
  Error("fractured_bone.geo: nc = %g must be a positive multiple of 4", nc);
  Abort;
EndIf
If (!(g > 0 && g < Le && Le < Lc && Lc < L))
  Error("fractured_bone.geo: need 0 < g < Le < Lc < L (g=%g Le=%g Lc=%g L=%g)",
        g, Le, Lc, L);
  Abort;
EndIf
If (!(ri > 0 && ri < ro && tc > 0 && sq > 0 && sq < 0.7))
  Error("fractured_bone.geo: need 0 < ri < ro, tc > 0, 0 < sq < 0.7");
  Abort;
EndIf
If (nr_canal < 1 || nr_cortex < 1 || nr_callus < 1 || n_gap < 1 || hz <= 0)
  Error("fractured_bone.geo: cell counts must be >= 1 and hz > 0");
  Abort;
EndIf

// 4.1 by default; this assignment overrides a command-line "-format msh22",
// so use "-setnumber msh_version 2.2" to get MSH 2.2 instead.
Mesh.MshFileVersion = msh_version;
Mesh.Binary = 0;
Mesh.ElementOrder = 1;
Mesh.SaveAll = 0;
Mesh.RecombineAll = 1;
Geometry.ExtrudeReturnLateralEntities = 1;

nq = nc / 4;                       // cells per quarter (per sector)
rc = ro + tc;                      // outer radius of the periosteal callus
s  = sq * ri;                      // half side of the central square

// Layers per z-slab (all lengths measured from the fracture plane).
hA = (L - Lc) / 2;  nA = Ceil(hA / hz - 1e-9);   // bone only, no callus
hB = (Lc - Le) / 2; nB = Ceil(hB / hz - 1e-9);   // marrow + periosteal callus
hC = (Le - g) / 2;  nC = Ceil(hC / hz - 1e-9);   // endosteal + periosteal
nD = n_gap;                                     // the gap itself

// ---- cross-section at z0 = -Lc/2 -------------------------------------------
z0 = -Lc / 2;
pc = newp; Point(pc) = {0, 0, z0};
For k In {0:3}
  th = Pi / 4 + k * Pi / 2;        // sector boundaries at 45, 135, 225, 315 deg
  pq[k] = newp; Point(pq[k]) = {s * Sqrt(2) * Cos(th), s * Sqrt(2) * Sin(th), z0};
  pr[k] = newp; Point(pr[k]) = {ri * Cos(th), ri * Sin(th), z0};
  po[k] = newp; Point(po[k]) = {ro * Cos(th), ro * Sin(th), z0};
  pk[k] = newp; Point(pk[k]) = {rc * Cos(th), rc * Sin(th), z0};
EndFor
For k In {0:3}
  k1 = (k + 1) % 4;
  cs[k] = newl; Line(cs[k]) = {pq[k], pq[k1]};            // square side
  ai[k] = newl; Circle(ai[k]) = {pr[k], pc, pr[k1]};      // r = ri arc
  ao[k] = newl; Circle(ao[k]) = {po[k], pc, po[k1]};      // r = ro arc
  ak[k] = newl; Circle(ak[k]) = {pk[k], pc, pk[k1]};      // r = ro+tc arc
  r1[k] = newl; Line(r1[k]) = {pq[k], pr[k]};             // square -> ri
  r2[k] = newl; Line(r2[k]) = {pr[k], po[k]};             // ri -> ro
  r3[k] = newl; Line(r3[k]) = {po[k], pk[k]};             // ro -> ro+tc
EndFor
Transfinite Curve{cs[], ai[], ao[], ak[]} = nq + 1;
Transfinite Curve{r1[]} = nr_canal + 1;
Transfinite Curve{r2[]} = nr_cortex + 1;
Transfinite Curve{r3[]} = nr_callus + 1;

// All loops counter-clockwise seen from +z; in every ring sector the outer
// arc is the 2nd curve of the loop, so its extruded lateral face is ex[3].
cl = newll; Curve Loop(cl) = {cs[0], cs[1], cs[2], cs[3]};
sSq = news; Plane Surface(sSq) = {cl};
Transfinite Surface{sSq} = {pq[0], pq[1], pq[2], pq[3]};
For k In {0:3}
  k1 = (k + 1) % 4;
  cl = newll; Curve Loop(cl) = {r1[k], ai[k], -r1[k1], -cs[k]};
  sCan[k] = news; Plane Surface(sCan[k]) = {cl};
  Transfinite Surface{sCan[k]} = {pq[k], pr[k], pr[k1], pq[k1]};
  cl = newll; Curve Loop(cl) = {r2[k], ao[k], -r2[k1], -ai[k]};
  sCor[k] = news; Plane Surface(sCor[k]) = {cl};
  Transfinite Surface{sCor[k]} = {pr[k], po[k], po[k1], pr[k1]};
  cl = newll; Curve Loop(cl) = {r3[k], ak[k], -r3[k1], -ao[k]};
  sCal[k] = news; Plane Surface(sCal[k]) = {cl};
  Transfinite Surface{sCal[k]} = {po[k], pk[k], pk[k1], po[k1]};
EndFor
Recombine Surface{sSq, sCan[], sCor[], sCal[]};

vCort[] = {}; vMarrow[] = {}; vGap[] = {}; vPeri[] = {}; vEndo[] = {};
sDistal[] = {}; sProximal[] = {}; sOuter[] = {};

// ---- slab A-: z in [-L/2, -Lc/2], extruded downwards from z0 ---------------
// Input order: square, 4 canal sectors, 4 cortex sectors. Each input surface
// yields 6 entries: top, volume, 4 lateral faces (in curve-loop order).
ex[] = Extrude {0, 0, -hA} {
  Surface{sSq, sCan[], sCor[]}; Layers{nA}; Recombine;
};
For i In {0:8}
  sDistal[] += ex[6 * i];
EndFor
For i In {0:4}
  vMarrow[] += ex[6 * i + 1];
EndFor
For i In {5:8}
  vCort[] += ex[6 * i + 1];
  sOuter[] += ex[6 * i + 3];
EndFor

// The callus end annulus at z = -Lc/2 is boundary.
sOuter[] += sCal[];

// ---- slabs from -Lc/2 up to +Lc/2, full cross-section -----------------------
// Current bottom surfaces: square, 4 canal, 4 cortex, 4 callus sectors.
cur[] = {sSq, sCan[], sCor[], sCal[]};
// slab lengths / layers / inner region (2 marrow, 5 endosteal) / ring region
// (1 cortical, 3 gap), bottom to top: B-, C-, D, C+, B+
hs[] = {hB, hC, g,  hC, hB};
ns[] = {nB, nC, nD, nC, nB};
inner[] = {2, 5, 5, 5, 2};
ring[]  = {1, 1, 3, 1, 1};
For j In {0:4}
  ex[] = Extrude {0, 0, hs[j]} {
    Surface{cur[]}; Layers{ns[j]}; Recombine;
  };
  For i In {0:12}
    cur[i] = ex[6 * i];
    v = ex[6 * i + 1];
    If (i <= 4)                               // canal: square + 4 sectors
      If (inner[j] == 2)
        vMarrow[] += v;
      Else
        vEndo[] += v;
      EndIf
    ElseIf (i <= 8)                           // cortex ring
      If (ring[j] == 1)
        vCort[] += v;
      Else
        vGap[] += v;
      EndIf
    Else                                      // periosteal callus ring
      vPeri[] += v;
      sOuter[] += ex[6 * i + 3];
    EndIf
  EndFor
EndFor

// The callus end annulus at z = +Lc/2 is boundary.
For i In {9:12}
  sOuter[] += cur[i];
EndFor

// ---- slab A+: z in [+Lc/2, +L/2], inner part only --------------------------
ex[] = Extrude {0, 0, hA} {
  Surface{cur[{0:8}]}; Layers{nA}; Recombine;
};
For i In {0:8}
  sProximal[] += ex[6 * i];
EndFor
For i In {0:4}
  vMarrow[] += ex[6 * i + 1];
EndFor
For i In {5:8}
  vCort[] += ex[6 * i + 1];
  sOuter[] += ex[6 * i + 3];
EndFor

// ---- physical groups (tags fixed: used by Ossify's Region/Boundary maps) ---
Physical Volume("cortical", 1) = {vCort[]};
Physical Volume("marrow", 2) = {vMarrow[]};
Physical Volume("gap", 3) = {vGap[]};
Physical Volume("periosteal_callus", 4) = {vPeri[]};
Physical Volume("endosteal_callus", 5) = {vEndo[]};
Physical Surface("distal", 1) = {sDistal[]};
Physical Surface("proximal", 2) = {sProximal[]};
Physical Surface("outer", 3) = {sOuter[]};
