#ifndef OSSIFY_HEALING_VIRTUAL_MECHANICAL_TEST_H
#define OSSIFY_HEALING_VIRTUAL_MECHANICAL_TEST_H

#include "base/quadrature_point_data.h"
#include "mechanics/elasticity.h"
#include "tissue/tissue_parameters.h"

#include <deal.II/base/parameter_handler.h>

namespace Ossify
{
  /// Section "Healing/Outcomes/Virtual mechanical test".
  struct VirtualTestParameters
  {
    unsigned int interval;        ///< [day]; 0: no test
    unsigned int bending_axis;    ///< 0: x, 1: y
    double       union_stiffness; ///< [N m/deg] over the gauge length
    double       gauge_length;    ///< [mm]; 0: the modelled segment

    bool
    enabled() const
    {
      return interval > 0;
    }

    static void declare_parameters(dealii::ParameterHandler &prm);
    void        parse_parameters(dealii::ParameterHandler &prm);
  };

  /**
   * The mechanical test that experiments do on the healing bone with the
   * fixator removed (Richardson et al. 1994, Webb et al. 1996): the bending
   * stiffness of the fracture, as a fraction of the intact bone's and in
   * N m/deg over a gauge length. A second elasticity solve on the same mesh
   * and moduli as the healing mechanics, with the implants' cells as soft
   * as granulation tissue. Its loads and supports: the distal end clamped, a
   * pure bending moment on the proximal end, and nothing of the fixation
   * (no springs, preloads or pre-strain); the case's symmetry planes and
   * load-bearing regions are kept.
   *
   * Under a constant moment (four-point bending, or a clamped segment with
   * an end moment, as here) the rotation across a gauge length adds up
   * along it. A segment of length L whose end rotation is M / k has, over
   * a longer gauge length G that adds intact bone of flexural rigidity EI,
   * 1 / k_G = 1 / k + (G - L) / EI, with EI = k_intact L from the same test
   * on the intact segment (docs/healing.md, "Virtual mechanical test").
   */
  class VirtualMechanicalTest
  {
  public:
    /// Sets up the test's own mechanics on @p mesh. Throws InputError,
    /// naming this section, where the test cannot be set up (e.g. a mesh
    /// without labelled end faces) or the gauge length is too short.
    VirtualMechanicalTest(const DistributedMesh             &mesh,
                          const FiniteElementParameters     &fe_parameters,
                          const LinearSolverParameters      &solver_parameters,
                          const BoundaryConditionParameters &case_conditions,
                          const VirtualTestParameters       &parameters);

    /// Whether the test runs on @p day of a run of @p n_days.
    bool due(unsigned int day, unsigned int n_days) const;

    /// Bending stiffness M / rotation [N mm/rad] of the segment with the
    /// moduli @p material (the healing mechanics'); cells of @p implant
    /// get @p removed instead. Throws ComputationError if the solve fails.
    double
    segment_stiffness(const QuadraturePointData<IsotropicElasticity> &material,
                      dealii::types::material_id                      implant,
                      const IsotropicElasticity                      &removed);

    /// The same for the intact bone; must be called first.
    void set_intact(double segment_stiffness);

    double
    intact_segment_stiffness() const
    {
      return intact;
    }

    /// [mm] between the centroids of the end faces
    double
    segment_length() const
    {
      return length;
    }

    /// [mm]: the parameter, or the segment length for 0
    double gauge_length() const;

    /// @p segment_stiffness [N mm/rad] as measured over the gauge length,
    /// in N m/deg (NaN for NaN: a day without a test).
    double over_gauge_length(double segment_stiffness) const;

  private:
    ElasticitySolver      mechanics;
    VirtualTestParameters parameters;
    double                length = 0;
    double                intact = 0;
  };
} // namespace Ossify

#endif
