#ifndef OSSIFY_MECHANICS_LINEAR_SOLVER_H
#define OSSIFY_MECHANICS_LINEAR_SOLVER_H

#include "mechanics/mechanics_parameters.h"

#include <deal.II/lac/petsc_sparse_matrix.h>
#include <deal.II/lac/petsc_vector.h>

#include <deal.II/lac/lapack_full_matrix.h>
#include <deal.II/lac/vector.h>

#include <petscksp.h>

#include <string>
#include <vector>

namespace Ossify
{
  /// What one linear solve cost.
  struct LinearSolveStatistics
  {
    unsigned int iterations            = 0;
    double       residual_norm         = 0; ///< final unpreconditioned [N]
    double       setup_seconds         = 0; ///< preconditioner set-up
    double       solve_seconds         = 0; ///< Krylov iterations
    bool         reused_preconditioner = false;
    /// the reused preconditioner failed and a fresh one solved the system
    bool rebuilt_after_failure = false;
  };

  /**
   * Krylov solver with algebraic multigrid for the vector elasticity system,
   * on PETSc's KSP directly so that the preconditioner can be tuned for
   * elasticity (nodal block size, HMIS coarsening, rigid-body near null
   * space) and reused across the slowly changing daily systems.
   *
   * PETSc options with the prefix "ossify_elasticity_" (e.g. in
   * PETSC_OPTIONS) override the settings made here.
   */
  class ElasticityLinearSolver
  {
  public:
    ElasticityLinearSolver(const LinearSolverParameters &parameters,
                           MPI_Comm                      communicator);
    ~ElasticityLinearSolver();

    ElasticityLinearSolver(const ElasticityLinearSolver &)            = delete;
    ElasticityLinearSolver &operator=(const ElasticityLinearSolver &) = delete;

    /**
     * Declares the matrix for the next solves. @p coordinates holds the
     * support point coordinates of every locally owned DoF (x, y, z of a
     * node consecutive); when the DoFs come in such nodal triples the
     * matrix gets block size 3 and GAMG the six rigid-body modes.
     *
     * @p coarse_modes, when given, are displacement fields of low energy
     * that AMG misses: the rigid motions of a bone fragment held only by
     * soft tissue. The preconditioner then solves exactly on their span
     * and applies the AMG cycle B to the rest (balancing: with Q =
     * W (W^T A W)^+ W^T, M = Q + (I - Q A) B (I - A Q)), which stays
     * symmetric positive definite for CG.
     */
    void set_matrix(
        dealii::PETScWrappers::MPI::SparseMatrix       &matrix,
        const dealii::PETScWrappers::MPI::Vector       &coordinates,
        bool                                            nodal_blocks,
        std::vector<dealii::PETScWrappers::MPI::Vector> coarse_modes = {});

    /**
     * Solves A x = b with x as initial guess. With @p reuse_preconditioner
     * the AMG hierarchy of the previous solve is kept although the matrix
     * values changed; should that solve fail, a fresh hierarchy solves it
     * again from the same initial guess (not when the hierarchy was built
     * for these very values: then there is nothing fresher). Throws
     * ComputationError when the solver does not converge with a fresh
     * hierarchy, naming iterations and residual.
     */
    LinearSolveStatistics solve(dealii::PETScWrappers::MPI::Vector       &x,
                                const dealii::PETScWrappers::MPI::Vector &b,
                                bool reuse_preconditioner);

  private:
    /// The outcome of one solve: converged, or why not.
    struct Attempt
    {
      LinearSolveStatistics statistics;
      bool                  converged = false;
      std::string           failure;
    };

    /**
     * One solve with the preconditioner kept or rebuilt. A divergence is
     * reported in the result (the caller may try again); a PETSc error
     * throws ComputationError on every rank.
     */
    Attempt attempt(dealii::PETScWrappers::MPI::Vector       &x,
                    const dealii::PETScWrappers::MPI::Vector &b,
                    bool reuse_preconditioner);
    void set_default_option(const std::string &name, const std::string &value);
    /// Sets @p pc up as the configured AMG (or Jacobi).
    void configure_amg(PC pc);
    /// W^T A W for today's matrix values, pseudo-inverted (no-op when current)
    void                  update_coarse_operator();
    static PetscErrorCode set_up_two_level(PC pc);
    static PetscErrorCode apply_two_level(PC pc, Vec r, Vec z);

    LinearSolverParameters parameters;
    MPI_Comm               communicator;
    KSP                    ksp;
    Mat                    matrix             = nullptr;
    bool                   has_preconditioner = false;
    /// the matrix values the preconditioner was last built for
    PetscObjectState setup_state = 0;

    /// with coarse modes: the AMG inside the two-level preconditioner
    PC                                              amg = nullptr;
    std::vector<dealii::PETScWrappers::MPI::Vector> coarse_modes;
    std::vector<Vec>                                coarse_vecs;
    /// A w for each coarse mode w, for today's matrix
    std::vector<dealii::PETScWrappers::MPI::Vector> coarse_products;
    std::vector<Vec>                                coarse_product_vecs;
    dealii::PETScWrappers::MPI::Vector              coarse_residual;
    /// work space of the coarse correction (no allocation per iteration)
    dealii::Vector<double> coarse_projection, coarse_coefficients,
        coarse_correction;
    /// (W^T A W)^+ and the matrix values it was computed for
    dealii::LAPACKFullMatrix<double> coarse_inverse;
    PetscObjectState                 coarse_state        = 0;
    bool                             has_coarse_operator = false;
  };
} // namespace Ossify

#endif
