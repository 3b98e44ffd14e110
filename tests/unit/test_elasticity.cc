// Verification of the elasticity solver: analytic bars, a soft gap in
// series, reactions, a manufactured solution with heterogeneous moduli and
// optimal convergence rates (Q1, Q2), and the solver's failure message.
// Runs on 1 and 2 ranks.
#include "app/case_setup.h"
#include "base/input_error.h"
#include "mechanics/elasticity.h"
#include "mechanics/fragment_modes.h"
#include "test_helpers.h"

#include <deal.II/base/function.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/grid/grid_generator.h>
#include <deal.II/numerics/vector_tools.h>

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>
#include <map>
#include <sstream>

using namespace Ossify;
using OssifyTest::MessageContains;

namespace
{
  /// A straight bone segment (no callus) whose tissues have nu = 0, so that
  /// a clamped end does not disturb the uniaxial stress state and Q1 is
  /// exact.
  const std::string bar_case = R"(
subsection Geometry
  set Callus refinements = 0
  set Global refinements = 0
  subsection Parametric bone
    set Segment length = 40
    set Periosteal callus thickness = 0
    set Cells around circumference = 16
    set Axial cell size = 5
  end
end
subsection Tissue materials
  subsection cortical_bone
    set Poisson's ratio = 0
  end
  subsection fibrous
    set Poisson's ratio = 0
  end
end
subsection Linear solver
  set Relative tolerance = 1e-12
end
subsection Boundary conditions
  # a uniform bar: the load acts on the whole end face
  set Load-bearing regions =
end
)";

  /// The bar without a gap, marrow given the cortical modulus: uniform.
  const std::string intact_bar_case = bar_case + R"(
subsection Geometry
  subsection Parametric bone
    set Gap width = 0
    set Endosteal callus length = 0
  end
end
subsection Regions
  set Initial tissue = cortical: cortical_bone, marrow: cortical_bone
end
)";

  /// The bar with a 3 mm gap of fibrous tissue (E = 2 MPa, nu = 0) across
  /// cortex and canal: bone and gap in series.
  const std::string soft_gap_bar_case = bar_case + R"(
subsection Geometry
  subsection Parametric bone
    set Gap width = 3
    set Endosteal callus length = 3
  end
end
subsection Regions
  set Initial tissue = cortical: cortical_bone, marrow: cortical_bone, gap: fibrous, endosteal_callus: fibrous
end
)";

  std::unique_ptr<CaseSetup>
  set_up(const std::string &test, const std::string &text)
  {
    const std::string file = OssifyTest::write_file(
        OssifyTest::scratch_directory(test) + "/case.prm", text);
    return std::make_unique<CaseSetup>(file, MPI_COMM_WORLD);
  }
} // namespace

BOOST_AUTO_TEST_SUITE(elasticity_verification)

BOOST_AUTO_TEST_CASE(homogeneous_bar_under_axial_force)
{
  // Intact bone (gap 0), marrow given the cortical modulus: a uniform bar.
  auto       setup      = set_up("bar", intact_bar_case);
  auto      &mechanics  = *setup->mechanics;
  const auto statistics = mechanics.solve();
  const auto quantities = mechanics.compute_quantities();

  const double E = 20000., L = 40., F = 500.;
  const double A = mechanics.boundary_area(Boundary::proximal);
  BOOST_TEST(A == M_PI * 13. * 13., boost::test_tools::tolerance(0.03));
  BOOST_TEST(!quantities.has_gap);
  // F L / (E A), measured on the mesh's own cross-section
  BOOST_TEST(quantities.axial_stiffness == E * A / L,
             boost::test_tools::tolerance(1e-8));
  BOOST_TEST(quantities.mean_boundary_displacement.at(Boundary::proximal)[2] ==
                 -F * L / (E * A),
             boost::test_tools::tolerance(1e-8));
  // the reaction at the clamped end balances the load
  BOOST_TEST(quantities.boundary_force.at(Boundary::distal)[2] == F,
             boost::test_tools::tolerance(1e-8));
  BOOST_TEST(std::abs(quantities.boundary_force.at(Boundary::distal)[0]) <
             1e-6);
  BOOST_TEST(statistics.linear.iterations > 0u);
}

BOOST_AUTO_TEST_CASE(bone_with_soft_gap_in_series)
{
  // Cortex and canal are bone outside the gap and fibrous tissue across the
  // gap: two springs in series.
  auto  setup     = set_up("series", soft_gap_bar_case);
  auto &mechanics = *setup->mechanics;
  mechanics.solve();
  const auto quantities = mechanics.compute_quantities();

  const double E_bone = 20000., E_gap = 2., L = 40., g = 3., F = 500.;
  const double A          = mechanics.boundary_area(Boundary::proximal);
  const double compliance = (L - g) / (E_bone * A) + g / (E_gap * A);
  BOOST_TEST(quantities.axial_stiffness == 1. / compliance,
             boost::test_tools::tolerance(1e-7));
  BOOST_TEST(quantities.has_gap);
  BOOST_TEST(quantities.axial_ifm() == -F * g / (E_gap * A),
             boost::test_tools::tolerance(1e-7));
  BOOST_TEST(quantities.shear_ifm() < 1e-8);
}

// A lumped fixation of axial stiffness k across a gap of stiffness
// k_gap = E A / g: the interfragmentary movement is F / (k + k_gap) when the
// fragments are stiff (issue "Fixation library": within 1 %), and exactly
// the parallel/series combination with the fragments' own compliance.
BOOST_AUTO_TEST_CASE(lumped_fixation_in_parallel_with_the_gap)
{
  for (const std::string fixation : {"external-fixator", "cast"})
  {
    const double k = fixation == "cast" ? 150. : 1000.;
    auto         setup = set_up("fixation_" + fixation, soft_gap_bar_case + R"(
subsection Fixation
  set Type = )" + fixation + R"(
end
)");
    auto        &mechanics = *setup->mechanics;
    mechanics.solve();
    const auto quantities = mechanics.compute_quantities();

    const double E_bone = 20000., E_gap = 2., L = 40., g = 3., F = 500.;
    const double A      = mechanics.boundary_area(Boundary::proximal);
    const double k_gap  = E_gap * A / g;
    const double k_bone = 1. / ((L - g) / (E_bone * A) + 1. / k_gap);
    // the end moves F / (k + k_bone); the bone carries k_bone of it
    const double exact = F * k_bone / (k + k_bone) / k_gap;
    BOOST_TEST(-quantities.axial_ifm() == exact,
               boost::test_tools::tolerance(1e-6));
    BOOST_TEST(-quantities.axial_ifm() == F / (k + k_gap),
               boost::test_tools::tolerance(0.01));
    // construct stiffness: device and bone in parallel
    BOOST_TEST(quantities.axial_stiffness == k + k_bone,
               boost::test_tools::tolerance(1e-6));
  }
}

// A pre-shortened compression plate pushes the fragments together with
// axial stiffness x pre-shortening, whatever the external load; and a
// dynamised device counts with its reduced stiffness.
BOOST_AUTO_TEST_CASE(compression_plate_preload_and_dynamisation)
{
  const std::string plate     = soft_gap_bar_case + R"(
subsection Boundary conditions
  set Total force = proximal: 0 0 0
end
subsection Fixation
  set Type = compression-plate
  subsection compression-plate
    set Axial stiffness = 5000
    set Pre-shortening  = 0.01
  end
end
)";
  auto              setup     = set_up("preload", plate);
  auto             &mechanics = *setup->mechanics;
  mechanics.solve();
  auto quantities = mechanics.compute_quantities();

  const double E_bone = 20000., E_gap = 2., L = 40., g = 3., k = 5000.;
  const double A      = mechanics.boundary_area(Boundary::proximal);
  const double k_gap  = E_gap * A / g;
  const double k_bone = 1. / ((L - g) / (E_bone * A) + 1. / k_gap);
  // no external load: the spring offset k * delta drives (k + k_bone)
  const double exact = k * 0.01 * k_bone / (k + k_bone) / k_gap;
  BOOST_TEST(-quantities.axial_ifm() == exact,
             boost::test_tools::tolerance(1e-6));

  // dynamised to half: both the stiffness and the push halve
  mechanics.set_support_factor(0.5);
  mechanics.solve();
  quantities        = mechanics.compute_quantities();
  const double half = 0.5 * k * 0.01 * k_bone / (0.5 * k + k_bone) / k_gap;
  BOOST_TEST(-quantities.axial_ifm() == half,
             boost::test_tools::tolerance(1e-6));
}

// A pre-tensioned implant part (the explicit compression plate's preload):
// on a uniform bar (nu = 0, Q1 exact) the eigenstrain shortens a free bar
// by the pre-shortening, a bar held at both ends pulls them with the
// preload force whatever its modulus, and the construct stiffness leaves
// the preload's own shortening out.
BOOST_AUTO_TEST_CASE(prestrained_part_shortens_pulls_and_keeps_stiffness)
{
  const double    L = 20, E = 1000, s = 0.05, F = 300;
  DistributedMesh mesh(MPI_COMM_WORLD);
  dealii::GridGenerator::subdivided_hyper_rectangle(
      mesh,
      {2, 2, 5},
      dealii::Point<3>(0, 0, -L / 2),
      dealii::Point<3>(4, 3, L / 2));
  for (const auto &cell : mesh.active_cell_iterators())
  {
    cell->set_material_id(
        static_cast<dealii::types::material_id>(Region::implant));
    for (const unsigned int f : cell->face_indices())
      if (cell->face(f)->at_boundary())
      {
        const double z = cell->face(f)->center()[2];
        cell->face(f)->set_boundary_id(static_cast<dealii::types::boundary_id>(
            z < -L / 2 + 1e-9  ? Boundary::distal
            : z > L / 2 - 1e-9 ? Boundary::proximal
                               : Boundary::outer));
      }
  }
  const double            A = 12;
  FiniteElementParameters fe_parameters{1};
  LinearSolverParameters  solver{"cg", "boomeramg", 1e-12, 1e-30, 2000, 0.5};
  const auto run = [&](BoundaryConditionParameters bc, const double modulus)
  {
    ElasticitySolver mechanics(mesh, fe_parameters, solver, bc);
    mechanics.setup();
    for (const auto &cell : mesh.active_cell_iterators())
      if (cell->is_locally_owned())
        for (unsigned int q = 0; q < mechanics.quadrature().size(); ++q)
          mechanics.material()(cell, q) =
              IsotropicElasticity::from_youngs_modulus(modulus, 0.);
    mechanics.solve();
    return mechanics.compute_quantities();
  };

  BoundaryConditionParameters free_bar;
  free_bar.fixed[Boundary::distal]   = {{true, true, true}};
  free_bar.force[Boundary::proximal] = dealii::Tensor<1, 3>();
  free_bar.prestrain =
      AxialPrestrain{Region::implant, 0., -L / 2, L / 2, s, 0.};
  auto q = run(free_bar, E);
  BOOST_TEST(q.mean_boundary_displacement.at(Boundary::proximal)[2] == -s,
             boost::test_tools::tolerance(1e-8));

  // loaded as well: the shortening adds up, the stiffness is E A / L
  free_bar.force[Boundary::proximal][2] = -500;
  q                                     = run(free_bar, E);
  BOOST_TEST(q.mean_boundary_displacement.at(Boundary::proximal)[2] ==
                 -s - 500 * L / (E * A),
             boost::test_tools::tolerance(1e-8));
  BOOST_TEST(q.axial_stiffness == E * A / L,
             boost::test_tools::tolerance(1e-8));

  // held at both ends, given as a force: the ends are pulled with F
  BoundaryConditionParameters held;
  held.fixed[Boundary::distal]   = {{true, true, true}};
  held.fixed[Boundary::proximal] = {{true, true, true}};
  held.prestrain = AxialPrestrain{Region::implant, 0., -L / 2, L / 2, 0., F};
  for (const double modulus : {E, 50 * E})
  {
    q = run(held, modulus);
    BOOST_TEST(std::abs(q.boundary_force.at(Boundary::proximal)[2]) == F,
               boost::test_tools::tolerance(1e-8));
    BOOST_TEST(q.boundary_force.at(Boundary::proximal)[2] ==
                   -q.boundary_force.at(Boundary::distal)[2],
               boost::test_tools::tolerance(1e-8));
  }

  // only cells whose centre lies in the part's axial range are shortened
  // (the three distal cells, 12 mm)
  free_bar.force[Boundary::proximal][2] = 0;
  free_bar.prestrain = AxialPrestrain{Region::implant, 0., -L / 2, 2., s, 0.};
  q                  = run(free_bar, E);
  BOOST_TEST(q.mean_boundary_displacement.at(Boundary::proximal)[2] == -s,
             boost::test_tools::tolerance(1e-8));
  free_bar.prestrain = AxialPrestrain{Region::cortical, 0., -L, L, s, 0.};
  BOOST_CHECK_EXCEPTION(run(free_bar, E),
                        InputError,
                        MessageContains{"has no cells in the mesh"});
}

// Pure bending of a bar with nu = 0 is exact for Q2 on prismatic cells
// (u_z = kappa y z, u_y = -kappa z^2 / 2, clamped end included): the end
// rotates by M L / (E I), I the second moment of the mesh's own face. A
// circular tube twists by T L / (G J); the 16-gon section warps a little.
BOOST_AUTO_TEST_CASE(bar_under_end_moments)
{
  // the intact bar with Q2 under a moment alone
  const auto moment_case =
      [](const std::string &name, const std::string &moment)
  {
    return set_up(name,
                  intact_bar_case + R"(
subsection Finite element
  set Polynomial degree = 2
end
subsection Boundary conditions
  set Total force  = proximal: 0 0 0
  set Total moment = proximal: )" +
                      moment + "\nend\n");
  };
  auto  setup     = moment_case("moment", "20000 0 0");
  auto &mechanics = *setup->mechanics;
  mechanics.solve();
  auto quantities = mechanics.compute_quantities();

  const double E = 20000., L = 40.;
  const auto  &face = mechanics.load_face_moments(Boundary::proximal);
  const double I_x  = face.second_moment()[1][1];
  // the 16-gon's second moment is ~5 % below the circle's
  BOOST_TEST(I_x == M_PI / 4 * std::pow(13., 4),
             boost::test_tools::tolerance(0.07));
  BOOST_TEST(quantities.rotational_stiffness[0] == E * I_x / L,
             boost::test_tools::tolerance(1e-6));
  const auto rotation =
      quantities.mean_boundary_rotation.at(Boundary::proximal);
  BOOST_TEST(rotation[0] == 20000. * L / (E * I_x),
             boost::test_tools::tolerance(1e-6));
  BOOST_TEST(std::abs(rotation[1]) < 1e-6 * rotation[0]);
  BOOST_TEST(std::abs(rotation[2]) < 1e-6 * rotation[0]);
  // a moment is no net force: the clamped end reacts with none
  BOOST_TEST(quantities.boundary_force.at(Boundary::distal).norm() < 1e-6);

  // twist about the axis (nu = 0: G = E / 2)
  auto twist = moment_case("twist", "0 0 20000");
  twist->mechanics->solve();
  quantities     = twist->mechanics->compute_quantities();
  const double J = face.second_moment()[0][0] + face.second_moment()[1][1];
  BOOST_TEST(quantities.rotational_stiffness[2] == E / 2 * J / L,
             boost::test_tools::tolerance(0.02));
  const auto twist_rotation =
      quantities.mean_boundary_rotation.at(Boundary::proximal);
  BOOST_TEST(std::hypot(twist_rotation[0], twist_rotation[1]) <
             1e-6 * twist_rotation[2]);
}

// The virtual mechanical test (the fixation removed, the distal end
// clamped, a moment on the proximal end): exact beam theory for the bar
// with nu = 0 and Q2, whatever the fixation of the case; a soft gap in
// series; and the gauge length adding intact bone in series.
BOOST_AUTO_TEST_CASE(virtual_mechanical_test_is_beam_theory)
{
  const std::string test_case = R"(
subsection Finite element
  set Polynomial degree = 2
end
subsection Fixation
  # a stiff frame the test must take off: with it, the bar would be
  # several times stiffer in bending
  set Type = external-fixator
end
subsection Healing
  set Number of days = 1
  subsection Outcomes
    subsection Virtual mechanical test
      set Interval = 1
      set Gauge length = 80
    end
  end
end
)";
  const double      E_bone = 20000., E_gap = 2., L = 40., g = 3.;
  const auto granulation = IsotropicElasticity::from_youngs_modulus(0.2, 0);
  const auto implant     = static_cast<dealii::types::material_id>(7);

  auto         intact = set_up("virtual_intact", intact_bar_case + test_case);
  auto        &test   = *intact->virtual_test;
  const double I_x    = intact->mechanics->load_face_moments(Boundary::proximal)
                         .second_moment()[1][1];
  const double k_intact = test.segment_stiffness(
      intact->mechanics->material(), implant, granulation);
  BOOST_TEST(test.segment_length() == L, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(k_intact == E_bone * I_x / L, boost::test_tools::tolerance(1e-6));
  test.set_intact(k_intact);
  // N mm/rad -> N m/deg; a gauge twice the segment's length: twice the
  // rotation of the intact bone
  const double per_degree = 1e-3 * M_PI / 180.;
  BOOST_TEST(test.gauge_length() == 2 * L);
  BOOST_TEST(test.over_gauge_length(k_intact) == k_intact * per_degree / 2,
             boost::test_tools::tolerance(1e-12));
  BOOST_TEST(std::isnan(
      test.over_gauge_length(std::numeric_limits<double>::quiet_NaN())));

  // bone and the soft gap in series, plus the intact bone the gauge adds
  auto         gap   = set_up("virtual_gap", soft_gap_bar_case + test_case);
  const double k_gap = gap->virtual_test->segment_stiffness(
      gap->mechanics->material(), implant, granulation);
  const double exact = 1. / ((L - g) / (E_bone * I_x) + g / (E_gap * I_x));
  BOOST_TEST(k_gap == exact, boost::test_tools::tolerance(1e-6));
  gap->virtual_test->set_intact(k_intact);
  BOOST_TEST(gap->virtual_test->over_gauge_length(k_gap) ==
                 per_degree / (1. / k_gap + L / (E_bone * I_x)),
             boost::test_tools::tolerance(1e-6));
}

// The test cannot use a gauge shorter than the segment it models, and it
// needs end faces to clamp and load: both are named.
BOOST_AUTO_TEST_CASE(virtual_mechanical_test_input_errors)
{
  const std::string test_case = R"(
subsection Healing
  set Number of days = 1
  subsection Outcomes
    subsection Virtual mechanical test
      set Gauge length = 30
    end
  end
end
)";
  BOOST_CHECK_EXCEPTION(
      set_up("virtual_short_gauge", intact_bar_case + test_case),
      InputError,
      MessageContains{"Gauge length"});
  // no test without a healing run or with Interval = 0
  BOOST_TEST(!set_up("virtual_no_days", intact_bar_case)->virtual_test);
  BOOST_TEST(!set_up("virtual_off", intact_bar_case + R"(
subsection Healing
  set Number of days = 1
  subsection Outcomes
    subsection Virtual mechanical test
      set Interval = 0
    end
  end
end
)")
                  ->virtual_test);
}

// Springs with a rotational stiffness in parallel with a bar whose soft gap
// bends: the rotation is M / (k_r + k_bar), whether k_r is above or below
// what uniform springs give, and the springs keep their translational
// stiffness (the axial result of the lumped fixation test is unchanged).
BOOST_AUTO_TEST_CASE(rotational_support_in_parallel_with_the_gap)
{
  auto         probe = set_up("rotational_probe", soft_gap_bar_case);
  const auto  &face  = probe->mechanics->load_face_moments(Boundary::proximal);
  const double A = face.area(), I = face.second_moment()[1][1],
               J = I + face.second_moment()[0][0];
  const double k = 1000.;
  // uniform axial springs of k give k I / A in bending. No shear springs:
  // they would resist the end's sideways deflection under bending, which
  // the beam formula below leaves out.
  for (const double factor : {3., 0.5})
  {
    const double       k_bend = factor * k * I / A, k_twist = k * J / A;
    std::ostringstream springs;
    springs << "subsection Boundary conditions\n"
            << "  set Elastic support = proximal: 0 0 " << k
            << "\n  set Rotational support = proximal: " << k_bend << " "
            << k_bend << " " << k_twist << "\n"
            << "  set Total moment = proximal: 20000 0 0\nend\n";
    auto  setup     = set_up("rotational_support_" + std::to_string(factor),
                        soft_gap_bar_case + springs.str());
    auto &mechanics = *setup->mechanics;
    mechanics.solve();
    const auto quantities = mechanics.compute_quantities();

    const double E_bone = 20000., E_gap = 2., L = 40., g = 3., F = 500.;
    const double k_bar = 1. / ((L - g) / (E_bone * I) + g / (E_gap * I));
    BOOST_TEST(quantities.rotational_stiffness[0] == k_bend + k_bar,
               boost::test_tools::tolerance(2e-3));
    // the gap rotates with the proximal fragment
    BOOST_TEST(quantities.interfragmentary_rotation[0] ==
                   20000. / (k_bend + k_bar) * k_bar * g / (E_gap * I),
               boost::test_tools::tolerance(1e-3));
    // the axial load sees k, as with uniform springs
    const double k_gap  = E_gap * A / g;
    const double k_bone = 1. / ((L - g) / (E_bone * A) + 1. / k_gap);
    BOOST_TEST(quantities.axial_stiffness == k + k_bone,
               boost::test_tools::tolerance(1e-4));
    BOOST_TEST(-quantities.axial_ifm() == F * k_bone / (k + k_bone) / k_gap,
               boost::test_tools::tolerance(1e-4));
  }
}

BOOST_AUTO_TEST_CASE(reaction_to_a_prescribed_displacement)
{
  auto  setup     = set_up("reaction", intact_bar_case + R"(
subsection Boundary conditions
  set Total force =
  set Prescribed displacement = proximal: 0 0 -0.01
end
)");
  auto &mechanics = *setup->mechanics;
  mechanics.solve();
  const auto   quantities = mechanics.compute_quantities();
  const double A          = mechanics.boundary_area(Boundary::proximal);
  const double expected   = 20000. * A * 0.01 / 40.; // E A delta / L
  BOOST_TEST(quantities.boundary_force.at(Boundary::proximal)[2] == -expected,
             boost::test_tools::tolerance(1e-7));
  BOOST_TEST(quantities.boundary_force.at(Boundary::distal)[2] == expected,
             boost::test_tools::tolerance(1e-7));
  // the load factor scales prescribed displacements
  mechanics.set_load_factor(0.5);
  mechanics.solve();
  BOOST_TEST(mechanics.compute_quantities().boundary_force.at(
                 Boundary::distal)[2] == 0.5 * expected,
             boost::test_tools::tolerance(1e-7));
}

namespace
{
  // Manufactured solution on the unit cube with a spatially varying Young's
  // modulus E(x) = 1 + 0.5 (x + y^2 + z), nu = 0.3.
  double
  youngs_modulus(const dealii::Point<3> &p)
  {
    return 1. + 0.5 * (p[0] + p[1] * p[1] + p[2]);
  }
  constexpr double nu = 0.3;

  dealii::Tensor<2, 3>
  exact_gradient(const dealii::Point<3> &p)
  {
    const double         x = p[0], y = p[1], z = p[2], pi = M_PI;
    dealii::Tensor<2, 3> G;
    // u0 = sin(pi x) cos(pi y) sin(pi z)
    G[0][0] = pi * std::cos(pi * x) * std::cos(pi * y) * std::sin(pi * z);
    G[0][1] = -pi * std::sin(pi * x) * std::sin(pi * y) * std::sin(pi * z);
    G[0][2] = pi * std::sin(pi * x) * std::cos(pi * y) * std::cos(pi * z);
    // u1 = x^2 y z
    G[1][0] = 2 * x * y * z;
    G[1][1] = x * x * z;
    G[1][2] = x * x * y;
    // u2 = cos(pi x) cos(pi z) y
    G[2][0] = -pi * std::sin(pi * x) * std::cos(pi * z) * y;
    G[2][1] = std::cos(pi * x) * std::cos(pi * z);
    G[2][2] = -pi * std::cos(pi * x) * std::sin(pi * z) * y;
    return G;
  }

  class ExactDisplacement : public dealii::Function<3>
  {
  public:
    ExactDisplacement()
        : dealii::Function<3>(3)
    {
    }
    double
    value(const dealii::Point<3> &p, const unsigned int c) const override
    {
      const double x = p[0], y = p[1], z = p[2], pi = M_PI;
      if (c == 0)
        return std::sin(pi * x) * std::cos(pi * y) * std::sin(pi * z);
      if (c == 1)
        return x * x * y * z;
      return std::cos(pi * x) * std::cos(pi * z) * y;
    }
    dealii::Tensor<1, 3>
    gradient(const dealii::Point<3> &p, const unsigned int c) const override
    {
      return exact_gradient(p)[c];
    }
  };

  SymmetricTensor3
  exact_stress(const dealii::Point<3> &p)
  {
    const auto law =
        IsotropicElasticity::from_youngs_modulus(youngs_modulus(p), nu);
    return law.stress(dealii::symmetrize(exact_gradient(p)));
  }

  /// f = -div sigma(u), by central differences of the exact stress (error
  /// ~1e-8, far below the discretisation errors measured).
  class BodyForce : public dealii::Function<3>
  {
  public:
    BodyForce()
        : dealii::Function<3>(3)
    {
    }
    double
    value(const dealii::Point<3> &p, const unsigned int c) const override
    {
      const double h   = 1e-4;
      double       div = 0;
      for (unsigned int j = 0; j < 3; ++j)
      {
        dealii::Point<3> plus = p, minus = p;
        plus[j] += h;
        minus[j] -= h;
        div += (exact_stress(plus)[c][j] - exact_stress(minus)[c][j]) / (2 * h);
      }
      return -div;
    }
  };

  std::pair<double, double>
  manufactured_errors(const unsigned int degree,
                      const unsigned int subdivisions)
  {
    DistributedMesh mesh(MPI_COMM_WORLD);
    dealii::GridGenerator::subdivided_hyper_cube(mesh, subdivisions);
    // all faces carry boundary id 0 ('other'): prescribe the exact field
    FiniteElementParameters fe_parameters{degree};
    LinearSolverParameters  solver{"cg", "boomeramg", 1e-12, 1e-30, 2000, 0.5};
    BoundaryConditionParameters bc;
    bc.displacement[Boundary::other] = dealii::Tensor<1, 3>();
    auto exact                       = std::make_shared<ExactDisplacement>();

    ElasticitySolver mechanics(mesh, fe_parameters, solver, bc);
    mechanics.set_boundary_displacement_function(Boundary::other, exact);
    mechanics.set_body_force(std::make_shared<BodyForce>());
    mechanics.setup();

    dealii::FE_Q<3>     fe(1);
    dealii::FEValues<3> fe_values(
        fe, mechanics.quadrature(), dealii::update_quadrature_points);
    for (const auto &cell : mesh.active_cell_iterators())
      if (cell->is_locally_owned())
      {
        fe_values.reinit(cell);
        for (unsigned int q = 0; q < mechanics.quadrature().size(); ++q)
          mechanics.material()(cell, q) =
              IsotropicElasticity::from_youngs_modulus(
                  youngs_modulus(fe_values.quadrature_point(q)), nu);
      }
    mechanics.solve();

    const dealii::QGauss<3> error_quadrature(degree + 2);
    dealii::Vector<float>   cellwise(mesh.n_active_cells());
    dealii::VectorTools::integrate_difference(mechanics.dof_handler(),
                                              mechanics.displacement(),
                                              *exact,
                                              cellwise,
                                              error_quadrature,
                                              dealii::VectorTools::L2_norm);
    const double l2 = dealii::VectorTools::compute_global_error(
        mesh, cellwise, dealii::VectorTools::L2_norm);
    dealii::VectorTools::integrate_difference(mechanics.dof_handler(),
                                              mechanics.displacement(),
                                              *exact,
                                              cellwise,
                                              error_quadrature,
                                              dealii::VectorTools::H1_seminorm);
    const double h1 = dealii::VectorTools::compute_global_error(
        mesh, cellwise, dealii::VectorTools::H1_seminorm);
    return {l2, h1};
  }

  void
  check_convergence(const unsigned int degree, const unsigned int coarsest)
  {
    std::vector<std::pair<double, double>> errors;
    for (unsigned int level = 0; level < 4; ++level)
      errors.push_back(manufactured_errors(degree, coarsest << level));
    for (unsigned int level = 1; level < errors.size(); ++level)
    {
      const double l2_rate =
          std::log2(errors[level - 1].first / errors[level].first);
      const double h1_rate =
          std::log2(errors[level - 1].second / errors[level].second);
      BOOST_TEST_MESSAGE("Q" << degree << " h = 1/" << (coarsest << level)
                             << ": L2 " << errors[level].first << " (rate "
                             << l2_rate << "), H1 " << errors[level].second
                             << " (rate " << h1_rate << ")");
      if (level == errors.size() - 1)
      {
        // optimal rates: degree + 1 in L2, degree in H1
        BOOST_TEST(l2_rate > degree + 1 - 0.15);
        BOOST_TEST(h1_rate > degree - 0.1);
      }
    }
  }
} // namespace

BOOST_AUTO_TEST_CASE(manufactured_solution_converges_optimally_q1)
{
  check_convergence(1, 4);
}

BOOST_AUTO_TEST_CASE(manufactured_solution_converges_optimally_q2)
{
  check_convergence(2, 2);
}

BOOST_AUTO_TEST_CASE(solver_failure_is_reported)
{
  auto setup = set_up("diverge", R"(
subsection Geometry
  set Callus refinements = 0
end
subsection Linear solver
  set Preconditioner = jacobi
  set Maximum iterations = 3
end
)");
  BOOST_CHECK_EXCEPTION(setup->mechanics->solve(),
                        ComputationError,
                        MessageContains{"did not converge"});
}

BOOST_AUTO_TEST_CASE(condition_on_missing_boundary_is_named)
{
  BOOST_CHECK_EXCEPTION(set_up("missing_boundary", R"(
subsection Geometry
  set Callus refinements = 0
end
subsection Boundary conditions
  set Symmetry = symmetry
end
)"),
                        InputError,
                        MessageContains{"no boundary 'symmetry'"});
}

BOOST_AUTO_TEST_CASE(gamg_and_boomeramg_agree)
{
  const std::string base = R"(
subsection Geometry
  set Callus refinements = 0
end
subsection Linear solver
  set Relative tolerance = 1e-10
)";
  auto amg  = set_up("amg", base + "  set Preconditioner = boomeramg\nend\n");
  auto gamg = set_up("gamg", base + "  set Preconditioner = gamg\nend\n");
  amg->mechanics->solve();
  gamg->mechanics->solve();
  BOOST_TEST(amg->mechanics->compute_quantities().axial_ifm() ==
                 gamg->mechanics->compute_quantities().axial_ifm(),
             boost::test_tools::tolerance(1e-6));
}

BOOST_AUTO_TEST_CASE(failed_reused_preconditioner_is_rebuilt)
{
  // Stiffening every material a thousand-fold leaves yesterday's GAMG
  // smoother (its Jacobi diagonal and Chebyshev bounds) far off today's
  // matrix: solving with it fails, and the solver must start again with a
  // fresh hierarchy instead of stopping the run.
  auto       setup     = set_up("reuse_fails", R"(
subsection Geometry
  set Callus refinements = 0
end
subsection Linear solver
  set Preconditioner = gamg
  set Maximum iterations = 200
end
)");
  auto      &mechanics = *setup->mechanics;
  const auto first     = mechanics.solve(false);
  BOOST_TEST(!first.linear.rebuilt_after_failure);
  const double soft_ifm = mechanics.compute_quantities().axial_ifm();

  const double factor   = 1000.;
  auto        &material = mechanics.material();
  for (const auto &cell : mechanics.dof_handler().active_cell_iterators())
    if (cell->is_locally_owned())
      for (unsigned int q = 0; q < material.n_quadrature_points(); ++q)
      {
        material(cell, q).lambda *= factor;
        material(cell, q).mu *= factor;
      }
  const auto second = mechanics.solve(true);
  BOOST_TEST(second.linear.rebuilt_after_failure);
  BOOST_TEST(!second.linear.reused_preconditioner);
  // force control: a thousand times stiffer moves a thousand times less
  BOOST_TEST(mechanics.compute_quantities().axial_ifm() == soft_ifm / factor,
             boost::test_tools::tolerance(1e-6));
}

// A quarter model (planes normal to x and y): a force on an end face is
// the sum of its four mirror images (only its axial part survives); on a
// symmetry plane itself the images in its own plane are the other half's.
BOOST_AUTO_TEST_CASE(mirror_symmetry_of_a_quarter_model)
{
  MirrorSymmetry quarter;
  quarter.add_plane(Boundary::symmetry, 0, 0.);
  quarter.add_plane(Boundary::outer, 1, 0.);
  BOOST_TEST(quarter.images() == 4u);
  const dealii::Tensor<1, 3> part({1., 2., 3.});
  const auto end_face = quarter.whole_body_force(part, Boundary::proximal);
  BOOST_TEST(end_face[0] == 0.);
  BOOST_TEST(end_face[1] == 0.);
  BOOST_TEST(end_face[2] == 12.);
  const auto plane = quarter.whole_body_force(part, Boundary::symmetry);
  BOOST_TEST(plane[0] == 2.); // its x part is not mirrored away
  BOOST_TEST(plane[1] == 0.);
  BOOST_TEST(plane[2] == 6.);
  BOOST_TEST(quarter.area_factor(Boundary::proximal) == 4.);
  BOOST_TEST(quarter.area_factor(Boundary::symmetry) == 2.);
  BOOST_CHECK_EXCEPTION(quarter.add_plane(Boundary::distal, 0, 1.),
                        InputError,
                        MessageContains{"normal to the same axis"});
  BoundaryConditionParameters bc;
  bc.force[Boundary::proximal] = dealii::Tensor<1, 3>({0., 0., -500.});
  quarter.check_loads_are_symmetric(bc);
  bc.force[Boundary::proximal][0] = 10.;
  BOOST_CHECK_EXCEPTION(quarter.check_loads_are_symmetric(bc),
                        InputError,
                        MessageContains{"would be mirrored into the opposite"});
}

// The coarse modes of the two-level preconditioner: on each side of the
// gap's mid-plane, the six rigid motions of that side and nothing on the
// other; none for a bone without a gap.
BOOST_AUTO_TEST_CASE(rigid_body_modes_of_the_fragments)
{
  using namespace dealii;
  const auto modes_of = [](const ElasticitySolver &mechanics)
  {
    const auto &dofs = mechanics.dof_handler();
    return fragment_rigid_body_modes(dofs,
                                     AffineConstraints<double>(),
                                     owned_dof_locations(dofs),
                                     dofs.locally_owned_dofs(),
                                     MPI_COMM_WORLD);
  };

  BOOST_TEST(
      modes_of(*set_up("modes_intact", intact_bar_case)->mechanics).empty());

  auto        setup = set_up("modes_gap", soft_gap_bar_case);
  const auto &dofs  = setup->mechanics->dof_handler();
  const auto  modes = modes_of(*setup->mechanics);
  BOOST_TEST(modes.size() == 12u);
  // the gap's mid-plane (the gap is a uniform layer)
  double low_gap = 1e300, high_gap = -1e300;
  for (const auto &cell : dofs.active_cell_iterators())
    if (cell->is_locally_owned() &&
        cell->material_id() == static_cast<types::material_id>(Region::gap))
      for (const auto v : cell->vertex_indices())
      {
        low_gap  = std::min(low_gap, cell->vertex(v)[2]);
        high_gap = std::max(high_gap, cell->vertex(v)[2]);
      }
  const double split = 0.5 * (Utilities::MPI::min(low_gap, MPI_COMM_WORLD) +
                              Utilities::MPI::max(high_gap, MPI_COMM_WORLD));
  const FEValuesExtractors::Vector displacement(0);
  FEValues<3>                      centre(
      dofs.get_fe(), QGauss<3>(1), update_gradients | update_values);
  double largest_strain = 0, largest_value_elsewhere = 0, largest_value = 0;
  for (unsigned int m = 0; m < modes.size(); ++m)
  {
    IndexSet relevant;
    DoFTools::extract_locally_relevant_dofs(dofs, relevant);
    PETScWrappers::MPI::Vector ghosted(
        dofs.locally_owned_dofs(), relevant, MPI_COMM_WORLD);
    ghosted                                 = modes[m];
    const unsigned int                 side = m / 6; // 0: above the plane
    std::vector<SymmetricTensor<2, 3>> strain(1);
    std::vector<Tensor<1, 3>>          value(1);
    for (const auto &cell : dofs.active_cell_iterators())
      if (cell->is_locally_owned())
      {
        double lowest = 1e300, highest = -1e300;
        for (const auto v : cell->vertex_indices())
        {
          lowest  = std::min(lowest, cell->vertex(v)[2]);
          highest = std::max(highest, cell->vertex(v)[2]);
        }
        const bool above = lowest >= split, below = highest < split;
        if (!above && !below)
          continue; // cut by the plane
        centre.reinit(cell);
        centre[displacement].get_function_symmetric_gradients(ghosted, strain);
        centre[displacement].get_function_values(ghosted, value);
        if ((side == 0) == above)
        {
          largest_strain = std::max(largest_strain, strain[0].norm());
          largest_value  = std::max(largest_value, value[0].norm());
        }
        else
          largest_value_elsewhere =
              std::max(largest_value_elsewhere, value[0].norm());
      }
  }
  largest_strain = Utilities::MPI::max(largest_strain, MPI_COMM_WORLD);
  largest_value  = Utilities::MPI::max(largest_value, MPI_COMM_WORLD);
  largest_value_elsewhere =
      Utilities::MPI::max(largest_value_elsewhere, MPI_COMM_WORLD);
  // rigid on its own side (Q1 interpolates rigid motions exactly), and of
  // order one there; zero on the other side
  BOOST_TEST(largest_strain < 1e-12);
  BOOST_TEST(largest_value > 0.1);
  BOOST_TEST(largest_value_elsewhere == 0.);
}

BOOST_AUTO_TEST_SUITE_END()
