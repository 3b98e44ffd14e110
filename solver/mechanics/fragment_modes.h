#ifndef OSSIFY_MECHANICS_FRAGMENT_MODES_H
#define OSSIFY_MECHANICS_FRAGMENT_MODES_H

#include <deal.II/base/index_set.h>
#include <deal.II/base/point.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/petsc_vector.h>

#include <map>
#include <vector>

namespace Ossify
{
  /// Where an owned displacement DoF sits and which component it carries.
  struct DofLocation
  {
    dealii::Point<3> point;
    unsigned int     component = 0;
  };

  /// The support point and component of every locally owned DoF.
  std::map<dealii::types::global_dof_index, DofLocation>
  owned_dof_locations(const dealii::DoFHandler<3> &dofs);

  /**
   * The rigid-body modes of each side of the fracture: six fields
   * (three translations, three rotations about the side's centroid) that
   * move all DoFs on one side of the plane midway across the gap, normal to
   * the bone axis (z), and none on the other, twelve in all.
   * Constrained DoFs are left at zero.
   *
   * Why: a fragment held only by soft callus (a cast, a flexible fixator)
   * moves rigidly at almost no energy. AMG's coarse spaces miss these
   * motions, which were measured as six isolated eigenvalues of the
   * AMG-preconditioned operator near 1e-3 against a bulk above 5e-2 (the
   * plaster cast on the default mesh, day 0), and CG needed 70-100
   * iterations instead of about 30. The linear solver corrects exactly on
   * the span of these modes (ElasticityLinearSolver::set_matrix).
   *
   * Empty when the mesh has no cells of the gap region (an intact bone).
   */
  std::vector<dealii::PETScWrappers::MPI::Vector> fragment_rigid_body_modes(
      const dealii::DoFHandler<3>                                  &dofs,
      const dealii::AffineConstraints<double>                      &constraints,
      const std::map<dealii::types::global_dof_index, DofLocation> &owned,
      const dealii::IndexSet &locally_owned_dofs,
      MPI_Comm                communicator);
} // namespace Ossify

#endif
