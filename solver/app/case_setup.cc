#include "app/case_setup.h"

#include <deal.II/base/mpi.h>

#include <set>

namespace Ossify
{
  CaseSetup::CaseSetup(const std::string &parameter_file, MPI_Comm communicator)
      : mesh(communicator,
             dealii::Triangulation<3>::limit_level_difference_at_vertices)
  {
    CaseParameters::declare_parameters(prm);
    parameters.read(prm, parameter_file);
    // an explicit fixation's mesh is made (or found) before it is read
    if (parameters.fixation.is_explicit())
      generate_fixation_mesh(*parameters.fixation.explicit_model,
                             parameters.geometry.bone,
                             "Fixation/" + parameters.fixation.type,
                             communicator);
    create_mesh(parameters.geometry, mesh, parameters.finite_element.degree);
    mechanics =
        std::make_unique<ElasticitySolver>(mesh,
                                           parameters.finite_element,
                                           parameters.linear_solver,
                                           parameters.boundary_conditions);
    mechanics->setup();
    const auto &test = parameters.healing.virtual_test;
    if (parameters.healing.n_days > 0 && test.enabled())
      virtual_test = std::make_unique<VirtualMechanicalTest>(
          mesh,
          parameters.finite_element,
          parameters.linear_solver,
          parameters.boundary_conditions,
          test);

    // Every region in the mesh needs a tissue. Checked on the union over
    // all ranks so that every rank stops with the same message.
    std::set<dealii::types::material_id> present;
    for (const auto &cell : mesh.active_cell_iterators())
      if (cell->is_locally_owned())
        present.insert(cell->material_id());
    for (const auto id :
         dealii::Utilities::MPI::compute_set_union(present, communicator))
      parameters.regions.tissue_of(id);

    assign_initial_materials(*mechanics, parameters);
  }

  void
  assign_initial_materials(ElasticitySolver     &mechanics,
                           const CaseParameters &parameters)
  {
    auto &material = mechanics.material();
    for (const auto &cell : mechanics.dof_handler().active_cell_iterators())
      if (cell->is_locally_owned())
      {
        const TissueProperties &tissue =
            parameters
                .tissues[parameters.regions.tissue_of(cell->material_id())];
        const auto law = IsotropicElasticity::from_youngs_modulus(
            tissue.youngs_modulus, tissue.poissons_ratio);
        for (unsigned int q = 0; q < material.n_quadrature_points(); ++q)
          material(cell, q) = law;
      }
  }
} // namespace Ossify
