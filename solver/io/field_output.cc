#include "io/field_output.h"

#include <deal.II/base/utilities.h>
#include <deal.II/numerics/data_out.h>

#include <filesystem>
#include <fstream>

namespace Ossify
{
  using namespace dealii;

  void
  OutputParameters::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Output");
    prm.declare_entry("Write fields",
                      "true",
                      Patterns::Bool(),
                      "Write VTK fields (.pvtu per step, solution.pvd for the "
                      "series) into the output directory.");
    prm.declare_entry("Files per step",
                      "1",
                      Patterns::Integer(1, 1024),
                      "Number of .vtu files each output step is written to "
                      "[-]; ranks are grouped onto them with MPI-IO.");
    prm.leave_subsection();
  }

  void
  OutputParameters::parse_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Output");
    write_fields   = prm.get_bool("Write fields");
    files_per_step = prm.get_integer("Files per step");
    prm.leave_subsection();
  }

  FieldOutput::FieldOutput(const std::string      &output_directory,
                           const OutputParameters &parameters,
                           const MPI_Comm          communicator)
      : directory(output_directory)
      , parameters(parameters)
      , communicator(communicator)
  {
  }

  void
  FieldOutput::write(const double                                     time,
                     const ElasticitySolver                          &mechanics,
                     const QuadraturePointData<MechanicalPointState> &states,
                     const std::vector<CellField> &extra_fields)
  {
    if (!parameters.write_fields)
      return;
    const auto        &dofs   = mechanics.dof_handler();
    const auto        &mesh   = dofs.get_triangulation();
    const unsigned int n_q    = states.n_quadrature_points();
    const unsigned int n_cell = mesh.n_active_cells();

    const std::vector<std::string> names = {"principal_strain_1",
                                            "principal_strain_2",
                                            "principal_strain_3",
                                            "octahedral_shear_strain",
                                            "volumetric_strain",
                                            "hydrostatic_pressure",
                                            "von_mises_stress",
                                            "youngs_modulus"};
    std::vector<Vector<float>> averages(names.size(), Vector<float>(n_cell));
    Vector<float>              region(n_cell), rank(n_cell);
    const auto                &material = mechanics.material();
    for (const auto &cell : dofs.active_cell_iterators())
      if (cell->is_locally_owned())
      {
        const unsigned int index = cell->active_cell_index();
        region[index]            = cell->material_id();
        rank[index]              = mesh.locally_owned_subdomain();
        for (unsigned int q = 0; q < n_q; ++q)
        {
          const StrainMeasures      &m        = states(cell, q).measures;
          const IsotropicElasticity &law      = material(cell, q);
          const double               youngs   = law.youngs_modulus();
          const double               values[] = {m.principal_strains[0],
                                                 m.principal_strains[1],
                                                 m.principal_strains[2],
                                                 m.octahedral_shear_strain,
                                                 m.volumetric_strain,
                                                 m.hydrostatic_pressure,
                                                 m.von_mises_stress,
                                                 youngs};
          for (unsigned int k = 0; k < names.size(); ++k)
            averages[k][index] += values[k] / n_q;
        }
      }

    DataOut<3> data_out;
    data_out.attach_dof_handler(dofs);
    data_out.add_data_vector(
        mechanics.displacement(),
        std::vector<std::string>(3, "displacement"),
        DataOut<3>::type_dof_data,
        std::vector<DataComponentInterpretation::DataComponentInterpretation>(
            3, DataComponentInterpretation::component_is_part_of_vector));
    for (unsigned int k = 0; k < names.size(); ++k)
      data_out.add_data_vector(
          averages[k], names[k], DataOut<3>::type_cell_data);
    for (const auto &field : extra_fields)
      data_out.add_data_vector(
          field.values, field.name, DataOut<3>::type_cell_data);
    data_out.add_data_vector(region, "region", DataOut<3>::type_cell_data);
    data_out.add_data_vector(rank, "mpi_rank", DataOut<3>::type_cell_data);
    data_out.build_patches();

    const unsigned int step = records.size();
    std::filesystem::create_directories(directory + "/fields");
    const std::string pvtu =
        data_out.write_vtu_with_pvtu_record(directory + "/fields/",
                                            "solution",
                                            step,
                                            communicator,
                                            4,
                                            parameters.files_per_step);
    records.emplace_back(time, "fields/" + pvtu);

    if (Utilities::MPI::this_mpi_process(communicator) == 0)
    {
      std::ofstream pvd(directory + "/solution.pvd");
      DataOutBase::write_pvd_record(pvd, records);
    }
  }
} // namespace Ossify
