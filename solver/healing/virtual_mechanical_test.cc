#include "healing/virtual_mechanical_test.h"

#include "base/input_error.h"

#include <cmath>

namespace Ossify
{
  void
  VirtualTestParameters::declare_parameters(dealii::ParameterHandler &prm)
  {
    using namespace dealii::Patterns;
    prm.enter_subsection("Virtual mechanical test");
    prm.declare_entry(
        "Interval",
        "7",
        Integer(0, 10000),
        "Test the healing bone's bending stiffness with the fixation "
        "removed every this many days, and on the last day [day]; 0: never. "
        "Each test is one extra elasticity solve on the same mesh.");
    prm.declare_entry("Bending axis",
                      "x",
                      Selection("x|y"),
                      "Axis of the bending moment on the proximal end [-]. "
                      "In a half model it must be normal to the symmetry "
                      "plane.");
    prm.declare_entry(
        "Union bending stiffness",
        "15",
        Double(0, 1e4),
        "Union by the virtual test: the bending stiffness over the gauge "
        "length has reached this [N m/deg]. 15 N m/deg is the fracture "
        "stiffness at which tibial fractures in external fixators were "
        "judged healed, the fixator removed without refracture (Richardson "
        "et al. 1994, J Bone Joint Surg Br 76:389; Webb et al. 1996, Injury "
        "27:319; mechanobiology.md 4); delayed unions stayed under 5 "
        "N m/deg at 20 weeks (Joslin et al. 2008).");
    prm.declare_entry(
        "Gauge length",
        "0",
        Double(0, 1e4),
        "Length over which the bending angle is measured [mm], as between "
        "the innermost pins of a fixator in clinical and ovine measurements "
        "(Richardson et al. 1994; Hente et al. 2003, Biomed Eng Online 2:8); "
        "the intact bone that a gauge longer than the modelled segment adds "
        "is added in series (docs/healing.md). 0: the modelled segment "
        "itself. Otherwise at least the segment's length.");
    prm.leave_subsection();
  }

  void
  VirtualTestParameters::parse_parameters(dealii::ParameterHandler &prm)
  {
    prm.enter_subsection("Virtual mechanical test");
    interval        = prm.get_integer("Interval");
    bending_axis    = prm.get("Bending axis") == "y" ? 1 : 0;
    union_stiffness = prm.get_double("Union bending stiffness");
    gauge_length    = prm.get_double("Gauge length");
    prm.leave_subsection();
  }

  namespace
  {
    constexpr const char *section = "Healing/Outcomes/Virtual mechanical test";

    BoundaryConditionParameters
    test_conditions_for(const BoundaryConditionParameters &of_case,
                        const VirtualTestParameters       &test)
    {
      BoundaryConditionParameters test_conditions;
      test_conditions.symmetry                = of_case.symmetry;
      test_conditions.load_bearing_regions    = of_case.load_bearing_regions;
      test_conditions.fixed[Boundary::distal] = {{true, true, true}};
      // The stiffness is moment / rotation, whatever the moment: 1 N m.
      dealii::Tensor<1, 3> moment;
      moment[test.bending_axis]                  = 1000.;
      test_conditions.moment[Boundary::proximal] = moment;
      return test_conditions;
    }

    /// Sets up @p mechanics, or throws an InputError naming this section.
    void
    set_up(ElasticitySolver &mechanics)
    {
      try
      {
        mechanics.setup();
      }
      catch (const InputError &e)
      {
        throw InputError(
            section,
            "Interval",
            std::string("the bending test with the fixation "
                        "removed cannot be set up on this case (") +
                e.what() + "); set Interval = 0 to leave it out");
      }
    }
  } // namespace

  VirtualMechanicalTest::VirtualMechanicalTest(
      const DistributedMesh             &mesh,
      const FiniteElementParameters     &fe_parameters,
      const LinearSolverParameters      &solver_parameters,
      const BoundaryConditionParameters &case_conditions,
      const VirtualTestParameters       &parameters)
      : mechanics(mesh,
                  fe_parameters,
                  solver_parameters,
                  test_conditions_for(case_conditions, parameters))
      , parameters(parameters)
  {
    set_up(mechanics);
    length = mechanics.load_face_moments(Boundary::proximal).centroid()[2] -
             mechanics.load_face_moments(Boundary::distal).centroid()[2];
    if (!(length > 0))
      throw InputError(section,
                       "Interval",
                       "the test needs the proximal end above the distal end "
                       "along z; this mesh's end faces are " +
                           std::to_string(length) +
                           " mm apart; set Interval = 0");
    if (parameters.gauge_length > 0 && parameters.gauge_length < length)
      throw InputError(section,
                       "Gauge length",
                       std::to_string(parameters.gauge_length) +
                           " mm is shorter than the modelled segment (" +
                           std::to_string(length) +
                           " mm); give 0 (the segment) or at least its "
                           "length");
  }

  bool
  VirtualMechanicalTest::due(const unsigned int day,
                             const unsigned int n_days) const
  {
    return parameters.enabled() &&
           (day % parameters.interval == 0 || day == n_days);
  }

  double
  VirtualMechanicalTest::segment_stiffness(
      const QuadraturePointData<IsotropicElasticity> &material,
      const dealii::types::material_id                implant,
      const IsotropicElasticity                      &removed)
  {
    auto &test_material = mechanics.material();
    test_material       = material;
    for (const auto &cell : mechanics.dof_handler().active_cell_iterators())
      if (cell->is_locally_owned() && cell->material_id() == implant)
        for (unsigned int q = 0; q < test_material.n_quadrature_points(); ++q)
          test_material(cell, q) = removed;
    try
    {
      mechanics.solve();
    }
    catch (const ComputationError &e)
    {
      throw ComputationError(std::string(section) +
                             ": the bending solve with the fixation removed "
                             "failed: " +
                             e.what());
    }
    return mechanics.compute_quantities()
        .rotational_stiffness[parameters.bending_axis];
  }

  void
  VirtualMechanicalTest::set_intact(const double segment_stiffness)
  {
    intact = segment_stiffness;
  }

  double
  VirtualMechanicalTest::gauge_length() const
  {
    return parameters.gauge_length > 0 ? parameters.gauge_length : length;
  }

  double
  VirtualMechanicalTest::over_gauge_length(const double segment_stiffness) const
  {
    // N mm/rad -> N m/deg
    constexpr double to_newton_metre_per_degree = 1e-3 * M_PI / 180.;
    if (std::isnan(segment_stiffness)) // a day without a test
      return segment_stiffness;
    if (!(segment_stiffness > 0))
      return 0.;
    const double flexural_rigidity = intact * length; // [N mm^2]
    const double compliance =
        1. / segment_stiffness + (gauge_length() - length) / flexural_rigidity;
    return to_newton_metre_per_degree / compliance;
  }
} // namespace Ossify
