#ifndef OSSIFY_MECHANICS_ELASTICITY_H
#define OSSIFY_MECHANICS_ELASTICITY_H

#include "base/quadrature_point_data.h"
#include "geometry/bone_mesh.h"
#include "mechanics/face_moments.h"
#include "mechanics/linear_solver.h"
#include "mechanics/mechanics_parameters.h"
#include "mechanics/strain_measures.h"
#include "mechanics/symmetry.h"

#include <deal.II/base/function.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/fe_system.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/petsc_sparse_matrix.h>
#include <deal.II/lac/petsc_vector.h>
#include <deal.II/lac/vector.h>

#include <array>
#include <map>
#include <memory>
#include <vector>

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
    /// Best-fit rotation of each labelled boundary [rad] about the axes
    /// through the centroid of its load-bearing faces.
    std::map<Boundary, dealii::Tensor<1, 3>> mean_boundary_rotation;
    /// Rotation of the proximal minus the distal cortical faces at the gap
    /// [rad] (bending about x and y, twist about z); zero without a gap.
    dealii::Tensor<1, 3> interfragmentary_rotation;
    /// Applied moment on each boundary with a 'Total moment' [N mm].
    std::map<Boundary, dealii::Tensor<1, 3>> boundary_moment;
    /// Proximal moment / rotation of the proximal relative to the distal
    /// end, per axis along which a moment is applied [N mm/rad]; else 0.
    dealii::Tensor<1, 3> rotational_stiffness;
    /// Force acting on each loaded or held boundary [N]: the applied total
    /// force, or the reaction where the displacement is prescribed.
    std::map<Boundary, dealii::Tensor<1, 3>> boundary_force;
    /// Axial force through the construct / axial shortening between the
    /// end faces [N/mm]; 0 if undefined. With a pre-tensioned implant the
    /// shortening the preload alone causes is left out.
    double axial_stiffness = 0;
    /// Interfragmentary movement the preload of a pre-tensioned implant
    /// causes alone [mm] (included in interfragmentary_movement).
    dealii::Tensor<1, 3> preload_interfragmentary_movement;

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
    /// CG iterations of the preload's own solve (pre-tensioned implants)
    unsigned int preload_iterations = 0;
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

    /// Area moments of the load-bearing faces of a boundary (after setup).
    const FaceMoments &load_face_moments(Boundary boundary) const;

    /**
     * How many copies of the mesh, mirrored in its symmetry planes, make
     * the whole body: 1, or 2 per 'Symmetry' boundary (half and quarter
     * models). Loads are given for the whole body, and areas, forces and
     * stiffnesses are reported for it; a volume integrated over the mesh
     * is multiplied by this (after setup).
     */
    unsigned int
    mirror_images() const
    {
      return symmetry.images();
    }

  private:
    void make_constraints();
    /// Moments of the load-bearing faces of every boundary, and the
    /// rotational springs of a 'Rotational support'. Throws InputError for
    /// a moment or rotational support on a face that is not a plane normal
    /// to an axis.
    void
    compute_face_geometry(const std::map<Boundary, unsigned int> &normal_axis,
                          const std::map<Boundary, bool>         &planar);
    void assemble();
    /// Area and (unless not @p with_displacement, before any solve)
    /// displacement moments of the faces selected by @p on_face, whose
    /// normal is along @p axis.
    template <typename FaceSelector>
    FaceMoments integrate_over_faces(const FaceSelector &on_face,
                                     unsigned int        axis,
                                     bool with_displacement = true) const;
    /// The same for the displacement @p field (ghosted; null: none).
    template <typename FaceSelector>
    FaceMoments
    integrate_over_faces(const FaceSelector                       &on_face,
                         unsigned int                              axis,
                         const dealii::PETScWrappers::MPI::Vector *field) const;
    /// Whether @p cell belongs to the pre-tensioned part of an implant.
    bool in_prestrained_part(
        const dealii::DoFHandler<3>::active_cell_iterator &cell) const;
    /// Eigenstrain of a pre-tensioned implant in @p cell, whose material is
    /// @p law at the point; zero elsewhere.
    SymmetricTensor3
    prestrain_in(const dealii::DoFHandler<3>::active_cell_iterator &cell,
                 const IsotropicElasticity                         &law) const;
    /// Adds the load of the eigenstrain at point @p q of @p cell,
    /// int (C : eps_0) : eps(phi_i), to @p cell_rhs.
    void
    add_prestrain_load(const dealii::DoFHandler<3>::active_cell_iterator &cell,
                       const dealii::FEValues<3> &fe_values,
                       unsigned int               q,
                       dealii::Vector<double>    &cell_rhs) const;
    /// Assembles the right-hand side of the preload alone (no load).
    void assemble_preload_rhs(dealii::PETScWrappers::MPI::Vector &rhs) const;
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
    /// the response to the preload alone (with a pre-tensioned implant),
    /// owned and with ghosts
    dealii::PETScWrappers::MPI::Vector preload_solution;
    dealii::PETScWrappers::MPI::Vector ghosted_preload_solution;
    /// cross-section of the pre-tensioned part [mm^2], whole body
    double                                   prestrained_area = 0;
    QuadraturePointData<IsotropicElasticity> materials;
    std::map<Boundary, double>               area;
    /// area of the load-bearing faces of each boundary [mm^2]; a boundary
    /// without any loads through all its faces
    std::map<Boundary, double> loaded_area;
    /// moments of the load-bearing faces of each boundary
    std::map<Boundary, FaceMoments> face_geometry;
    /// The rotational part of a 'Rotational support' beyond what uniform
    /// springs give: K += extra_stiffness_d w_d w_d^T over the face DoFs,
    /// w_d the weights of the best-fit rotation about axis d.
    struct RotationalSpring
    {
      dealii::Tensor<1, 3> extra_stiffness; ///< [N mm/rad]
      std::vector<dealii::types::global_dof_index> dofs;
      std::vector<std::array<double, 3>>           weights; ///< [1/mm] per dof
      /// constrained DoFs are left out of the block (hanging nodes on an
      /// end face are not expected)
      std::vector<bool> constrained;
    };
    std::vector<RotationalSpring> rotational_springs;
    /// the planes of a half or quarter model (none: the whole body)
    MirrorSymmetry                             symmetry;
    double                                     load_factor    = 1.0;
    double                                     support_factor = 1.0;
    std::shared_ptr<const dealii::Function<3>> body_force;
    std::map<Boundary, std::shared_ptr<const dealii::Function<3>>>
                                            displacement_functions;
    std::unique_ptr<ElasticityLinearSolver> linear_solver;
  };
} // namespace Ossify

#endif
