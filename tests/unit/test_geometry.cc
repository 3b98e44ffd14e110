// The parametric fractured bone and the Gmsh import: labelled regions,
// volumes and boundary areas against analytic values, refinement, and the
// inverted-cell check. Runs on 1 and 2 ranks.
#include "app/case_setup.h"
#include "base/input_error.h"
#include "geometry/bone_mesh.h"
#include "healing/bridging.h"
#include "mechanics/region_statistics.h"
#include "test_helpers.h"

#include <deal.II/grid/grid_tools.h>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

using namespace Ossify;
using OssifyTest::MessageContains;

namespace
{
  using dealii::types::material_id;

  std::map<Region, double>
  region_volumes(const DistributedMesh &mesh)
  {
    std::map<Region, double> volumes;
    for (unsigned int id = 1; id <= region_names().size(); ++id)
    {
      double local = 0;
      for (const auto &cell : mesh.active_cell_iterators())
        if (cell->is_locally_owned() && cell->material_id() == id)
          local += cell->measure();
      const double total = dealii::Utilities::MPI::sum(local, MPI_COMM_WORLD);
      if (total > 0)
        volumes[static_cast<Region>(id)] = total;
    }
    return volumes;
  }

  double
  boundary_area(const DistributedMesh &mesh, const Boundary boundary)
  {
    double local = 0;
    for (const auto &cell : mesh.active_cell_iterators())
      if (cell->is_locally_owned())
        for (const auto &face : cell->face_iterators())
          if (face->at_boundary() &&
              face->boundary_id() == static_cast<unsigned int>(boundary))
            local += face->measure();
    return dealii::Utilities::MPI::sum(local, MPI_COMM_WORLD);
  }

  unsigned long long
  count_cells(const DistributedMesh &mesh, const Region region)
  {
    unsigned long long local = 0;
    for (const auto &cell : mesh.active_cell_iterators())
      if (cell->is_locally_owned() &&
          cell->material_id() == static_cast<material_id>(region))
        ++local;
    return dealii::Utilities::MPI::sum(local, MPI_COMM_WORLD);
  }

  GeometryParameters
  geometry_from(const std::string &test, const std::string &text)
  {
    return OssifyTest::parse_case(test,
                                  "subsection Geometry\n" + text + "end\n")
        .geometry;
  }

  /// Analytic volumes of the regions of a parametric bone.
  std::map<Region, double>
  analytic_volumes(const ParametricBoneParameters &p)
  {
    const double ri2 = p.inner_radius * p.inner_radius;
    const double ro2 = p.outer_radius * p.outer_radius;
    const double rc  = p.outer_radius + p.periosteal_callus_thickness;
    std::map<Region, double> v;
    v[Region::cortical] = M_PI * (ro2 - ri2) * (p.segment_length - p.gap_width);
    v[Region::gap]      = M_PI * (ro2 - ri2) * p.gap_width;
    v[Region::marrow] =
        M_PI * ri2 * (p.segment_length - p.endosteal_callus_length);
    v[Region::endosteal_callus] = M_PI * ri2 * p.endosteal_callus_length;
    v[Region::periosteal_callus] =
        M_PI * (rc * rc - ro2) * p.periosteal_callus_length;
    if (p.soft_tissue_thickness > 0)
    {
      const double rs = rc + p.soft_tissue_thickness;
      v[Region::soft_tissue] =
          M_PI * (rs * rs - rc * rc) * p.segment_length +
          M_PI * (rc * rc - ro2) *
              (p.segment_length - p.periosteal_callus_length);
    }
    return v;
  }

  void
  check_volumes(const DistributedMesh          &mesh,
                const std::map<Region, double> &expected,
                const double                    tolerance)
  {
    const auto volumes = region_volumes(mesh);
    BOOST_TEST(volumes.size() == expected.size());
    for (const auto &[region, volume] : expected)
    {
      BOOST_TEST_CONTEXT("region "
                         << region_name(static_cast<material_id>(region)))
      {
        BOOST_REQUIRE(volumes.count(region) == 1u);
        BOOST_TEST(volumes.at(region) == volume,
                   boost::test_tools::tolerance(tolerance));
      }
    }
  }
} // namespace

BOOST_AUTO_TEST_SUITE(geometry)

BOOST_AUTO_TEST_CASE(parametric_regions_match_analytic_volumes)
{
  const auto      geometry = geometry_from("parametric",
                                      "set Global refinements = 1\n"
                                           "set Callus refinements = 0\n");
  DistributedMesh mesh(MPI_COMM_WORLD);
  create_mesh(geometry, mesh);
  // vertices lie on the circles, faces are flat: with 48 cells around the
  // polygonal area is 0.3 % short
  check_volumes(mesh, analytic_volumes(geometry.bone), 0.01);
  const double ro = geometry.bone.outer_radius;
  BOOST_TEST(boundary_area(mesh, Boundary::distal) == M_PI * ro * ro,
             boost::test_tools::tolerance(0.01));
  BOOST_TEST(boundary_area(mesh, Boundary::proximal) == M_PI * ro * ro,
             boost::test_tools::tolerance(0.01));
  BOOST_TEST(boundary_area(mesh, Boundary::outer) > 0.);
}

BOOST_AUTO_TEST_CASE(soft_tissue_sleeve_and_sheep_dimensions)
{
  const auto      geometry = geometry_from("sleeve",
                                      "set Callus refinements = 0\n"
                                           "subsection Parametric bone\n"
                                           "  set Outer radius = 9\n"
                                           "  set Inner radius = 6\n"
                                           "  set Gap width = 2.4\n"
                                           "  set Periosteal callus thickness = 3\n"
                                           "  set Soft tissue thickness = 2\n"
                                           "  set Cells around circumference = 32\n"
                                           "end\n");
  DistributedMesh mesh(MPI_COMM_WORLD);
  create_mesh(geometry, mesh);
  check_volumes(mesh, analytic_volumes(geometry.bone), 0.02);
}

BOOST_AUTO_TEST_CASE(callus_refinement_refines_only_callus)
{
  const auto coarse = geometry_from("refine0", "set Callus refinements = 0\n");
  const auto fine   = geometry_from("refine1", "set Callus refinements = 1\n");
  DistributedMesh coarse_mesh(MPI_COMM_WORLD), fine_mesh(MPI_COMM_WORLD);
  create_mesh(coarse, coarse_mesh);
  create_mesh(fine, fine_mesh);
  BOOST_TEST(count_cells(fine_mesh, Region::gap) ==
             8 * count_cells(coarse_mesh, Region::gap));
  BOOST_TEST(count_cells(fine_mesh, Region::periosteal_callus) ==
             8 * count_cells(coarse_mesh, Region::periosteal_callus));
  // marrow far from the gap keeps its size (refinement can spread one
  // layer of cells into neighbours to keep the mesh 2:1 balanced)
  BOOST_TEST(count_cells(fine_mesh, Region::marrow) <
             2 * count_cells(coarse_mesh, Region::marrow));
}

BOOST_AUTO_TEST_CASE(inverted_cells_are_reported)
{
  const auto geometry =
      geometry_from("inverted", "set Callus refinements = 0\n");
  DistributedMesh mesh(MPI_COMM_WORLD);
  create_mesh(geometry, mesh);
  // a mirror image turns every hexahedron inside out
  dealii::GridTools::transform([](const dealii::Point<3> &p)
                               { return dealii::Point<3>(-p[0], p[1], p[2]); },
                               mesh);
  BOOST_CHECK_EXCEPTION(check_cells_not_inverted(mesh, "test mesh"),
                        InputError,
                        MessageContains{"inverted"});
}

BOOST_AUTO_TEST_CASE(gmsh_import_gives_the_same_regions)
{
  const auto geometry = geometry_from(
      "gmsh",
      "set Source = gmsh\n"
      "set Callus refinements = 0\n"
      "subsection Gmsh mesh\n"
      "  set Mesh file = " OSSIFY_TEST_BINARY_DIR "/fractured_bone.msh\n"
      "end\n");
  DistributedMesh mesh(MPI_COMM_WORLD);
  create_mesh(geometry, mesh);
  // dimensions of meshes/fractured_bone.geo
  ParametricBoneParameters p;
  p.segment_length              = 60;
  p.outer_radius                = 10;
  p.inner_radius                = 6;
  p.gap_width                   = 3;
  p.periosteal_callus_thickness = 3;
  p.periosteal_callus_length    = 24;
  p.endosteal_callus_length     = 12;
  p.soft_tissue_thickness       = 0;
  check_volumes(mesh, analytic_volumes(p), 0.04);
  BOOST_TEST(boundary_area(mesh, Boundary::distal) == M_PI * 100.,
             boost::test_tools::tolerance(0.04));
  BOOST_TEST(boundary_area(mesh, Boundary::outer) > 0.);
  BOOST_TEST(boundary_area(mesh, Boundary::other) == 0.);
}

BOOST_AUTO_TEST_CASE(gmsh_tag_missing_from_map_is_named)
{
  const auto geometry = geometry_from(
      "gmsh_map",
      "set Source = gmsh\n"
      "subsection Gmsh mesh\n"
      "  set Mesh file = " OSSIFY_TEST_BINARY_DIR "/fractured_bone.msh\n"
      "  set Region map = 1: cortical, 2: marrow\n"
      "end\n");
  DistributedMesh mesh(MPI_COMM_WORLD);
  BOOST_CHECK_EXCEPTION(create_mesh(geometry, mesh),
                        InputError,
                        MessageContains{"not in the region map"});
}

BOOST_AUTO_TEST_CASE(unreadable_mesh_file_is_named)
{
  const std::string dir = OssifyTest::scratch_directory("bad_msh");
  const std::string file =
      OssifyTest::write_file(dir + "/bad.msh", "this is not a mesh\n");
  const auto      geometry = geometry_from("bad_msh_case",
                                      "set Source = gmsh\n"
                                           "subsection Gmsh mesh\n"
                                           "  set Mesh file = " +
                                          file + "\nend\n");
  DistributedMesh mesh(MPI_COMM_WORLD);
  BOOST_CHECK_EXCEPTION(
      create_mesh(geometry, mesh), InputError, MessageContains{"bad.msh"});
}

BOOST_AUTO_TEST_CASE(tapered_callus_matches_the_spindle_volume)
{
  const auto      geometry = geometry_from("taper",
                                      "set Global refinements = 1\n"
                                           "set Callus refinements = 0\n"
                                           "subsection Parametric bone\n"
                                           "  set Periosteal callus taper = 0.25\n"
                                           "end\n");
  DistributedMesh mesh(MPI_COMM_WORLD);
  create_mesh(geometry, mesh);
  const auto &p = geometry.bone;
  // thickness t(z): full over the gap, then linear down to taper * t
  const auto thickness = [&](const double z)
  {
    const double along =
        std::clamp((std::abs(z) - p.gap_width / 2) /
                       (p.periosteal_callus_length / 2 - p.gap_width / 2),
                   0.,
                   1.);
    return p.periosteal_callus_thickness * (1. - 0.75 * along);
  };
  double             spindle = 0;
  const unsigned int n       = 20000;
  const double       dz      = p.periosteal_callus_length / n;
  for (unsigned int i = 0; i < n; ++i)
  {
    const double z = -p.periosteal_callus_length / 2 + (i + 0.5) * dz;
    const double r = p.outer_radius + thickness(z);
    spindle += M_PI * (r * r - p.outer_radius * p.outer_radius) * dz;
  }
  auto expected                       = analytic_volumes(p);
  expected[Region::periosteal_callus] = spindle;
  check_volumes(mesh, expected, 0.01);
}

BOOST_AUTO_TEST_CASE(bony_bridging_follows_stiff_paths_across_ranks)
{
  const auto geometry =
      geometry_from("bridging", "set Callus refinements = 1\n");
  DistributedMesh mesh(MPI_COMM_WORLD);
  create_mesh(geometry, mesh);
  // stiffen one region at a time: only that route may bridge
  const auto modulus_where = [&](const Region stiff)
  {
    std::vector<double> modulus(mesh.n_active_cells(), 1.);
    for (const auto &cell : mesh.active_cell_iterators())
      if (cell->is_locally_owned() &&
          cell->material_id() == static_cast<material_id>(stiff))
        modulus[cell->active_cell_index()] = 5000.;
    return modulus;
  };
  const std::set<Region> callus = {
      Region::gap, Region::periosteal_callus, Region::endosteal_callus};
  BOOST_TEST(
      !bony_bridge_exists(mesh, modulus_where(Region::marrow), 1000., callus));
  BOOST_TEST(
      bony_bridge_exists(mesh, modulus_where(Region::gap), 1000., callus));
  BOOST_TEST(bony_bridge_exists(
      mesh, modulus_where(Region::gap), 1000., {Region::gap}));
  BOOST_TEST(!bony_bridge_exists(
      mesh, modulus_where(Region::gap), 1000., {Region::periosteal_callus}));
  BOOST_TEST(bony_bridge_exists(
      mesh, modulus_where(Region::periosteal_callus), 1000., callus));
  BOOST_TEST(bony_bridge_exists(mesh,
                                modulus_where(Region::endosteal_callus),
                                1000.,
                                {Region::endosteal_callus}));
  // a threshold above every modulus: no bridge
  BOOST_TEST(
      !bony_bridge_exists(mesh, modulus_where(Region::gap), 6000., callus));
}

namespace
{
  /// Area between two circles of the O-grid polygon with @p n cells around.
  double
  polygon_ring_area(const double r1, const double r2, const unsigned int n)
  {
    return 0.5 * n * std::sin(2 * M_PI / n) * (r2 * r2 - r1 * r1);
  }

  /// A small bone (16 cells around, 40 mm) with a 2 mm soft-tissue sleeve,
  /// whose fixation is meshed by the template.
  std::unique_ptr<CaseSetup>
  explicit_case(const std::string &test, const std::string &fixation)
  {
    const std::string text = R"(
subsection Geometry
  set Callus refinements = 0
  subsection Parametric bone
    set Segment length = 40
    set Gap width = 2
    set Periosteal callus thickness = 2
    set Periosteal callus length = 12
    set Endosteal callus length = 8
    set Soft tissue thickness = 2
    set Cells around circumference = 16
    set Axial cell size = 4
  end
end
subsection Fixation
  set Representation = explicit
)" + fixation + "end\n";
    const std::string file = OssifyTest::write_file(
        OssifyTest::scratch_directory(test) + "/case.prm", text);
    return std::make_unique<CaseSetup>(file, MPI_COMM_WORLD);
  }
} // namespace

// The explicit fixations: the template meshes each implant where its
// parameters put it (volumes to round-off against the O-grid polygons),
// and the rest of the bone is the parametric bone's.
BOOST_AUTO_TEST_CASE(explicit_fixations_mesh_their_implants)
{
  const unsigned int n = 16;
  const double       L = 40, ri = 7.5, ro = 13, rc = 15, rs = 17;
  const auto         implant = [](const CaseSetup &setup)
  { return region_volumes(setup.mesh).at(Region::implant); };

  // cast: a 2 mm shell around the sleeve, the whole segment long
  auto cast = explicit_case(
      "explicit_cast",
      "set Type = cast\nsubsection cast\n set Shell thickness = 2\nend\n");
  BOOST_TEST(implant(*cast) == polygon_ring_area(rs, rs + 2, n) * L,
             boost::test_tools::tolerance(1e-9));
  BOOST_TEST(region_volumes(cast->mesh).at(Region::cortical) ==
                 polygon_ring_area(ri, ro, n) * (L - 2),
             boost::test_tools::tolerance(1e-9));
  // the implant tissue is the shell's material
  BOOST_TEST(cast->parameters.tissues[Tissue::implant].youngs_modulus == 1500.);

  // plate: 2 cells wide (8 mm at r = 13), 2 mm thick, 30 mm long, and two
  // screws 2 mm long through the near cortex, each the two cells either
  // side of the plate's mid-plane (16 cells around: a cell face lies on it)
  auto plate = explicit_case(
      "explicit_plate",
      "set Type = compression-plate\nsubsection compression-plate\n"
      " set Plate length = 30\n set Plate width = 8\n"
      " set Plate thickness = 2\n set Screw positions = -10, 10\n"
      " set Screw diameter = 2\nend\n");
  BOOST_TEST(implant(*plate) ==
                 2 * polygon_ring_area(ro, rc, n) / n * 30 +
                     2 * 2 * polygon_ring_area(ri, ro, n) / n * 2,
             boost::test_tools::tolerance(1e-9));
  BOOST_TEST(plate->parameters.tissues[Tissue::implant].youngs_modulus ==
             200000.);

  // nail: 8 mm diameter along the segment, two bolts (2 mm) through canal
  // and both cortices
  auto nail = explicit_case(
      "explicit_nail",
      "set Type = intramedullary-nail\nsubsection intramedullary-nail\n"
      " set Nail diameter = 8\n set Locking bolt positions = -12, 12\n"
      " set Bolt diameter = 2\nend\n");
  BOOST_TEST(implant(*nail) == polygon_ring_area(0, 4, n) * L +
                                   2 * 2 * 2 * polygon_ring_area(4, ro, n) / n,
             boost::test_tools::tolerance(1e-9));

  // external fixator: four pins (2 mm) from the canal out to a bar 30 mm
  // off the axis, 4 mm thick, spanning the pins
  auto frame = explicit_case(
      "explicit_fixator",
      "set Type = external-fixator\nsubsection external-fixator\n"
      " set Pin positions = -16, -10, 10, 16\n set Pin diameter = 2\n"
      " set Bar offset = 30\n set Bar size = 4\nend\n");
  BOOST_TEST(implant(*frame) == 4 * 2 * polygon_ring_area(ri, 28, n) / n +
                                    34 * polygon_ring_area(28, 32, n) / n,
             boost::test_tools::tolerance(1e-9));

  // the template's own checks reach the user as one message
  BOOST_CHECK_EXCEPTION(explicit_case("explicit_bad_screw",
                                      "set Type = locking-bridge-plate\n"
                                      "subsection locking-bridge-plate\n"
                                      " set Plate length = 20\nend\n"),
                        InputError,
                        MessageContains{"beyond the plate"});
}

// A half model of a plate (Fixation/Half model) is exact: cut along the
// plate's symmetry plane, loaded by the whole body's force and moment and
// preloaded, it gives the whole model's movements, rotations, stiffnesses,
// reactions and volumes to solver tolerance.
BOOST_AUTO_TEST_CASE(half_plate_model_equals_the_whole)
{
  const std::string plate = R"(
set Type = compression-plate
subsection compression-plate
  set Plate length = 30
  set Plate width = 8
  set Plate thickness = 2
  set Screw positions = -10, 10
  set Screw diameter = 2
  set Pre-shortening = 0.01
end
end
subsection Linear solver
  set Relative tolerance = 1e-12
end
subsection Boundary conditions
  set Total force  = proximal: 0 50 -500
  set Total moment = proximal: 3000 0 0
)";
  auto              whole = explicit_case("half_model_whole", plate);
  auto              half =
      explicit_case("half_model_half", "set Half model = true\n" + plate);
  BOOST_TEST(half->mesh.n_global_active_cells() * 2 ==
             whole->mesh.n_global_active_cells());

  std::vector<MechanicalQuantities> q;
  for (auto *setup : {whole.get(), half.get()})
  {
    setup->mechanics->solve();
    q.push_back(setup->mechanics->compute_quantities());
  }
  BOOST_TEST(half->mechanics->mirror_images() == 2u);
  const auto close = boost::test_tools::tolerance(1e-7);
  BOOST_TEST(q[1].axial_ifm() == q[0].axial_ifm(), close);
  BOOST_TEST(q[1].interfragmentary_movement[1] ==
                 q[0].interfragmentary_movement[1],
             close);
  BOOST_TEST(q[1].interfragmentary_rotation[0] ==
                 q[0].interfragmentary_rotation[0],
             close);
  BOOST_TEST(q[1].preload_interfragmentary_movement[2] ==
                 q[0].preload_interfragmentary_movement[2],
             close);
  // an eccentric plate closes the near cortex and opens the far one
  BOOST_TEST(std::abs(q[0].preload_interfragmentary_movement[2]) > 1e-4);
  BOOST_TEST(q[1].axial_stiffness == q[0].axial_stiffness, close);
  BOOST_TEST(q[1].rotational_stiffness[0] == q[0].rotational_stiffness[0],
             close);
  const auto &distal_half  = q[1].boundary_force.at(Boundary::distal);
  const auto &distal_whole = q[0].boundary_force.at(Boundary::distal);
  BOOST_TEST(distal_half[2] == 500., close);
  BOOST_TEST(distal_half[2] == distal_whole[2], close);
  BOOST_TEST(distal_half[1] == distal_whole[1], close);
  BOOST_TEST(half->mechanics->load_area(Boundary::proximal) ==
                 whole->mechanics->load_area(Boundary::proximal),
             close);
  // the mesh is half; the reported volumes are the whole body's
  std::vector<std::map<Region, RegionStrainStatistics>> regions;
  for (auto *setup : {whole.get(), half.get()})
  {
    QuadraturePointData<MechanicalPointState> states;
    setup->mechanics->evaluate_point_states(states);
    regions.push_back(compute_region_statistics(*setup->mechanics, states));
  }
  for (const auto &[region, volume] : region_volumes(whole->mesh))
  {
    BOOST_TEST(2 * region_volumes(half->mesh).at(region) == volume,
               boost::test_tools::tolerance(1e-9));
    BOOST_TEST(regions[1].at(region).volume == volume,
               boost::test_tools::tolerance(1e-9));
    BOOST_TEST(regions[1].at(region).mean_octahedral_shear_strain ==
                   regions[0].at(region).mean_octahedral_shear_strain,
               boost::test_tools::tolerance(1e-6));
  }

  // what a half model cannot carry or mesh is refused by name
  BOOST_CHECK_EXCEPTION(
      explicit_case("half_model_x_force",
                    "set Half model = true\n" + plate +
                        "  set Total force = proximal: 10 0 -500\n"),
      InputError,
      MessageContains{"would be mirrored into the opposite force"});
  BOOST_CHECK_EXCEPTION(
      explicit_case("half_model_nail",
                    "set Type = intramedullary-nail\nset Half model = true\n"),
      InputError,
      MessageContains{"is not symmetric about a plane"});
}

BOOST_AUTO_TEST_SUITE_END()
