#ifndef OSSIFY_MECHANICS_MECHANICS_PARAMETERS_H
#define OSSIFY_MECHANICS_MECHANICS_PARAMETERS_H

#include "geometry/regions.h"

#include <deal.II/base/parameter_handler.h>
#include <deal.II/base/tensor.h>

#include <array>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace Ossify
{
  /// Section "Finite element".
  struct FiniteElementParameters
  {
    unsigned int degree;

    static void declare_parameters(dealii::ParameterHandler &prm);
    void        parse_parameters(dealii::ParameterHandler &prm);
  };

  /// Section "Linear solver": Krylov method and preconditioner (PETSc).
  struct LinearSolverParameters
  {
    std::string  method;         ///< "cg" or "gmres"
    std::string  preconditioner; ///< "boomeramg", "gamg" or "jacobi"
    double       relative_tolerance;
    double       absolute_tolerance;
    unsigned int max_iterations;
    double       amg_strong_threshold;

    static void declare_parameters(dealii::ParameterHandler &prm);
    void        parse_parameters(dealii::ParameterHandler &prm);
  };

  /**
   * Section "Boundary conditions". Each entry maps boundary names to data:
   * - Fixed: components held at zero, e.g. "distal: xyz, proximal: xy".
   * - Prescribed displacement: "proximal: 0 0 -0.1" [mm], all components.
   * - Total force: "proximal: 0 0 -500" [N], spread uniformly over the face.
   * - Total moment: "proximal: 5000 0 0" [N mm] about the face centroid.
   * - Elastic support / Rotational support: lumped springs to the ground.
   * - Symmetry: plane boundaries whose normal displacement is zero.
   */
  /**
   * A pre-tensioned part of an implant (the explicit compression plate):
   * the cells of @p region whose centre lies at least @p min_radius from
   * the bone axis and between @p z_min and @p z_max carry an axial
   * eigenstrain, as if that part were made @p shortening [mm] shorter, or
   * pulled with @p force [N] while the bone held its ends still (one of
   * the two, the other 0). Set by a fixation, not from the parameter file.
   */
  struct AxialPrestrain
  {
    Region region;
    double min_radius; ///< [mm]
    double z_min;      ///< [mm]
    double z_max;      ///< [mm]
    double shortening = 0;
    double force      = 0;
  };

  struct BoundaryConditionParameters
  {
    std::map<Boundary, std::array<bool, 3>>  fixed;
    std::map<Boundary, dealii::Tensor<1, 3>> displacement;
    std::map<Boundary, dealii::Tensor<1, 3>> force;
    /// moments about the centroid of the load-bearing faces [N mm]
    std::map<Boundary, dealii::Tensor<1, 3>> moment;
    std::vector<Boundary>                    symmetry;
    /// total spring stiffness per component [N/mm], spread over the face
    std::map<Boundary, dealii::Tensor<1, 3>> elastic_support;
    /// rotational stiffness of those springs about x, y, z [N mm/rad]
    std::map<Boundary, dealii::Tensor<1, 3>> rotational_support;
    /// constant forces of a pre-tensioned device [N], not scaled by the
    /// load schedule (set by a fixation, not from the parameter file)
    std::map<Boundary, dealii::Tensor<1, 3>> preload;
    /// a pre-tensioned implant part (explicit compression plate)
    std::optional<AxialPrestrain> prestrain;
    /// regions through whose faces forces and supports act (empty: all)
    std::set<Region> load_bearing_regions;

    static void declare_parameters(dealii::ParameterHandler &prm);
    void        parse_parameters(dealii::ParameterHandler &prm);
    /// The body must be held somehow, and no boundary may get two kinds.
    void check() const;
  };
} // namespace Ossify

#endif
