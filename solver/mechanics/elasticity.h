#ifndef OSSIFY_MECHANICS_ELASTICITY_H
#define OSSIFY_MECHANICS_ELASTICITY_H

#include "base/quadrature_point_data.h"
#include "geometry/bone_mesh.h"
#include "mechanics/linear_solver.h"
#include "mechanics/mechanics_parameters.h"
#include "mechanics/strain_measures.h"

#include <deal.II/base/function.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/fe_system.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/petsc_sparse_matrix.h>
#include <deal.II/lac/petsc_vector.h>

#include <map>
#include <memory>

namespace Ossify
{
  /// Strain and stress at one quadrature point, with the derived measures.
  struct MechanicalPointState
  {
    SymmetricTensor3 strain;
    SymmetricTensor3 stress;
    StrainMeasures   measures;
  };

  /// Integral results of one mechanics solve.
  struct MechanicalQuantities
  {
    /// Mean displacement of the proximal minus the distal cortical end
    /// across the gap [mm]; zero when the mesh has no gap.
    dealii::Tensor<1, 3> interfragmentary_movement;
    bool                 has_gap = false;
    /// Mean displacement of each labelled boundary [mm].
    std::map<Boundary, dealii::Tensor<1, 3>> mean_boundary_displacement;
    /// Force acting on each loaded or held boundary [N]: the applied total
    /// force, or the reaction where the displacement is prescribed.
    std::map<Boundary, dealii::Tensor<1, 3>> boundary_force;
    /// Axial force through the construct / axial shortening between the
    /// end faces [N/mm]; 0 if undefined.
    double axial_stiffness = 0;

    double
    axial_ifm() const
    {
      return interfragmentary_movement[2];
    }
    double
    shear_ifm() const
    {
      return std::hypot(interfragmentary_movement[0],
                        interfragmentary_movement[1]);
    }
  };

  /// Sizes and timings of one mechanics solve.
  struct ElasticityStatistics
  {
    dealii::types::global_dof_index n_dofs           = 0;
    unsigned long long              n_cells          = 0;
    double                          assembly_seconds = 0;
    LinearSolveStatistics           linear;
  };

  /**
   * Quasi-static small-strain linear elasticity on the distributed bone
   * mesh. Young's modulus and Poisson's ratio may differ at every
   * quadrature point: the caller fills material() before solve(). Units:
   * mm, N, MPa.
   */
  class ElasticitySolver
  {
  public:
    ElasticitySolver(const DistributedMesh             &mesh,
                     const FiniteElementParameters     &fe_parameters,
                     const LinearSolverParameters      &solver_parameters,
                     const BoundaryConditionParameters &boundary_conditions);

    /// Distributes DoFs, builds constraints and allocates the matrix.
    /// Throws InputError if a boundary condition names a boundary the mesh
    /// does not have, or a symmetry plane is not axis-aligned.
    void setup();

    /// Per-quadrature-point elastic constants, indexed by (cell, q).
    QuadraturePointData<IsotropicElasticity>       &material();
    const QuadraturePointData<IsotropicElasticity> &material() const;

    const dealii::Quadrature<3> &quadrature() const;

    /// Scales every prescribed force and displacement (load schedules).
    void set_load_factor(double factor);

    /// Scales the elastic supports and the preloads (dynamisation of a
    /// fixation).
    void set_support_factor(double factor);

    /// Verification hooks (manufactured solutions): a body force with three
    /// components [N/mm^3], and a displacement field [mm] that replaces the
    /// constant vector of a boundary listed under 'Prescribed displacement'.
    /// Call before setup().
    void set_body_force(std::shared_ptr<const dealii::Function<3>> force);
    void set_boundary_displacement_function(
        Boundary boundary, std::shared_ptr<const dealii::Function<3>> function);

    /// Assembles and solves; reuse the AMG hierarchy of the last solve if
    /// @p reuse_preconditioner. Throws ComputationError on failure.
    ElasticityStatistics solve(bool reuse_preconditioner = false);

    /// Strain, stress and derived measures at every locally owned
    /// quadrature point, from the last solution.
    void evaluate_point_states(
        QuadraturePointData<MechanicalPointState> &states) const;

    MechanicalQuantities compute_quantities() const;

    const dealii::DoFHandler<3> &dof_handler() const;

    /// The last solution with ghost entries, for output.
    const dealii::PETScWrappers::MPI::Vector &displacement() const;

    /// Area of the faces of a boundary through which loads act [mm^2].
    double load_area(Boundary boundary) const;

    /// Area of a boundary [mm^2] (collective).
    double boundary_area(Boundary boundary) const;

  private:
    void make_constraints();
    void assemble();
    /// Mean displacement over the faces selected by @p on_face.
    template <typename FaceSelector>
    std::pair<dealii::Tensor<1, 3>, double>
    integrate_over_faces(const FaceSelector &on_face) const;
    std::map<Boundary, dealii::Tensor<1, 3>> compute_reactions() const;
    /// Whether loads act through face @p f of @p cell (see 'Load-bearing
    /// regions'); false for faces not on a boundary.
    bool carries_load(const dealii::DoFHandler<3>::active_cell_iterator &cell,
                      unsigned int f) const;

    const DistributedMesh            &mesh;
    MPI_Comm                          communicator;
    BoundaryConditionParameters       boundary_conditions;
    dealii::FESystem<3>               fe;
    dealii::QGauss<3>                 cell_quadrature;
    dealii::QGauss<2>                 face_quadrature;
    dealii::DoFHandler<3>             dofs;
    dealii::IndexSet                  locally_owned_dofs;
    dealii::IndexSet                  locally_relevant_dofs;
    dealii::AffineConstraints<double> constraints;
    /// hanging nodes only: condenses the residual for the reactions
    dealii::AffineConstraints<double>        hanging_node_constraints;
    dealii::PETScWrappers::MPI::SparseMatrix system_matrix;
    dealii::PETScWrappers::MPI::Vector       system_rhs;
    dealii::PETScWrappers::MPI::Vector       solution;
    dealii::PETScWrappers::MPI::Vector       ghosted_solution;
    QuadraturePointData<IsotropicElasticity> materials;
    std::map<Boundary, double>               area;
    /// area of the load-bearing faces of each boundary [mm^2]; a boundary
    /// without any loads through all its faces
    std::map<Boundary, double> loaded_area;
    /// symmetry boundary -> displacement component normal to it
    std::map<Boundary, unsigned int>           symmetry_component;
    double                                     load_factor    = 1.0;
    double                                     support_factor = 1.0;
    std::shared_ptr<const dealii::Function<3>> body_force;
    std::map<Boundary, std::shared_ptr<const dealii::Function<3>>>
                                            displacement_functions;
    std::unique_ptr<ElasticityLinearSolver> linear_solver;
  };
} // namespace Ossify

#endif
