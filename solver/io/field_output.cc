#include "io/field_output.h"

#include "base/input_error.h"
#include "base/parameter_utilities.h"
#include "io/in_situ.h"

#include <deal.II/base/mpi.h>
#include <deal.II/base/utilities.h>
#include <deal.II/numerics/data_out.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>

namespace Ossify
{
  using namespace dealii;

  namespace
  {
    /// The first .vtu file of step @p step in @p fields that does not end
    /// with the VTK footer ("" if all are complete).
    std::string
    cut_field_file(const std::string &fields, const unsigned int step)
    {
      const std::string prefix =
          "solution_" + Utilities::int_to_string(step, 4) + ".";
      std::error_code code;
      for (std::filesystem::directory_iterator entry(fields, code), end;
           !code && entry != end;
           entry.increment(code))
      {
        const std::string name = entry->path().filename().string();
        if (name.rfind(prefix, 0) != 0 || entry->path().extension() != ".vtu")
          continue;
        std::ifstream in(entry->path(), std::ios::binary | std::ios::ate);
        const std::streamoff size = in.tellg();
        std::string          tail(std::min<std::streamoff>(size, 64), ' ');
        in.seekg(size - static_cast<std::streamoff>(tail.size()));
        in.read(tail.data(), static_cast<std::streamsize>(tail.size()));
        if (!in || tail.find("</VTKFile>") == std::string::npos)
          return entry->path().string() + " is cut short";
      }
      return "";
    }
  } // namespace

  void
  CatalystParameters::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Catalyst");
    prm.declare_entry("Enable",
                      "false",
                      Patterns::Bool(),
                      "Hand the mesh and all fields to ParaView Catalyst "
                      "pipelines while the simulation runs (needs a build "
                      "with OSSIFY_WITH_CATALYST=ON). Pipelines run with "
                      "<output directory>/catalyst as working directory.");
    prm.declare_entry("Scripts",
                      "",
                      Patterns::List(Patterns::FileName(), 0, 16, ","),
                      "Comma-separated Catalyst Python pipelines (v1, or v2 "
                      "starting with '# script-version: 2'), relative to "
                      "this parameter file; the input channel is called "
                      "'grid'. Ready ones: postprocessing/catalyst/.");
    prm.declare_entry("Interval",
                      "7",
                      Patterns::Integer(1, 100000),
                      "Days between two calls of the pipelines [days]; day 0 "
                      "and the last day are always processed.");
    prm.leave_subsection();
  }

  void
  CatalystParameters::parse_parameters(ParameterHandler  &prm,
                                       const std::string &prm_directory)
  {
    prm.enter_subsection("Catalyst");
    enable   = prm.get_bool("Enable");
    interval = prm.get_integer("Interval");
    scripts.clear();
    for (const std::string &name :
         Utilities::split_string_list(prm.get("Scripts"), ','))
      if (!name.empty())
        // absolute: the pipelines run in the output directory
        scripts.push_back(
            std::filesystem::absolute(resolve_path(name, prm_directory))
                .lexically_normal()
                .string());
    prm.leave_subsection();

    if (!enable)
      return;
    if (!catalyst_available())
      throw InputError("Output/Catalyst", "Enable", catalyst_build_hint());
    if (scripts.empty())
      throw InputError("Output/Catalyst",
                       "Scripts",
                       "Catalyst is enabled but no pipeline script is given; "
                       "name one or more .py files, e.g. "
                       "postprocessing/catalyst/extracts.py");
    for (const std::string &script : scripts)
      if (!std::filesystem::is_regular_file(script))
        throw InputError("Output/Catalyst",
                         "Scripts",
                         "the pipeline script '" + script + "' does not exist");
  }

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
    CatalystParameters::declare_parameters(prm);
    prm.leave_subsection();
  }

  void
  OutputParameters::parse_parameters(ParameterHandler  &prm,
                                     const std::string &prm_directory)
  {
    prm.enter_subsection("Output");
    write_fields   = prm.get_bool("Write fields");
    files_per_step = prm.get_integer("Files per step");
    catalyst.parse_parameters(prm, prm_directory);
    prm.leave_subsection();
  }

  std::vector<CellField>
  mechanical_cell_fields(
      const ElasticitySolver                          &mechanics,
      const QuadraturePointData<MechanicalPointState> &states)
  {
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
                                            "youngs_modulus",
                                            "region",
                                            "mpi_rank"};
    std::vector<CellField>         fields;
    for (const std::string &name : names)
      fields.push_back({name, Vector<float>(n_cell)});
    const auto &material = mechanics.material();
    for (const auto &cell : dofs.active_cell_iterators())
      if (cell->is_locally_owned())
      {
        const unsigned int index = cell->active_cell_index();
        for (unsigned int q = 0; q < n_q; ++q)
        {
          const StrainMeasures &m        = states(cell, q).measures;
          const double          values[] = {m.principal_strains[0],
                                            m.principal_strains[1],
                                            m.principal_strains[2],
                                            m.octahedral_shear_strain,
                                            m.volumetric_strain,
                                            m.hydrostatic_pressure,
                                            m.von_mises_stress,
                                            material(cell, q).youngs_modulus()};
          for (unsigned int k = 0; k < 8; ++k)
            fields[k].values[index] += values[k] / n_q;
        }
        fields[8].values[index] = cell->material_id();
        fields[9].values[index] = mesh.locally_owned_subdomain();
      }
    return fields;
  }

  FieldOutput::FieldOutput(const std::string      &output_directory,
                           const OutputParameters &parameters,
                           const MPI_Comm          communicator)
      : directory(output_directory)
      , parameters(parameters)
      , communicator(communicator)
  {
    if (parameters.catalyst.enable)
      catalyst = create_catalyst_adaptor(
          parameters.catalyst, output_directory, communicator);
  }

  FieldOutput::~FieldOutput() = default;

  void
  FieldOutput::resume(const unsigned int first_day)
  {
    std::ifstream    pvd(directory + "/solution.pvd");
    const std::regex entry(R"re(timestep="([^"]+)"[^>]*file="([^"]+)")re");
    std::string      line;
    std::smatch      match;
    while (std::getline(pvd, line))
      if (std::regex_search(line, match, entry) &&
          std::stod(match[1]) < first_day)
        records.emplace_back(std::stod(match[1]), match[2]);
  }

  bool
  FieldOutput::catalyst_due(const unsigned int day) const
  {
    return catalyst && day % parameters.catalyst.interval == 0;
  }

  void
  FieldOutput::write(const unsigned int                               day,
                     const ElasticitySolver                          &mechanics,
                     const QuadraturePointData<MechanicalPointState> &states,
                     const std::vector<CellField> &extra_fields,
                     const bool                    write_files,
                     const bool                    last_day)
  {
    const bool to_files    = write_files && parameters.write_fields;
    const bool to_catalyst = catalyst && (catalyst_due(day) || last_day);
    if (!to_files && !to_catalyst)
      return;

    std::vector<CellField> cell_fields =
        mechanical_cell_fields(mechanics, states);
    cell_fields.insert(
        cell_fields.end(), extra_fields.begin(), extra_fields.end());
    if (to_catalyst)
      catalyst->process(day, mechanics, cell_fields, last_day);
    if (!to_files)
      return;

    DataOut<3> data_out;
    data_out.attach_dof_handler(mechanics.dof_handler());
    data_out.add_data_vector(
        mechanics.displacement(),
        std::vector<std::string>(3, "displacement"),
        DataOut<3>::type_dof_data,
        std::vector<DataComponentInterpretation::DataComponentInterpretation>(
            3, DataComponentInterpretation::component_is_part_of_vector));
    for (const auto &field : cell_fields)
      data_out.add_data_vector(
          field.values, field.name, DataOut<3>::type_cell_data);
    data_out.build_patches();

    // A full disk or a file-size limit must end the run with a message
    // naming the file, on every rank, not with an internal error on some.
    const unsigned int step = records.size();
    const std::string  base =
        directory + "/fields/solution_" + Utilities::int_to_string(step, 4);
    std::string pvtu, reason;
    try
    {
      std::filesystem::create_directories(directory + "/fields");
      pvtu = data_out.write_vtu_with_pvtu_record(directory + "/fields/",
                                                 "solution",
                                                 step,
                                                 communicator,
                                                 4,
                                                 parameters.files_per_step);
    }
    catch (const ExceptionBase &e)
    {
      reason = e.get_exc_name();
    }
    catch (const std::exception &e)
    {
      reason = e.what();
    }
    // deal.II's MPI-IO writer does not report every failed write (Open
    // MPI's prints "File too large" and goes on): a file is complete only
    // if it ends with the VTK footer
    if (reason.empty() && Utilities::MPI::this_mpi_process(communicator) == 0)
      reason = cut_field_file(directory + "/fields", step);
    if (Utilities::MPI::logical_or(!reason.empty(), communicator))
    {
      // a cut file is not a result: remove this step's files
      MPI_Barrier(communicator);
      if (Utilities::MPI::this_mpi_process(communicator) == 0)
      {
        const std::string prefix =
            "solution_" + Utilities::int_to_string(step, 4) + ".";
        std::error_code code;
        for (std::filesystem::directory_iterator
                 entry(directory + "/fields", code),
             end;
             !code && entry != end;
             entry.increment(code))
          if (entry->path().filename().string().rfind(prefix, 0) == 0)
          {
            std::error_code ignored;
            std::filesystem::remove(entry->path(), ignored);
          }
      }
      throw OutputError(base + ".vtu (or its .pvtu)",
                        "the write failed (disk full or a file-size "
                        "limit?)" +
                            (reason.empty() ? std::string() : ": " + reason));
    }
    records.emplace_back(day, "fields/" + pvtu);

    bool ok = true;
    if (Utilities::MPI::this_mpi_process(communicator) == 0)
    {
      std::ofstream pvd(directory + "/solution.pvd");
      DataOutBase::write_pvd_record(pvd, records);
      pvd.close();
      ok = static_cast<bool>(pvd);
    }
    if (!Utilities::MPI::broadcast(communicator, ok, 0))
      throw OutputError(directory + "/solution.pvd",
                        "the write failed (disk full or a file-size limit?)");
  }
} // namespace Ossify
