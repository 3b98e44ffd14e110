#include "mechanics/elasticity.h"

#include "base/input_error.h"

#include <deal.II/base/function.h>
#include <deal.II/base/timer.h>
#include <deal.II/base/utilities.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_q1.h>
#include <deal.II/lac/dynamic_sparsity_pattern.h>
#include <deal.II/lac/sparsity_tools.h>
#include <deal.II/numerics/vector_tools.h>

#include <cmath>
#include <set>

namespace Ossify
{
  using namespace dealii;

  namespace
  {
    ComponentMask
    mask_of(const std::array<bool, 3> &components)
    {
      return ComponentMask(
          std::vector<bool>(components.begin(), components.end()));
    }

    /// factor * f, for load schedules on prescribed displacement fields
    class ScaledFunction : public Function<3>
    {
    public:
      ScaledFunction(const Function<3> &f, const double factor)
          : Function<3>(f.n_components)
          , f(f)
          , factor(factor)
      {
      }
      double
      value(const Point<3> &p, const unsigned int c) const override
      {
        return factor * f.value(p, c);
      }

    private:
      const Function<3> &f;
      const double       factor;
    };

    std::string
    name_of(const Boundary b)
    {
      return boundary_name(static_cast<types::boundary_id>(b));
    }
  } // namespace

  ElasticitySolver::ElasticitySolver(
      const DistributedMesh             &mesh,
      const FiniteElementParameters     &fe_parameters,
      const LinearSolverParameters      &solver_parameters,
      const BoundaryConditionParameters &boundary_conditions)
      : mesh(mesh)
      , communicator(mesh.get_communicator())
      , boundary_conditions(boundary_conditions)
      , fe(FE_Q<3>(fe_parameters.degree), 3)
      , cell_quadrature(fe_parameters.degree + 1)
      , face_quadrature(fe_parameters.degree + 1)
      , dofs(mesh)
      , linear_solver(std::make_unique<ElasticityLinearSolver>(
            solver_parameters, communicator))
  {
  }

  QuadraturePointData<IsotropicElasticity> &
  ElasticitySolver::material()
  {
    return materials;
  }

  const QuadraturePointData<IsotropicElasticity> &
  ElasticitySolver::material() const
  {
    return materials;
  }

  const Quadrature<3> &
  ElasticitySolver::quadrature() const
  {
    return cell_quadrature;
  }

  const DoFHandler<3> &
  ElasticitySolver::dof_handler() const
  {
    return dofs;
  }

  const PETScWrappers::MPI::Vector &
  ElasticitySolver::displacement() const
  {
    return ghosted_solution;
  }

  bool
  ElasticitySolver::carries_load(
      const DoFHandler<3>::active_cell_iterator &cell,
      const unsigned int                         f) const
  {
    if (!cell->face(f)->at_boundary())
      return false;
    const auto b  = static_cast<Boundary>(cell->face(f)->boundary_id());
    const auto it = loaded_area.find(b);
    if (boundary_conditions.load_bearing_regions.empty() ||
        it == loaded_area.end() || it->second == 0.)
      return true; // all faces carry (by choice, or none is load-bearing)
    return boundary_conditions.load_bearing_regions.count(
               static_cast<Region>(cell->material_id())) > 0;
  }

  double
  ElasticitySolver::load_area(const Boundary boundary) const
  {
    const auto it = loaded_area.find(boundary);
    return it == loaded_area.end() || it->second == 0. ? boundary_area(boundary)
                                                       : it->second;
  }

  double
  ElasticitySolver::boundary_area(const Boundary boundary) const
  {
    const auto it = area.find(boundary);
    return it == area.end() ? 0. : it->second;
  }

  void
  ElasticitySolver::set_load_factor(const double factor)
  {
    if (factor != load_factor)
    {
      load_factor = factor;
      make_constraints();
    }
  }

  void
  ElasticitySolver::set_support_factor(const double factor)
  {
    support_factor = factor;
  }

  void
  ElasticitySolver::set_body_force(std::shared_ptr<const Function<3>> force)
  {
    body_force = std::move(force);
  }

  void
  ElasticitySolver::set_boundary_displacement_function(
      const Boundary boundary, std::shared_ptr<const Function<3>> function)
  {
    displacement_functions[boundary] = std::move(function);
  }

  void
  ElasticitySolver::setup()
  {
    dofs.distribute_dofs(fe);
    locally_owned_dofs = dofs.locally_owned_dofs();
    DoFTools::extract_locally_relevant_dofs(dofs, locally_relevant_dofs);

    // Areas and outward normals of every labelled boundary.
    FEFaceValues<3> fe_face_values(
        fe, face_quadrature, update_JxW_values | update_normal_vectors);
    std::vector<double> local_area(boundary_names().size(), 0.);
    std::vector<double> local_loaded(boundary_names().size(), 0.);
    const auto         &regions = boundary_conditions.load_bearing_regions;
    const auto          bearing = [&](const auto &cell)
    {
      return regions.empty() ||
             regions.count(static_cast<Region>(cell->material_id())) > 0;
    };
    std::vector<Tensor<1, 3>> abs_normal(boundary_names().size());
    for (const auto &cell : dofs.active_cell_iterators())
      if (cell->is_locally_owned())
        for (const unsigned int f : cell->face_indices())
          if (cell->face(f)->at_boundary() &&
              cell->face(f)->boundary_id() < local_area.size())
          {
            fe_face_values.reinit(cell, f);
            const auto b = cell->face(f)->boundary_id();
            for (const unsigned int q :
                 fe_face_values.quadrature_point_indices())
            {
              local_area[b] += fe_face_values.JxW(q);
              if (bearing(cell))
                local_loaded[b] += fe_face_values.JxW(q);
              for (unsigned int d = 0; d < 3; ++d)
                abs_normal[b][d] +=
                    std::abs(fe_face_values.normal_vector(q)[d]) *
                    fe_face_values.JxW(q);
            }
          }
    std::vector<double> total_area(local_area.size());
    MPI_Allreduce(local_area.data(),
                  total_area.data(),
                  local_area.size(),
                  MPI_DOUBLE,
                  MPI_SUM,
                  communicator);
    MPI_Allreduce(MPI_IN_PLACE,
                  local_loaded.data(),
                  local_loaded.size(),
                  MPI_DOUBLE,
                  MPI_SUM,
                  communicator);
    loaded_area.clear();
    for (unsigned int b = 0; b < local_loaded.size(); ++b)
      if (total_area[b] > 0)
        loaded_area[static_cast<Boundary>(b)] =
            local_loaded[b] > 0 ? local_loaded[b] : 0.;
    area.clear();
    for (unsigned int b = 0; b < total_area.size(); ++b)
      if (total_area[b] > 0)
        area[static_cast<Boundary>(b)] = total_area[b];

    const auto require = [&](const Boundary b, const std::string &kind)
    {
      if (boundary_area(b) == 0.)
      {
        std::string present;
        for (const auto &[id, a] : area)
          present += (present.empty() ? "" : ", ") + name_of(id);
        throw InputError("Boundary conditions",
                         kind,
                         "the mesh has no boundary '" + name_of(b) +
                             "'; boundaries present: " + present);
      }
    };
    for (const auto &entry : boundary_conditions.fixed)
      require(entry.first, "Fixed");
    for (const auto &entry : boundary_conditions.displacement)
      require(entry.first, "Prescribed displacement");
    for (const auto &entry : boundary_conditions.force)
      require(entry.first, "Total force");
    for (const auto &entry : boundary_conditions.elastic_support)
      require(entry.first, "Elastic support");
    symmetry_component.clear();
    for (const auto b : boundary_conditions.symmetry)
    {
      require(b, "Symmetry");
      Tensor<1, 3> n;
      for (unsigned int d = 0; d < 3; ++d)
        n[d] = Utilities::MPI::sum(abs_normal[static_cast<unsigned int>(b)][d],
                                   communicator) /
               boundary_area(b);
      unsigned int axis = 0;
      for (unsigned int d = 1; d < 3; ++d)
        if (n[d] > n[axis])
          axis = d;
      if (n[axis] < 1. - 1e-8)
        throw InputError("Boundary conditions",
                         "Symmetry",
                         "boundary '" + name_of(b) +
                             "' is not a plane normal to x, y or z");
      symmetry_component[b] = axis;
    }

    hanging_node_constraints.clear();
    hanging_node_constraints.reinit(locally_relevant_dofs);
    DoFTools::make_hanging_node_constraints(dofs, hanging_node_constraints);
    hanging_node_constraints.close();
    make_constraints();

    DynamicSparsityPattern dsp(locally_relevant_dofs);
    DoFTools::make_sparsity_pattern(dofs, dsp, constraints, false);
    SparsityTools::distribute_sparsity_pattern(
        dsp, locally_owned_dofs, communicator, locally_relevant_dofs);
    system_matrix.reinit(
        locally_owned_dofs, locally_owned_dofs, dsp, communicator);
    system_rhs.reinit(locally_owned_dofs, communicator);
    solution.reinit(locally_owned_dofs, communicator);
    ghosted_solution.reinit(
        locally_owned_dofs, locally_relevant_dofs, communicator);

    // Support-point coordinates of the owned DoFs, and whether the DoFs
    // come in nodal (x, y, z) triples, which AMG can exploit.
    PETScWrappers::MPI::Vector coordinates(locally_owned_dofs, communicator);
    const Quadrature<3>        support_points(fe.get_unit_support_points());
    FEValues<3> fe_values(fe, support_points, update_quadrature_points);
    std::vector<types::global_dof_index> dof_indices(fe.n_dofs_per_cell());
    bool nodal = locally_owned_dofs.n_elements() % 3 == 0 &&
                 (locally_owned_dofs.n_elements() == 0 ||
                  locally_owned_dofs.nth_index_in_set(0) % 3 == 0);
    std::map<types::global_dof_index, Point<3>> owned_points;
    for (const auto &cell : dofs.active_cell_iterators())
      if (cell->is_locally_owned())
      {
        fe_values.reinit(cell);
        cell->get_dof_indices(dof_indices);
        for (unsigned int i = 0; i < dof_indices.size(); ++i)
          if (locally_owned_dofs.is_element(dof_indices[i]))
          {
            const unsigned int c        = fe.system_to_component_index(i).first;
            const Point<3>    &p        = fe_values.quadrature_point(i);
            coordinates(dof_indices[i]) = p[c];
            owned_points[dof_indices[i]] = p;
            nodal &= (dof_indices[i] % 3 == c);
          }
      }
    for (const auto &[index, point] : owned_points)
      if (nodal && index % 3 != 0)
      {
        const auto first = owned_points.find(index - index % 3);
        nodal &= first != owned_points.end() &&
                 first->second.distance(point) < 1e-12 * (1. + point.norm());
      }
    coordinates.compress(VectorOperation::insert);
    nodal = Utilities::MPI::min(nodal ? 1 : 0, communicator) == 1;
    linear_solver->set_matrix(system_matrix, coordinates, nodal);

    materials.reinit(mesh, cell_quadrature.size());
  }

  void
  ElasticitySolver::make_constraints()
  {
    constraints.clear();
    constraints.reinit(locally_relevant_dofs);
    DoFTools::make_hanging_node_constraints(dofs, constraints);
    for (const auto &[b, components] : boundary_conditions.fixed)
      VectorTools::interpolate_boundary_values(
          dofs,
          static_cast<types::boundary_id>(b),
          Functions::ZeroFunction<3>(3),
          constraints,
          mask_of(components));
    for (const auto &[b, u] : boundary_conditions.displacement)
    {
      Vector<double> value(3);
      for (unsigned int d = 0; d < 3; ++d)
        value[d] = load_factor * u[d];
      const Functions::ConstantFunction<3> constant(value);
      const auto field = displacement_functions.find(b);
      // the load factor scales a displacement field as it scales a vector
      std::unique_ptr<Function<3>> scaled_field;
      if (field != displacement_functions.end())
        scaled_field =
            std::make_unique<ScaledFunction>(*field->second, load_factor);
      VectorTools::interpolate_boundary_values(
          dofs,
          static_cast<types::boundary_id>(b),
          scaled_field ? *scaled_field
                       : static_cast<const Function<3> &>(constant),
          constraints);
    }
    for (const auto &[b, axis] : symmetry_component)
    {
      std::array<bool, 3> components = {{false, false, false}};
      components[axis]               = true;
      VectorTools::interpolate_boundary_values(
          dofs,
          static_cast<types::boundary_id>(b),
          Functions::ZeroFunction<3>(3),
          constraints,
          mask_of(components));
    }
    constraints.close();
  }

  void
  ElasticitySolver::assemble()
  {
    system_matrix = 0;
    system_rhs    = 0;

    const UpdateFlags body_force_flags =
        body_force ? update_values | update_quadrature_points : update_default;
    FEValues<3>                 fe_values(fe,
                          cell_quadrature,
                          update_gradients | update_JxW_values |
                              body_force_flags);
    std::vector<Vector<double>> force_values(cell_quadrature.size(),
                                             Vector<double>(3));
    FEFaceValues<3>             fe_face_values(
        fe, face_quadrature, update_values | update_JxW_values);
    const unsigned int                   n_dofs = fe.n_dofs_per_cell();
    const unsigned int                   n_q    = cell_quadrature.size();
    FullMatrix<double>                   cell_matrix(n_dofs, n_dofs);
    Vector<double>                       cell_rhs(n_dofs);
    std::vector<types::global_dof_index> dof_indices(n_dofs);
    std::vector<unsigned int>            component(n_dofs);
    for (unsigned int i = 0; i < n_dofs; ++i)
      component[i] = fe.system_to_component_index(i).first;
    std::vector<Tensor<1, 3>> grad(n_dofs);

    std::map<types::boundary_id, Tensor<1, 3>> traction;
    // springs of a lumped support, per unit area [N/mm^3]
    std::map<types::boundary_id, Tensor<1, 3>> spring_density;
    for (const auto &[b, stiffness] : boundary_conditions.elastic_support)
      spring_density[static_cast<types::boundary_id>(b)] =
          support_factor * stiffness / load_area(b);
    for (const auto &[b, force] : boundary_conditions.force)
      traction[static_cast<types::boundary_id>(b)] =
          load_factor * force / load_area(b);
    // a pre-tensioned device pushes whatever the load of the day
    for (const auto &[b, force] : boundary_conditions.preload)
      traction[static_cast<types::boundary_id>(b)] +=
          support_factor * force / load_area(b);

    for (const auto &cell : dofs.active_cell_iterators())
      if (cell->is_locally_owned())
      {
        fe_values.reinit(cell);
        cell_matrix = 0;
        cell_rhs    = 0;
        for (unsigned int q = 0; q < n_q; ++q)
        {
          const IsotropicElasticity &law = materials(cell, q);
          const double               JxW = fe_values.JxW(q);
          for (unsigned int i = 0; i < n_dofs; ++i)
            grad[i] = fe_values.shape_grad_component(i, q, component[i]);
          // Each shape function has a single non-zero component, so
          // eps(phi_i):C:eps(phi_j) reduces to the step-8 formula.
          for (unsigned int i = 0; i < n_dofs; ++i)
          {
            const unsigned int ci = component[i];
            for (unsigned int j = 0; j <= i; ++j)
            {
              const unsigned int cj = component[j];
              double value          = law.lambda * grad[i][ci] * grad[j][cj] +
                             law.mu * grad[i][cj] * grad[j][ci];
              if (ci == cj)
                value += law.mu * (grad[i] * grad[j]);
              cell_matrix(i, j) += value * JxW;
            }
          }
        }
        for (unsigned int i = 0; i < n_dofs; ++i)
          for (unsigned int j = i + 1; j < n_dofs; ++j)
            cell_matrix(i, j) = cell_matrix(j, i);

        if (body_force)
        {
          body_force->vector_value_list(fe_values.get_quadrature_points(),
                                        force_values);
          for (unsigned int q = 0; q < n_q; ++q)
            for (unsigned int i = 0; i < n_dofs; ++i)
              cell_rhs(i) += force_values[q][component[i]] *
                             fe_values.shape_value(i, q) * fe_values.JxW(q);
        }

        for (const unsigned int f : cell->face_indices())
          if (cell->face(f)->at_boundary())
          {
            const auto id      = cell->face(f)->boundary_id();
            const auto t       = traction.find(id);
            const auto springs = spring_density.find(id);
            if ((t == traction.end() && springs == spring_density.end()) ||
                !carries_load(cell, f))
              continue;
            fe_face_values.reinit(cell, f);
            for (const unsigned int q :
                 fe_face_values.quadrature_point_indices())
              for (unsigned int i = 0; i < n_dofs; ++i)
              {
                const double phi_i =
                    fe_face_values.shape_value(i, q) * fe_face_values.JxW(q);
                if (t != traction.end())
                  cell_rhs(i) += t->second[component[i]] * phi_i;
                if (springs != spring_density.end())
                  for (unsigned int j = 0; j < n_dofs; ++j)
                    if (component[j] == component[i])
                      cell_matrix(i, j) += springs->second[component[i]] *
                                           phi_i *
                                           fe_face_values.shape_value(j, q);
              }
          }

        cell->get_dof_indices(dof_indices);
        constraints.distribute_local_to_global(
            cell_matrix, cell_rhs, dof_indices, system_matrix, system_rhs);
      }
    system_matrix.compress(VectorOperation::add);
    system_rhs.compress(VectorOperation::add);
  }

  ElasticityStatistics
  ElasticitySolver::solve(const bool reuse_preconditioner)
  {
    ElasticityStatistics statistics;
    statistics.n_dofs  = dofs.n_dofs();
    statistics.n_cells = mesh.n_global_active_cells();

    Timer timer(communicator, true);
    assemble();
    timer.stop();
    statistics.assembly_seconds = timer.wall_time();

    statistics.linear =
        linear_solver->solve(solution, system_rhs, reuse_preconditioner);
    constraints.distribute(solution);
    if (!std::isfinite(solution.l2_norm()))
      throw ComputationError("the displacement field contains NaN or Inf after "
                             "the elasticity solve");
    ghosted_solution = solution;
    return statistics;
  }

  void
  ElasticitySolver::evaluate_point_states(
      QuadraturePointData<MechanicalPointState> &states) const
  {
    if (states.n_quadrature_points() != cell_quadrature.size())
      states.reinit(mesh, cell_quadrature.size());
    FEValues<3> fe_values(fe, cell_quadrature, update_gradients);
    const FEValuesExtractors::Vector displacements(0);
    std::vector<SymmetricTensor3>    strains(cell_quadrature.size());
    for (const auto &cell : dofs.active_cell_iterators())
      if (cell->is_locally_owned())
      {
        fe_values.reinit(cell);
        fe_values[displacements].get_function_symmetric_gradients(
            ghosted_solution, strains);
        for (unsigned int q = 0; q < strains.size(); ++q)
        {
          MechanicalPointState &state = states(cell, q);
          state.strain                = strains[q];
          state.stress                = materials(cell, q).stress(strains[q]);
          state.measures = compute_strain_measures(state.strain, state.stress);
        }
      }
  }

  template <typename FaceSelector>
  std::pair<Tensor<1, 3>, double>
  ElasticitySolver::integrate_over_faces(const FaceSelector &on_face) const
  {
    FEFaceValues<3> fe_face_values(
        fe, face_quadrature, update_values | update_JxW_values);
    const FEValuesExtractors::Vector displacements(0);
    std::vector<Tensor<1, 3>>        values(face_quadrature.size());
    Tensor<1, 3>                     integral;
    double                           measure = 0;
    for (const auto &cell : dofs.active_cell_iterators())
      if (cell->is_locally_owned())
        for (const unsigned int f : cell->face_indices())
          if (on_face(cell, f))
          {
            fe_face_values.reinit(cell, f);
            fe_face_values[displacements].get_function_values(ghosted_solution,
                                                              values);
            for (const unsigned int q :
                 fe_face_values.quadrature_point_indices())
            {
              integral += values[q] * fe_face_values.JxW(q);
              measure += fe_face_values.JxW(q);
            }
          }
    for (unsigned int d = 0; d < 3; ++d)
      integral[d] = Utilities::MPI::sum(integral[d], communicator);
    return {integral, Utilities::MPI::sum(measure, communicator)};
  }

  std::map<Boundary, Tensor<1, 3>>
  ElasticitySolver::compute_reactions() const
  {
    // The reaction is the residual of the unconstrained equations at the
    // held DoFs, r_i = int sigma(u) : eps(phi_i): the applied loads act on
    // other boundaries (one kind of condition per boundary) and the body
    // force exists only in verification tests. Hanging nodes are condensed
    // onto their masters so that every force is counted once.

    PETScWrappers::MPI::Vector residual(locally_owned_dofs, communicator);
    FEValues<3>                fe_values(
        fe, cell_quadrature, update_gradients | update_JxW_values);
    const FEValuesExtractors::Vector     displacements(0);
    const unsigned int                   n_dofs = fe.n_dofs_per_cell();
    std::vector<SymmetricTensor3>        strains(cell_quadrature.size());
    Vector<double>                       cell_residual(n_dofs);
    std::vector<types::global_dof_index> dof_indices(n_dofs);
    for (const auto &cell : dofs.active_cell_iterators())
      if (cell->is_locally_owned())
      {
        fe_values.reinit(cell);
        fe_values[displacements].get_function_symmetric_gradients(
            ghosted_solution, strains);
        cell_residual = 0;
        for (const unsigned int q : fe_values.quadrature_point_indices())
        {
          const SymmetricTensor3 stress = materials(cell, q).stress(strains[q]);
          for (unsigned int i = 0; i < n_dofs; ++i)
            cell_residual(i) +=
                stress * fe_values[displacements].symmetric_gradient(i, q) *
                fe_values.JxW(q);
        }
        cell->get_dof_indices(dof_indices);
        hanging_node_constraints.distribute_local_to_global(
            cell_residual, dof_indices, residual);
      }
    residual.compress(VectorOperation::add);

    // Owned DoFs on each held boundary, with their component. Ghost cells
    // are visited too: an owned DoF may lie only on faces of ghost cells.
    std::map<Boundary, Tensor<1, 3>> reactions;
    std::set<Boundary>               held;
    for (const auto &entry : boundary_conditions.fixed)
      held.insert(entry.first);
    for (const auto &entry : boundary_conditions.displacement)
      held.insert(entry.first);
    for (const auto &entry : symmetry_component)
      held.insert(entry.first);
    std::vector<types::global_dof_index> face_dofs(fe.n_dofs_per_face());
    for (const Boundary b : held)
    {
      std::set<types::global_dof_index> counted;
      Tensor<1, 3>                      reaction;
      for (const auto &cell : dofs.active_cell_iterators())
        if (!cell->is_artificial())
          for (const unsigned int f : cell->face_indices())
            if (cell->face(f)->at_boundary() &&
                cell->face(f)->boundary_id() ==
                    static_cast<types::boundary_id>(b))
            {
              cell->face(f)->get_dof_indices(face_dofs);
              for (unsigned int i = 0; i < face_dofs.size(); ++i)
                if (locally_owned_dofs.is_element(face_dofs[i]) &&
                    counted.insert(face_dofs[i]).second)
                  reaction[fe.face_system_to_component_index(i).first] +=
                      residual(face_dofs[i]);
            }
      for (unsigned int d = 0; d < 3; ++d)
        reaction[d] = Utilities::MPI::sum(reaction[d], communicator);
      reactions[b] = reaction;
    }
    return reactions;
  }

  MechanicalQuantities
  ElasticitySolver::compute_quantities() const
  {
    MechanicalQuantities quantities;

    // Interfragmentary movement: mean displacement of the cortical faces
    // that touch the gap, proximal side minus distal side.
    const auto cortical = static_cast<types::material_id>(Region::cortical);
    const auto gap      = static_cast<types::material_id>(Region::gap);
    const auto gap_face =
        [&](const auto &cell, const unsigned int f, const bool proximal)
    {
      return cell->material_id() == cortical && !cell->face(f)->at_boundary() &&
             cell->neighbor(f)->material_id() == gap &&
             (cell->face(f)->center()[2] > cell->center()[2]) != proximal;
    };
    const auto [proximal_u, proximal_area] =
        integrate_over_faces([&](const auto &cell, const unsigned int f)
                             { return gap_face(cell, f, true); });
    const auto [distal_u, distal_area] =
        integrate_over_faces([&](const auto &cell, const unsigned int f)
                             { return gap_face(cell, f, false); });
    quantities.has_gap = proximal_area > 0 && distal_area > 0;
    if (quantities.has_gap)
      quantities.interfragmentary_movement =
          proximal_u / proximal_area - distal_u / distal_area;

    for (const auto &[b, a] : area)
    {
      const auto id           = static_cast<types::boundary_id>(b);
      const auto [u, measure] = integrate_over_faces(
          [&](const auto &cell, const unsigned int f)
          {
            return cell->face(f)->at_boundary() &&
                   cell->face(f)->boundary_id() == id && carries_load(cell, f);
          });
      quantities.mean_boundary_displacement[b] = u / measure;
    }

    quantities.boundary_force = compute_reactions();
    for (const auto &[b, force] : boundary_conditions.force)
      quantities.boundary_force[b] = load_factor * force;
    // with a preload, the force on the face is load plus preload, and
    // stiffness = that force / shortening (the preload is a spring offset)
    for (const auto &[b, force] : boundary_conditions.preload)
      quantities.boundary_force[b] += support_factor * force;

    const auto proximal_force =
        quantities.boundary_force.find(Boundary::proximal);
    const auto proximal_u_end =
        quantities.mean_boundary_displacement.find(Boundary::proximal);
    const auto distal_u_end =
        quantities.mean_boundary_displacement.find(Boundary::distal);
    if (proximal_force != quantities.boundary_force.end() &&
        proximal_u_end != quantities.mean_boundary_displacement.end() &&
        distal_u_end != quantities.mean_boundary_displacement.end())
    {
      const double shortening =
          proximal_u_end->second[2] - distal_u_end->second[2];
      if (std::abs(shortening) > 0)
        quantities.axial_stiffness =
            std::abs(proximal_force->second[2] / shortening);
    }
    return quantities;
  }
} // namespace Ossify
