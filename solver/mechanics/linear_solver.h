#ifndef OSSIFY_MECHANICS_LINEAR_SOLVER_H
#define OSSIFY_MECHANICS_LINEAR_SOLVER_H

#include "mechanics/mechanics_parameters.h"

#include <deal.II/lac/petsc_sparse_matrix.h>
#include <deal.II/lac/petsc_vector.h>

#include <petscksp.h>

#include <string>

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
     */
    void set_matrix(dealii::PETScWrappers::MPI::SparseMatrix &matrix,
                    const dealii::PETScWrappers::MPI::Vector &coordinates,
                    bool                                      nodal_blocks);

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

    LinearSolverParameters parameters;
    MPI_Comm               communicator;
    KSP                    ksp;
    Mat                    matrix             = nullptr;
    bool                   has_preconditioner = false;
    /// the matrix values the preconditioner was last built for
    PetscObjectState setup_state = 0;
  };
} // namespace Ossify

#endif
