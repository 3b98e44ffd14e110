#ifndef OSSIFY_HEALING_STEM_CELLS_H
#define OSSIFY_HEALING_STEM_CELLS_H

#include "base/quadrature_point_data.h"
#include "geometry/bone_mesh.h"
#include "healing/tissue_state.h"

#include <map>
#include <vector>

#include <deal.II/base/quadrature.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/petsc_precondition.h>
#include <deal.II/lac/petsc_sparse_matrix.h>
#include <deal.II/lac/petsc_vector.h>

#include <set>
#include <string>

namespace Ossify
{
  /// Section "Healing/Stem cells".
  struct StemCellParameters
  {
    double diffusivity; ///< [mm^2/day]
    std::set<std::string>
        sources; ///< bone, marrow, soft_tissue, callus_surface

    static void declare_parameters(dealii::ParameterHandler &prm);
    void        parse_parameters(dealii::ParameterHandler &prm);
  };

  /**
   * Migration of mesenchymal stem cells by diffusion, dn/dt = D lap(n)
   * (Lacroix & Prendergast 2002), with the normalised concentration
   * n / n_max held at 1 on the sources: the bone surfaces (periosteum,
   * endosteum and the fracture ends), the marrow, the soft tissue and the
   * outer surface of the callus, as selected. Implicit Euler in time; the
   * matrix and its AMG are built once.
   */
  class StemCellDiffusion
  {
  public:
    StemCellDiffusion(const DistributedMesh    &mesh,
                      const StemCellParameters &parameters);

    void setup(double time_step);

    /// One implicit Euler step of the set-up length. Returns CG iterations.
    unsigned int advance();

    /// Writes the concentration into the stem_cells of every locally owned
    /// quadrature point (same quadrature as @p states was built with).
    void evaluate(const dealii::Quadrature<3>      &quadrature,
                  QuadraturePointData<TissueState> &states) const;

    /// The concentration at the DoFs of every locally owned cell, by cell
    /// id, for a checkpoint.
    std::map<dealii::CellId, std::vector<double>> save() const;

    /// Restores the concentration from save()d cell values, which must
    /// cover every locally owned cell (written with any number of ranks).
    void load(const std::map<dealii::CellId, std::vector<double>> &values);

  private:
    void   assemble(bool with_matrix);
    double diffusivity_in(dealii::types::material_id region) const;

    const DistributedMesh                       &mesh;
    StemCellParameters                           parameters;
    dealii::FE_Q<3>                              fe;
    dealii::DoFHandler<3>                        dofs;
    dealii::AffineConstraints<double>            constraints;
    dealii::PETScWrappers::MPI::SparseMatrix     system_matrix;
    double                                       time_step_days = 1;
    dealii::PETScWrappers::MPI::Vector           solution, rhs;
    dealii::PETScWrappers::MPI::Vector           ghosted;
    dealii::PETScWrappers::PreconditionBoomerAMG preconditioner;
  };
} // namespace Ossify

#endif
