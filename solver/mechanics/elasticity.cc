#include "mechanics/elasticity.h"

#include "base/input_error.h"
#include "mechanics/fragment_modes.h"

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

#include <array>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>

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

  const FaceMoments &
  ElasticitySolver::load_face_moments(const Boundary boundary) const
  {
    const auto it = face_geometry.find(boundary);
    AssertThrow(it != face_geometry.end(),
                ExcMessage("no boundary '" + name_of(boundary) + "'"));
    return it->second;
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
    for (const auto &entry : boundary_conditions.moment)
      require(entry.first, "Total moment");

    // The axis each boundary is most nearly normal to, and whether it is a
    // plane normal to that axis (mean |n_axis| = 1).
    std::map<Boundary, unsigned int> normal_axis;
    std::map<Boundary, bool>         planar;
    for (const auto &[b, a] : area)
    {
      Tensor<1, 3> n;
      for (unsigned int d = 0; d < 3; ++d)
        n[d] = Utilities::MPI::sum(abs_normal[static_cast<unsigned int>(b)][d],
                                   communicator) /
               a;
      unsigned int axis = 0;
      for (unsigned int d = 1; d < 3; ++d)
        if (n[d] > n[axis])
          axis = d;
      normal_axis[b] = axis;
      planar[b]      = n[axis] >= 1. - 1e-8;
    }
    // A symmetry plane makes the mesh one half (two planes: a quarter) of
    // the body. Loads are the whole body's, so every face integral counts
    // the mirror images too: areas, moments, reactions. The planes are
    // measured on the whole mesh first (no mirror images yet), then set.
    symmetry = MirrorSymmetry();
    MirrorSymmetry planes;
    for (const auto b : std::set<Boundary>(boundary_conditions.symmetry.begin(),
                                           boundary_conditions.symmetry.end()))
    {
      require(b, "Symmetry");
      if (!planar[b])
        throw InputError("Boundary conditions",
                         "Symmetry",
                         "boundary '" + name_of(b) +
                             "' is not a plane normal to x, y or z");
      const auto        id    = static_cast<types::boundary_id>(b);
      const FaceMoments plane = integrate_over_faces(
          [&](const auto &cell, const unsigned int f) {
            return cell->face(f)->at_boundary() &&
                   cell->face(f)->boundary_id() == id;
          },
          normal_axis[b],
          false);
      planes.add_plane(b, normal_axis[b], plane.centroid()[normal_axis[b]]);
    }
    symmetry = planes;
    symmetry.check_loads_are_symmetric(boundary_conditions);
    for (auto *areas : {&area, &loaded_area})
      for (auto &[b, value] : *areas)
        value *= symmetry.area_factor(b);

    prestrained_area = 0;
    if (const auto &part = boundary_conditions.prestrain)
    {
      // the preload's own response is solved with the same constraints,
      // which must then be homogeneous
      if (!boundary_conditions.displacement.empty())
        throw InputError("Boundary conditions",
                         "Prescribed displacement",
                         "a pre-tensioned implant (compression plate "
                         "preload) is loaded through 'Total force' only");
      double volume = 0;
      for (const auto &cell : dofs.active_cell_iterators())
        if (cell->is_locally_owned() && in_prestrained_part(cell))
          volume += cell->measure();
      volume = Utilities::MPI::sum(volume, communicator) * mirror_images();
      if (!(volume > 0))
        throw InputError("Fixation",
                         "Representation",
                         "the pre-tensioned part of the implant (between z = " +
                             std::to_string(part->z_min) + " and " +
                             std::to_string(part->z_max) + " mm, beyond r = " +
                             std::to_string(part->min_radius) +
                             " mm) has no cells in the mesh");
      prestrained_area = volume / (part->z_max - part->z_min);
    }
    compute_face_geometry(normal_axis, planar);

    hanging_node_constraints.clear();
    hanging_node_constraints.reinit(locally_relevant_dofs);
    DoFTools::make_hanging_node_constraints(dofs, hanging_node_constraints);
    hanging_node_constraints.close();
    make_constraints();
    // which face DoFs of a rotational spring are constrained, known on
    // every rank (constraints only know the locally relevant DoFs); the
    // set does not change with the load factor
    for (auto &spring : rotational_springs)
    {
      std::vector<types::global_dof_index> owned_constrained;
      for (const auto index : spring.dofs)
        if (locally_owned_dofs.is_element(index) &&
            constraints.is_constrained(index))
          owned_constrained.push_back(index);
      std::set<types::global_dof_index> all;
      for (const auto &part :
           Utilities::MPI::all_gather(communicator, owned_constrained))
        all.insert(part.begin(), part.end());
      spring.constrained.assign(spring.dofs.size(), false);
      for (unsigned int k = 0; k < spring.dofs.size(); ++k)
        spring.constrained[k] = all.count(spring.dofs[k]) > 0;
    }

    DynamicSparsityPattern dsp(locally_relevant_dofs);
    DoFTools::make_sparsity_pattern(dofs, dsp, constraints, false);
    // a rotational spring couples every DoF of its face with every other
    for (const auto &spring : rotational_springs)
      for (const auto row : spring.dofs)
        if (locally_relevant_dofs.is_element(row))
          dsp.add_entries(row, spring.dofs.begin(), spring.dofs.end());
    SparsityTools::distribute_sparsity_pattern(
        dsp, locally_owned_dofs, communicator, locally_relevant_dofs);
    system_matrix.reinit(
        locally_owned_dofs, locally_owned_dofs, dsp, communicator);
    system_rhs.reinit(locally_owned_dofs, communicator);
    solution.reinit(locally_owned_dofs, communicator);
    preload_solution.reinit(locally_owned_dofs, communicator);
    ghosted_solution.reinit(
        locally_owned_dofs, locally_relevant_dofs, communicator);

    // Support-point coordinates of the owned DoFs, and whether the DoFs
    // come in nodal (x, y, z) triples, which AMG can exploit.
    PETScWrappers::MPI::Vector coordinates(locally_owned_dofs, communicator);
    const auto                 owned_locations = owned_dof_locations(dofs);
    bool nodal = locally_owned_dofs.n_elements() % 3 == 0 &&
                 (locally_owned_dofs.n_elements() == 0 ||
                  locally_owned_dofs.nth_index_in_set(0) % 3 == 0);
    for (const auto &[index, location] : owned_locations)
    {
      coordinates(index) = location.point[location.component];
      nodal &= (index % 3 == location.component);
      if (nodal && index % 3 != 0)
      {
        const auto first = owned_locations.find(index - index % 3);
        nodal &= first != owned_locations.end() &&
                 first->second.point.distance(location.point) <
                     1e-12 * (1. + location.point.norm());
      }
    }
    coordinates.compress(VectorOperation::insert);
    nodal = Utilities::MPI::min(nodal ? 1 : 0, communicator) == 1;
    linear_solver->set_matrix(system_matrix,
                              coordinates,
                              nodal,
                              fragment_rigid_body_modes(dofs,
                                                        constraints,
                                                        owned_locations,
                                                        locally_owned_dofs,
                                                        communicator));

    materials.reinit(mesh, cell_quadrature.size());
  }

  void
  ElasticitySolver::compute_face_geometry(
      const std::map<Boundary, unsigned int> &normal_axis,
      const std::map<Boundary, bool>         &planar)
  {
    for (const auto &[b, moment] : boundary_conditions.moment)
      if (!planar.at(b))
        throw InputError("Boundary conditions",
                         "Total moment",
                         "boundary '" + name_of(b) +
                             "' is not a plane normal to x, y or z, so the "
                             "bending and twisting axes are undefined");
    for (const auto &[b, stiffness] : boundary_conditions.rotational_support)
      if (!planar.at(b))
        throw InputError("Boundary conditions",
                         "Rotational support",
                         "boundary '" + name_of(b) +
                             "' is not a plane normal to x, y or z");

    const auto load_faces = [&](const Boundary b)
    {
      return [this, b](const auto &cell, const unsigned int f)
      {
        return cell->face(f)->at_boundary() &&
               cell->face(f)->boundary_id() ==
                   static_cast<types::boundary_id>(b) &&
               carries_load(cell, f);
      };
    };
    face_geometry.clear();
    for (const auto &[b, axis] : normal_axis)
      face_geometry.emplace(b,
                            integrate_over_faces(load_faces(b), axis, false));

    // Rotational springs: the uniform springs of 'Elastic support' already
    // resist rotation of the face (k I / A); a rank-one term on the best-fit
    // rotation theta_d = w_d . U adds what is missing (or takes off what is
    // too much: the sum stays positive semi-definite, since uniform springs
    // store at least k I / A theta^2 for any displacement of the face, on
    // the symmetric faces checked below).
    rotational_springs.clear();
    FEFaceValues<3>                      fe_face_values(fe,
                                   face_quadrature,
                                   update_values | update_quadrature_points |
                                       update_JxW_values);
    const unsigned int                   n_dofs = fe.n_dofs_per_cell();
    std::vector<types::global_dof_index> dof_indices(n_dofs);
    for (const auto &[b, requested] : boundary_conditions.rotational_support)
    {
      const FaceMoments  &geometry = face_geometry.at(b);
      const auto          on_face  = load_faces(b);
      RotationalSpring    spring;
      const Tensor<1, 3> &k = boundary_conditions.elastic_support.at(b);
      const Tensor<1, 3>  uniform =
          geometry.uniform_spring_rotational_stiffness(k);
      spring.extra_stiffness = requested - uniform;
      // The rotations about the axes are fitted separately: that is exact,
      // and the sum stays positive semi-definite when less than the uniform
      // springs give is asked, only on faces symmetric about p and q and,
      // in twist, with equal shear springs.
      const unsigned int a = geometry.normal_axis(), p = (a + 1) % 3,
                         q = (a + 2) % 3;
      const Tensor<2, 3> I = geometry.second_moment();
      if (std::abs(I[p][q]) > 1e-6 * (I[p][p] + I[q][q]))
        throw InputError("Boundary conditions",
                         "Rotational support",
                         "the faces of '" + name_of(b) +
                             "' are not symmetric about the in-plane axes "
                             "through their centroid (I_pq != 0), which the "
                             "rotational springs assume");
      if (requested[a] < uniform[a] &&
          std::abs(k[p] - k[q]) > 1e-12 * (k[p] + k[q]))
        throw InputError("Boundary conditions",
                         "Rotational support",
                         "a torsional stiffness below what the shear springs "
                         "of '" +
                             name_of(b) +
                             "' give needs equal shear stiffness in both "
                             "transverse directions");

      std::array<PETScWrappers::MPI::Vector, 3> weights;
      for (auto &w : weights)
        w.reinit(locally_owned_dofs, communicator);
      for (const auto &cell : dofs.active_cell_iterators())
        if (cell->is_locally_owned())
          for (const unsigned int f : cell->face_indices())
            if (on_face(cell, f))
            {
              fe_face_values.reinit(cell, f);
              cell->get_dof_indices(dof_indices);
              for (unsigned int d = 0; d < 3; ++d)
              {
                Vector<double> cell_weights(n_dofs);
                for (const unsigned int q :
                     fe_face_values.quadrature_point_indices())
                {
                  const Tensor<1, 3> g = geometry.rotation_weight(
                      d, fe_face_values.quadrature_point(q));
                  for (unsigned int i = 0; i < n_dofs; ++i)
                    cell_weights(i) +=
                        g[fe.system_to_component_index(i).first] *
                        fe_face_values.shape_value(i, q) *
                        fe_face_values.JxW(q);
                }
                weights[d].add(dof_indices, cell_weights);
              }
            }
      for (auto &w : weights)
        w.compress(VectorOperation::add);

      // every rank needs all weights: its rows couple to all face DoFs
      std::vector<std::pair<types::global_dof_index, std::array<double, 3>>>
          owned;
      for (const auto index : locally_owned_dofs)
      {
        const std::array<double, 3> w = {
            {weights[0](index), weights[1](index), weights[2](index)}};
        if (w[0] != 0 || w[1] != 0 || w[2] != 0)
          owned.emplace_back(index, w);
      }
      for (const auto &part : Utilities::MPI::all_gather(communicator, owned))
        for (const auto &[index, w] : part)
        {
          spring.dofs.push_back(index);
          spring.weights.push_back(w);
        }
      rotational_springs.push_back(std::move(spring));
    }
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
    for (const auto &[b, axis] : symmetry.held_components())
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
    FEValues<3>                          fe_values(fe,
                          cell_quadrature,
                          update_gradients | update_JxW_values |
                              body_force_flags);
    std::vector<Vector<double>>          force_values(cell_quadrature.size(),
                                             Vector<double>(3));
    FEFaceValues<3>                      fe_face_values(fe,
                                   face_quadrature,
                                   update_values | update_JxW_values |
                                       update_quadrature_points);
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
    // a moment adds a traction that varies across the face (face_traction);
    // the entry marks the face as loaded
    for (const auto &[b, moment] : boundary_conditions.moment)
      traction[static_cast<types::boundary_id>(b)] += Tensor<1, 3>();
    const auto face_traction = [&](const types::boundary_id id,
                                   const Tensor<1, 3>      &uniform,
                                   const Point<3>          &x)
    {
      const auto moment =
          boundary_conditions.moment.find(static_cast<Boundary>(id));
      if (moment == boundary_conditions.moment.end())
        return uniform;
      return uniform + face_geometry.at(moment->first)
                           .moment_traction(load_factor * moment->second, x);
    };

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
          // a pre-tensioned implant: the eigenstrain's stress C : eps_0
          // acts like a load, int (C : eps_0) : eps(phi_i)
          if (in_prestrained_part(cell))
            add_prestrain_load(cell, fe_values, q, cell_rhs);
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
            {
              const Point<3>    &x   = fe_face_values.quadrature_point(q);
              const Tensor<1, 3> t_q = t != traction.end()
                                           ? face_traction(id, t->second, x)
                                           : Tensor<1, 3>();
              const Tensor<1, 3> k_q = springs != spring_density.end()
                                           ? springs->second
                                           : Tensor<1, 3>();
              for (unsigned int i = 0; i < n_dofs; ++i)
              {
                const double phi_i =
                    fe_face_values.shape_value(i, q) * fe_face_values.JxW(q);
                cell_rhs(i) += t_q[component[i]] * phi_i;
                if (springs != spring_density.end())
                  for (unsigned int j = 0; j < n_dofs; ++j)
                    if (component[j] == component[i])
                      cell_matrix(i, j) += k_q[component[i]] * phi_i *
                                           fe_face_values.shape_value(j, q);
              }
            }
          }

        cell->get_dof_indices(dof_indices);
        constraints.distribute_local_to_global(
            cell_matrix, cell_rhs, dof_indices, system_matrix, system_rhs);
      }

    // rotational springs: K += support_factor sum_d dk_d w_d w_d^T on the
    // owned rows (constrained DoFs are left out)
    for (const auto &spring : rotational_springs)
    {
      std::vector<types::global_dof_index> columns;
      std::vector<unsigned int>            column_entry;
      for (unsigned int l = 0; l < spring.dofs.size(); ++l)
        if (!spring.constrained[l])
        {
          columns.push_back(spring.dofs[l]);
          column_entry.push_back(l);
        }
      std::vector<double> values(columns.size());
      for (unsigned int k = 0; k < spring.dofs.size(); ++k)
      {
        const auto row = spring.dofs[k];
        if (!locally_owned_dofs.is_element(row) || spring.constrained[k])
          continue;
        for (unsigned int c = 0; c < columns.size(); ++c)
        {
          const auto &w_l = spring.weights[column_entry[c]];
          values[c]       = 0;
          for (unsigned int d = 0; d < 3; ++d)
            values[c] += support_factor * spring.extra_stiffness[d] *
                         spring.weights[k][d] * w_l[d];
        }
        system_matrix.add(row, columns, values);
      }
    }
    system_matrix.compress(VectorOperation::add);
    system_rhs.compress(VectorOperation::add);
  }

  bool
  ElasticitySolver::in_prestrained_part(
      const DoFHandler<3>::active_cell_iterator &cell) const
  {
    const auto &part = boundary_conditions.prestrain;
    if (!part ||
        cell->material_id() != static_cast<types::material_id>(part->region))
      return false;
    const Point<3> c = cell->center();
    return std::hypot(c[0], c[1]) >= part->min_radius && c[2] > part->z_min &&
           c[2] < part->z_max;
  }

  SymmetricTensor3
  ElasticitySolver::prestrain_in(
      const DoFHandler<3>::active_cell_iterator &cell,
      const IsotropicElasticity                 &law) const
  {
    SymmetricTensor3 eps_0;
    if (!in_prestrained_part(cell))
      return eps_0;
    const auto &part = boundary_conditions.prestrain;
    // shortened by s over its length, or pulled with F against held ends
    // (then sigma = E eps_0 = -F / A whatever the modulus)
    eps_0[2][2] = part->shortening > 0
                      ? -part->shortening / (part->z_max - part->z_min)
                      : -part->force / (law.youngs_modulus() *
                                        std::max(prestrained_area, 1e-300));
    return eps_0;
  }

  void
  ElasticitySolver::add_prestrain_load(
      const DoFHandler<3>::active_cell_iterator &cell,
      const FEValues<3>                         &fe_values,
      const unsigned int                         q,
      Vector<double>                            &cell_rhs) const
  {
    const IsotropicElasticity &law     = materials(cell, q);
    const SymmetricTensor3     sigma_0 = law.stress(prestrain_in(cell, law));
    for (unsigned int i = 0; i < fe.n_dofs_per_cell(); ++i)
    {
      const unsigned int c = fe.system_to_component_index(i).first;
      const Tensor<1, 3> g = fe_values.shape_grad_component(i, q, c);
      for (unsigned int d = 0; d < 3; ++d)
        cell_rhs(i) += sigma_0[c][d] * g[d] * fe_values.JxW(q);
    }
  }

  void
  ElasticitySolver::assemble_preload_rhs(PETScWrappers::MPI::Vector &rhs) const
  {
    rhs = 0;
    FEValues<3> fe_values(
        fe, cell_quadrature, update_gradients | update_JxW_values);
    const unsigned int                   n_dofs = fe.n_dofs_per_cell();
    Vector<double>                       cell_rhs(n_dofs);
    std::vector<types::global_dof_index> dof_indices(n_dofs);
    for (const auto &cell : dofs.active_cell_iterators())
      if (cell->is_locally_owned())
      {
        if (!in_prestrained_part(cell))
          continue;
        fe_values.reinit(cell);
        cell_rhs = 0;
        for (const unsigned int q : fe_values.quadrature_point_indices())
          add_prestrain_load(cell, fe_values, q, cell_rhs);
        cell->get_dof_indices(dof_indices);
        constraints.distribute_local_to_global(cell_rhs, dof_indices, rhs);
      }
    rhs.compress(VectorOperation::add);
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

    if (boundary_conditions.prestrain)
    {
      // the preload's own response, so that the construct stiffness is
      // that of the load (superposition: same matrix, constraints
      // homogeneous)
      PETScWrappers::MPI::Vector preload_rhs(locally_owned_dofs, communicator);
      // yesterday's preload response is today's initial guess, as for the
      // load's own solve (the tissue changes little from day to day)
      assemble_preload_rhs(preload_rhs);
      const auto preload_solve =
          linear_solver->solve(preload_solution, preload_rhs, true);
      statistics.linear.setup_seconds += preload_solve.setup_seconds;
      statistics.linear.solve_seconds += preload_solve.solve_seconds;
      if (preload_solve.rebuilt_after_failure)
      {
        statistics.linear.rebuilt_after_failure = true;
        statistics.linear.reused_preconditioner = false;
      }
      statistics.preload_iterations = preload_solve.iterations;
      constraints.distribute(preload_solution);
      ghosted_preload_solution.reinit(
          locally_owned_dofs, locally_relevant_dofs, communicator);
      ghosted_preload_solution = preload_solution;
    }
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
          MechanicalPointState      &state = states(cell, q);
          const IsotropicElasticity &law   = materials(cell, q);
          state.strain                     = strains[q];
          state.stress   = law.stress(strains[q] - prestrain_in(cell, law));
          state.measures = compute_strain_measures(state.strain, state.stress);
        }
      }
  }

  template <typename FaceSelector>
  FaceMoments
  ElasticitySolver::integrate_over_faces(const FaceSelector &on_face,
                                         const unsigned int  axis,
                                         const bool with_displacement) const
  {
    return integrate_over_faces(
        on_face, axis, with_displacement ? &ghosted_solution : nullptr);
  }

  template <typename FaceSelector>
  FaceMoments
  ElasticitySolver::integrate_over_faces(
      const FaceSelector               &on_face,
      const unsigned int                axis,
      const PETScWrappers::MPI::Vector *field) const
  {
    FEFaceValues<3>                  fe_face_values(fe,
                                   face_quadrature,
                                   update_values | update_JxW_values |
                                       update_quadrature_points);
    const FEValuesExtractors::Vector displacements(0);
    std::vector<Tensor<1, 3>>        values(face_quadrature.size());
    FaceMoments                      moments(axis);
    for (const auto &[plane_axis, position] : symmetry.planes())
      moments.add_mirror_plane(plane_axis, position);
    for (const auto &cell : dofs.active_cell_iterators())
      if (cell->is_locally_owned())
        for (const unsigned int f : cell->face_indices())
          if (on_face(cell, f))
          {
            fe_face_values.reinit(cell, f);
            if (field)
              fe_face_values[displacements].get_function_values(*field, values);
            for (const unsigned int q :
                 fe_face_values.quadrature_point_indices())
              moments.add(fe_face_values.quadrature_point(q),
                          fe_face_values.JxW(q),
                          values[q]);
          }
    moments.sum_over(communicator);
    return moments;
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
          const IsotropicElasticity &law = materials(cell, q);
          const SymmetricTensor3     stress =
              law.stress(strains[q] - prestrain_in(cell, law));
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
    for (const auto &entry : symmetry.held_components())
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
      // on a symmetry plane itself: the force the other half exerts
      reactions[b] = symmetry.whole_body_force(reaction, b);
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
    const FaceMoments proximal_side =
        integrate_over_faces([&](const auto &cell, const unsigned int f)
                             { return gap_face(cell, f, true); },
                             2);
    const FaceMoments distal_side =
        integrate_over_faces([&](const auto &cell, const unsigned int f)
                             { return gap_face(cell, f, false); },
                             2);
    quantities.has_gap = proximal_side.area() > 0 && distal_side.area() > 0;
    if (quantities.has_gap && boundary_conditions.prestrain)
      quantities.preload_interfragmentary_movement =
          integrate_over_faces([&](const auto &cell, const unsigned int f)
                               { return gap_face(cell, f, true); },
                               2,
                               &ghosted_preload_solution)
              .mean_displacement() -
          integrate_over_faces([&](const auto &cell, const unsigned int f)
                               { return gap_face(cell, f, false); },
                               2,
                               &ghosted_preload_solution)
              .mean_displacement();
    if (quantities.has_gap)
    {
      quantities.interfragmentary_movement =
          proximal_side.mean_displacement() - distal_side.mean_displacement();
      quantities.interfragmentary_rotation =
          proximal_side.rotation() - distal_side.rotation();
    }

    // the end faces' motion, and that of the preload alone (left out of the
    // construct stiffnesses below)
    std::map<Boundary, Tensor<1, 3>> preload_displacement, preload_rotation;
    for (const auto &[b, geometry] : face_geometry)
    {
      const auto id           = static_cast<types::boundary_id>(b);
      const auto load_bearing = [&](const auto &cell, const unsigned int f)
      {
        return cell->face(f)->at_boundary() &&
               cell->face(f)->boundary_id() == id && carries_load(cell, f);
      };
      const FaceMoments faces =
          integrate_over_faces(load_bearing, geometry.normal_axis());
      quantities.mean_boundary_displacement[b] = faces.mean_displacement();
      quantities.mean_boundary_rotation[b]     = faces.rotation();
      if (boundary_conditions.prestrain)
      {
        const FaceMoments preload = integrate_over_faces(
            load_bearing, geometry.normal_axis(), &ghosted_preload_solution);
        preload_displacement[b] = preload.mean_displacement();
        preload_rotation[b]     = preload.rotation();
      }
    }
    for (const auto &[b, moment] : boundary_conditions.moment)
      quantities.boundary_moment[b] = load_factor * moment;

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
      // a preload shortens the construct by itself: leave that out
      const double preload_shortening =
          boundary_conditions.prestrain
              ? preload_displacement.at(Boundary::proximal)[2] -
                    preload_displacement.at(Boundary::distal)[2]
              : 0.;
      if (std::abs(shortening - preload_shortening) > 0)
        quantities.axial_stiffness = std::abs(
            proximal_force->second[2] / (shortening - preload_shortening));
    }
    const auto proximal_moment =
        quantities.boundary_moment.find(Boundary::proximal);
    if (proximal_moment != quantities.boundary_moment.end() &&
        quantities.mean_boundary_rotation.count(Boundary::distal))
    {
      Tensor<1, 3> relative =
          quantities.mean_boundary_rotation.at(Boundary::proximal) -
          quantities.mean_boundary_rotation.at(Boundary::distal);
      if (boundary_conditions.prestrain)
        relative -= preload_rotation.at(Boundary::proximal) -
                    preload_rotation.at(Boundary::distal);
      for (unsigned int d = 0; d < 3; ++d)
        if (proximal_moment->second[d] != 0 && std::abs(relative[d]) > 0)
          quantities.rotational_stiffness[d] =
              std::abs(proximal_moment->second[d] / relative[d]);
    }
    return quantities;
  }
} // namespace Ossify
