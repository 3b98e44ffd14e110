#include "healing/stem_cells.h"

#include "base/input_error.h"
#include "base/parameter_utilities.h"
#include "geometry/regions.h"

#include <deal.II/base/quadrature_lib.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/lac/dynamic_sparsity_pattern.h>
#include <deal.II/lac/petsc_solver.h>
#include <deal.II/lac/solver_control.h>
#include <deal.II/lac/sparsity_tools.h>

namespace Ossify
{
  using namespace dealii;

  void
  StemCellParameters::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Stem cells");
    prm.declare_entry("Diffusivity",
                      "0.5",
                      Patterns::Double(0, 100),
                      "Diffusion coefficient D of mesenchymal stem cells "
                      "[mm^2/day]. Ghiasi et al. 2019 baseline: 0.5.");
    prm.declare_entry(
        "Sources",
        "bone, marrow, soft_tissue, callus_surface",
        Patterns::MultipleSelection("bone|marrow|soft_tissue|callus_surface"),
        "Where the concentration is held at n_max: 'bone' "
        "(cortical bone: periosteum, endosteum, fracture "
        "ends), 'marrow', 'soft_tissue' (the sleeve region) "
        "and 'callus_surface' (the outer boundary of the "
        "callus, facing the surrounding muscle). Lacroix & "
        "Prendergast 2002 use periosteum, marrow and soft "
        "tissue.");
    prm.leave_subsection();
  }

  void
  StemCellParameters::parse_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Stem cells");
    diffusivity = prm.get_double("Diffusivity");
    sources.clear();
    for (const auto &s : Utilities::split_string_list(prm.get("Sources"), ','))
      sources.insert(s);
    prm.leave_subsection();
  }

  double
  StemCellDiffusion::diffusivity_in(const types::material_id id) const
  {
    // Cells cannot migrate through cortical bone or an implant.
    const auto region = static_cast<Region>(id);
    return region == Region::cortical || region == Region::implant
               ? 0.
               : parameters.diffusivity;
  }

  StemCellDiffusion::StemCellDiffusion(const DistributedMesh    &mesh,
                                       const StemCellParameters &parameters)
      : mesh(mesh)
      , parameters(parameters)
      , fe(1)
      , dofs(mesh)
  {
  }

  void
  StemCellDiffusion::setup(const double time_step)
  {
    const MPI_Comm comm = mesh.get_communicator();
    dofs.distribute_dofs(fe);
    const IndexSet owned = dofs.locally_owned_dofs();
    IndexSet       relevant;
    DoFTools::extract_locally_relevant_dofs(dofs, relevant);

    const auto region_is_source = [&](const types::material_id id)
    {
      const auto region = static_cast<Region>(id);
      return (region == Region::cortical && parameters.sources.count("bone")) ||
             (region == Region::marrow && parameters.sources.count("marrow")) ||
             (region == Region::soft_tissue &&
              parameters.sources.count("soft_tissue"));
    };

    constraints.clear();
    constraints.reinit(relevant);
    DoFTools::make_hanging_node_constraints(dofs, constraints);
    std::vector<types::global_dof_index> cell_dofs(fe.n_dofs_per_cell());
    std::vector<types::global_dof_index> face_dofs(fe.n_dofs_per_face());
    const auto hold = [&](const types::global_dof_index i)
    {
      if (!constraints.is_constrained(i))
      {
        constraints.add_line(i);
        constraints.set_inhomogeneity(i, 1.);
      }
    };
    for (const auto &cell : dofs.active_cell_iterators())
      if (!cell->is_artificial())
      {
        if (region_is_source(cell->material_id()))
        {
          cell->get_dof_indices(cell_dofs);
          for (const auto i : cell_dofs)
            hold(i);
        }
        if (parameters.sources.count("callus_surface") &&
            is_callus(cell->material_id()))
          for (const auto &face : cell->face_iterators())
            if (face->at_boundary() &&
                face->boundary_id() ==
                    static_cast<types::boundary_id>(Boundary::outer))
            {
              face->get_dof_indices(face_dofs);
              for (const auto i : face_dofs)
                hold(i);
            }
      }
    constraints.close();

    DynamicSparsityPattern dsp(relevant);
    DoFTools::make_sparsity_pattern(dofs, dsp, constraints, false);
    SparsityTools::distribute_sparsity_pattern(dsp, owned, comm, relevant);
    system_matrix.reinit(owned, owned, dsp, comm);
    solution.reinit(owned, comm);
    rhs.reinit(owned, comm);
    ghosted.reinit(owned, relevant, comm);

    time_step_days = time_step;
    assemble(true);

    solution = 0;
    constraints.distribute(solution);
    ghosted = solution;
    preconditioner.initialize(
        system_matrix,
        PETScWrappers::PreconditionBoomerAMG::AdditionalData(true));
  }

  void
  StemCellDiffusion::assemble(const bool with_matrix)
  {
    // Implicit Euler: (M + dt D K) n_new = M n_old. The matrix is built
    // once; the right-hand side each step, with the local matrix so that
    // the held values (inhomogeneous constraints) enter it correctly.
    const QGauss<3> quadrature(2);
    FEValues<3>     fe_values(
        fe, quadrature, update_values | update_gradients | update_JxW_values);
    const unsigned int                   n = fe.n_dofs_per_cell();
    FullMatrix<double>                   cell_system(n, n), cell_mass(n, n);
    Vector<double>                       cell_rhs(n), old_values(n);
    std::vector<types::global_dof_index> cell_dofs(n);
    if (with_matrix)
      system_matrix = 0;
    rhs = 0;
    for (const auto &cell : dofs.active_cell_iterators())
      if (cell->is_locally_owned())
      {
        fe_values.reinit(cell);
        cell_system    = 0;
        cell_mass      = 0;
        const double D = diffusivity_in(cell->material_id());
        for (const unsigned int q : fe_values.quadrature_point_indices())
          for (unsigned int i = 0; i < n; ++i)
            for (unsigned int j = 0; j < n; ++j)
            {
              const double m = fe_values.shape_value(i, q) *
                               fe_values.shape_value(j, q) * fe_values.JxW(q);
              cell_mass(i, j) += m;
              cell_system(i, j) += m + time_step_days * D *
                                           (fe_values.shape_grad(i, q) *
                                            fe_values.shape_grad(j, q)) *
                                           fe_values.JxW(q);
            }
        cell->get_dof_indices(cell_dofs);
        cell->get_dof_values(ghosted, old_values);
        cell_mass.vmult(cell_rhs, old_values);
        if (with_matrix)
          constraints.distribute_local_to_global(
              cell_system, cell_dofs, system_matrix);
        constraints.distribute_local_to_global(
            cell_rhs, cell_dofs, rhs, cell_system);
      }
    if (with_matrix)
      system_matrix.compress(VectorOperation::add);
    rhs.compress(VectorOperation::add);
  }

  unsigned int
  StemCellDiffusion::advance()
  {
    assemble(false);
    SolverControl control(1000, 1e-10 * std::max(rhs.l2_norm(), 1e-30));
    PETScWrappers::SolverCG cg(control);
    try
    {
      cg.solve(system_matrix, solution, rhs, preconditioner);
    }
    catch (const SolverControl::NoConvergence &e)
    {
      throw ComputationError(
          "the stem-cell diffusion solver did not converge: " +
          std::to_string(e.last_step) + " iterations, residual " +
          std::to_string(e.last_residual));
    }
    constraints.distribute(solution);
    ghosted = solution;
    return control.last_step();
  }

  std::map<CellId, std::vector<double>>
  StemCellDiffusion::save() const
  {
    std::map<CellId, std::vector<double>> values;
    Vector<double>                        cell_values(fe.n_dofs_per_cell());
    for (const auto &cell : dofs.active_cell_iterators())
      if (cell->is_locally_owned())
      {
        cell->get_dof_values(ghosted, cell_values);
        values[cell->id()].assign(cell_values.begin(), cell_values.end());
      }
    return values;
  }

  void
  StemCellDiffusion::load(const std::map<CellId, std::vector<double>> &values)
  {
    Vector<double> cell_values(fe.n_dofs_per_cell());
    for (const auto &cell : dofs.active_cell_iterators())
      if (cell->is_locally_owned())
      {
        const auto found = values.find(cell->id());
        if (found == values.end() || found->second.size() != cell_values.size())
          throw InputError("the checkpoint has no stem-cell values for cell " +
                           cell->id().to_string() +
                           "; it was written for another mesh");
        std::copy(
            found->second.begin(), found->second.end(), cell_values.begin());
        // DoFs shared with another rank's cells get the same value twice
        cell->set_dof_values(cell_values, solution);
      }
    solution.compress(VectorOperation::insert);
    ghosted = solution;
  }

  void
  StemCellDiffusion::evaluate(const Quadrature<3>              &quadrature,
                              QuadraturePointData<TissueState> &states) const
  {
    FEValues<3>         fe_values(fe, quadrature, update_values);
    std::vector<double> values(quadrature.size());
    for (const auto &cell : dofs.active_cell_iterators())
      if (cell->is_locally_owned())
      {
        fe_values.reinit(cell);
        fe_values.get_function_values(ghosted, values);
        for (unsigned int q = 0; q < values.size(); ++q)
          states(cell, q).stem_cells = std::clamp(values[q], 0., 1.);
      }
  }
} // namespace Ossify
