#include "app/application.h"

#include "app/case_setup.h"
#include "base/input_error.h"
#include "geometry/bone_mesh.h"
#include "healing/checkpoint.h"
#include "healing/healing_simulation.h"
#include "io/field_output.h"
#include "io/run_log.h"
#include "mechanics/elasticity.h"
#include "mechanics/region_statistics.h"

#include <deal.II/base/conditional_ostream.h>
#include <deal.II/base/timer.h>
#include <deal.II/base/utilities.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

namespace Ossify
{
  using namespace dealii;

  namespace
  {
    std::string
    format_vector(const Tensor<1, 3> &v, const unsigned int precision = 5)
    {
      std::ostringstream out;
      out << std::setprecision(precision) << "(" << v[0] << ", " << v[1] << ", "
          << v[2] << ")";
      return out.str();
    }

    std::string
    now()
    {
      const std::time_t t = std::time(nullptr);
      char              buffer[64];
      std::strftime(
          buffer, sizeof(buffer), "%Y-%m-%d %H:%M:%S", std::localtime(&t));
      return buffer;
    }

  } // namespace

  Application::Application(const MPI_Comm  communicator,
                           const Verbosity verbosity)
      : communicator(communicator)
      , verbosity(verbosity)
  {
  }

  void
  Application::print_parameters(std::ostream &out, const std::string &format)
  {
    ParameterHandler prm;
    CaseParameters::declare_parameters(prm);
    prm.print_parameters(
        out, format == "json" ? ParameterHandler::JSON : ParameterHandler::PRM);
  }

  void
  Application::validate(const std::string &parameter_file) const
  {
    CaseSetup          setup(parameter_file, communicator);
    ConditionalOStream pcout(std::cout,
                             Utilities::MPI::this_mpi_process(communicator) ==
                                     0 &&
                                 verbosity != Verbosity::quiet);
    pcout << parameter_file << ": valid (case '" << setup.parameters.case_name
          << "', " << setup.mesh.n_global_active_cells() << " cells, "
          << setup.mechanics->dof_handler().n_dofs() << " DOFs)\n"
          << "output directory: " << setup.parameters.output_directory
          << std::endl;
  }

  namespace
  {
    /// A restart needs a healing case and a checkpoint of the same run
    /// (same case, mesh and state-shaping parameters, files intact) that
    /// ends no later than the days asked for. Everything is checked here,
    /// before the output directory is touched, so that a refused restart
    /// leaves the run it refused as it was.
    std::unique_ptr<RestartPoint>
    read_restart_point(const CaseSetup             &setup,
                       const CheckpointFingerprint &fingerprint)
    {
      const CaseParameters &parameters = setup.parameters;
      if (parameters.healing.n_days == 0)
        throw InputError("Healing",
                         "Number of days",
                         "--restart continues a healing run, but this case "
                         "has 0 days");
      const Checkpoint       checkpoint(parameters.output_directory,
                                  setup.mesh.get_communicator());
      const CheckpointHeader header = checkpoint.read_header();
      if (header.case_name != parameters.case_name)
        throw InputError("--restart: the checkpoint in '" + checkpoint.path() +
                         "' is of case '" + header.case_name + "', not '" +
                         parameters.case_name + "'");
      if (header.next_day > parameters.healing.n_days)
        throw InputError("Healing",
                         "Number of days",
                         "the checkpoint is at day " +
                             std::to_string(header.next_day) +
                             "; to restart from it ask for at least that "
                             "many days, not " +
                             std::to_string(parameters.healing.n_days));
      return std::make_unique<RestartPoint>(
          checkpoint.read(setup.mesh, fingerprint));
    }
  } // namespace

  void
  Application::run(const std::string &parameter_file, const bool restart) const
  {
    const bool is_root = Utilities::MPI::this_mpi_process(communicator) == 0;
    ConditionalOStream pcout(std::cout,
                             is_root && verbosity != Verbosity::quiet);
    // --verbose: the solver figures of every solve, strain per region
    ConditionalOStream vout(std::cout,
                            is_root && verbosity == Verbosity::verbose);
    Timer              total_timer(communicator, true);

    CaseSetup             setup(parameter_file, communicator);
    const CaseParameters &parameters    = setup.parameters;
    ElasticitySolver     &mechanics     = *setup.mechanics;
    const double          setup_seconds = total_timer.wall_time();

    const std::string          &out_dir = parameters.output_directory;
    const CheckpointFingerprint fingerprint =
        fingerprint_of(setup.mesh,
                       setup.prm,
                       parameters.finite_element.degree,
                       mechanics.quadrature().size());
    std::unique_ptr<RestartPoint> restart_point;
    if (restart)
      restart_point = read_restart_point(setup, fingerprint);

    // Everything the input can get wrong has been checked: only now touch
    // the output directory.
    // Rank 0 prepares the directory; every rank learns whether that worked,
    // so that a failure stops all of them instead of leaving some waiting.
    std::string setup_error;
    if (is_root)
      try
      {
        std::filesystem::create_directories(out_dir);
        std::filesystem::remove(out_dir + "/statistics.txt");
        // a fresh run must not leave an earlier run's checkpoint or images
        // behind, where a restart or a report would take them for its own
        if (!restart)
        {
          std::filesystem::remove_all(out_dir + "/checkpoint");
          std::filesystem::remove_all(out_dir + "/checkpoint.old");
          std::filesystem::remove_all(out_dir + "/catalyst");
        }
        bool written = false;
        try
        {
          std::ofstream used(out_dir + "/parameters.prm");
          setup.prm.print_parameters(used, ParameterHandler::ShortPRM);
          used.close(); // the last buffer is written here: check after it
          written = static_cast<bool>(used);
        }
        catch (const ExceptionBase &)
        {
          // deal.II's check of the stream (ExcIO), as on a full disk
        }
        if (!written)
          throw std::runtime_error("cannot write " + out_dir +
                                   "/parameters.prm (disk full or a "
                                   "file-size limit?)");
      }
      catch (const std::exception &e)
      {
        setup_error = e.what();
      }
    setup_error = Utilities::MPI::broadcast(communicator, setup_error, 0);
    // an I/O fault, not bad input: the same case runs where the disk
    // takes it (exit 3)
    if (!setup_error.empty())
      throw OutputError(out_dir,
                        "cannot prepare the output directory (parameter "
                        "'Output directory'): " +
                            setup_error);

    RunLog             log(out_dir, communicator, restart);
    const unsigned int n_ranks = Utilities::MPI::n_mpi_processes(communicator);
    std::ostringstream header;
    header << "Ossify " << OSSIFY_VERSION << ", case '" << parameters.case_name
           << "' from " << parameter_file << "\n"
           << "started " << now() << " on " << n_ranks << " MPI rank(s)\n"
           << "mesh: " << setup.mesh.n_global_active_cells() << " cells, "
           << mechanics.dof_handler().n_dofs() << " displacement DOFs (FE_Q("
           << parameters.finite_element.degree << ")^3)";
    log.line(header.str());
    pcout << header.str() << std::endl;

    if (parameters.healing.n_days > 0)
    {
      HealingSimulation healing(setup,
                                out_dir,
                                log,
                                pcout,
                                vout,
                                fingerprint,
                                std::move(restart_point));
      healing.run();
      log.line("finished " + now());
      return;
    }

    // a failure names the field, as the healing loop's name the day
    const ElasticityStatistics solve = [&]()
    {
      try
      {
        return mechanics.solve();
      }
      catch (const ComputationError &e)
      {
        throw ComputationError(std::string("the single solve, displacement "
                                           "field: ") +
                               e.what());
      }
    }();
    QuadraturePointData<MechanicalPointState> states;
    mechanics.evaluate_point_states(states);
    const MechanicalQuantities quantities = mechanics.compute_quantities();

    FieldOutput fields(out_dir, parameters.output, communicator);
    fields.write(0, mechanics, states, {}, true, true);

    Statistics statistics = {
        {"n_mpi_ranks", n_ranks},
        {"n_cells", static_cast<double>(solve.n_cells)},
        {"n_dofs", static_cast<double>(solve.n_dofs)},
        {"solver_iterations", static_cast<double>(solve.linear.iterations)},
        {"axial_ifm_mm", quantities.axial_ifm()},
        {"shear_ifm_mm", quantities.shear_ifm()},
        {"axial_stiffness_N_per_mm", quantities.axial_stiffness}};
    for (const auto &[b, force] : quantities.boundary_force)
      for (unsigned int d = 0; d < 3; ++d)
        statistics.emplace_back(
            "force_" + boundary_name(static_cast<types::boundary_id>(b)) + "_" +
                std::string(1, 'x' + d) + "_N",
            force[d]);
    if (parameters.boundary_conditions.prestrain)
      statistics.emplace_back("preload_axial_ifm_mm",
                              quantities.preload_interfragmentary_movement[2]);
    for (const auto &[b, u] : quantities.mean_boundary_displacement)
      statistics.emplace_back(
          "mean_uz_" + boundary_name(static_cast<types::boundary_id>(b)) +
              "_mm",
          u[2]);
    // Bending and twisting: only when a moment is applied (otherwise the
    // rotations are round-off).
    if (!quantities.boundary_moment.empty())
      for (unsigned int d = 0; d < 3; ++d)
      {
        const std::string axis(1, 'x' + d);
        statistics.emplace_back("ifm_rotation_" + axis + "_rad",
                                quantities.interfragmentary_rotation[d]);
        statistics.emplace_back("rotational_stiffness_" + axis + "_Nmm_per_rad",
                                quantities.rotational_stiffness[d]);
      }
    // Peak resident memory, summed over the ranks.
    Utilities::System::MemoryStats memory;
    Utilities::System::get_memory_stats(memory);
    statistics.emplace_back(
        "memory_peak_MB",
        Utilities::MPI::sum(memory.VmHWM / 1024., communicator));
    statistics.emplace_back("time_assembly_s", solve.assembly_seconds);
    statistics.emplace_back("time_amg_setup_s", solve.linear.setup_seconds);
    statistics.emplace_back("time_solve_s", solve.linear.solve_seconds);

    const auto         regions = compute_region_statistics(mechanics, states);
    std::ostringstream region_table;
    region_table << "region,volume_mm3,mean_octahedral_shear_strain,"
                    "max_octahedral_shear_strain,mean_hydrostatic_pressure_MPa,"
                    "mean_max_abs_principal_strain\n";
    for (const auto &[region, r] : regions)
    {
      const std::string name =
          region_name(static_cast<types::material_id>(region));
      statistics.emplace_back("volume_" + name + "_mm3", r.volume);
      statistics.emplace_back("mean_octahedral_shear_" + name,
                              r.mean_octahedral_shear_strain);
      statistics.emplace_back("mean_pressure_" + name + "_MPa",
                              r.mean_hydrostatic_pressure);
      region_table << name << ',' << r.volume << ','
                   << r.mean_octahedral_shear_strain << ','
                   << r.max_octahedral_shear_strain << ','
                   << r.mean_hydrostatic_pressure << ','
                   << r.mean_max_abs_principal << '\n';
    }
    if (is_root)
      std::ofstream(out_dir + "/regions.csv") << region_table.str();
    vout << "strain statistics per region (regions.csv):\n"
         << region_table.str();
    log.write_statistics(statistics);

    std::ostringstream summary;
    summary << std::setprecision(5);
    if (quantities.has_gap)
      summary << "interfragmentary movement: axial " << quantities.axial_ifm()
              << " mm, shear " << quantities.shear_ifm() << " mm\n";
    if (parameters.boundary_conditions.prestrain && quantities.has_gap)
      summary << "of which the plate's preload alone: axial "
              << quantities.preload_interfragmentary_movement[2] << " mm\n";
    for (const auto &[b, force] : quantities.boundary_force)
      summary << "force on "
              << boundary_name(static_cast<types::boundary_id>(b)) << ": "
              << format_vector(force) << " N\n";
    if (quantities.axial_stiffness > 0)
      summary << "axial construct stiffness: " << quantities.axial_stiffness
              << " N/mm\n";
    for (const auto &[b, moment] : quantities.boundary_moment)
      summary << "moment on "
              << boundary_name(static_cast<types::boundary_id>(b)) << ": "
              << format_vector(moment) << " N mm\n";
    if (!quantities.boundary_moment.empty())
    {
      if (quantities.has_gap)
        summary << "interfragmentary rotation: "
                << format_vector(quantities.interfragmentary_rotation * 180. /
                                 M_PI)
                << " deg (about x y z)\n";
      summary << "rotational construct stiffness: "
              << format_vector(quantities.rotational_stiffness * M_PI / 180. /
                               1000.)
              << " N m/deg (about x y z; 0: no moment about that axis)\n";
    }
    summary << "timings: set-up " << setup_seconds << " s, assembly "
            << solve.assembly_seconds << " s, AMG set-up "
            << solve.linear.setup_seconds << " s, solve "
            << solve.linear.solve_seconds << " s (" << solve.linear.iterations
            << " iterations), total " << total_timer.wall_time() << " s\n"
            << "results in " << out_dir
            << "/ (solution.pvd, statistics.txt, regions.csv, run.log)";
    log.line(summary.str());
    log.line("finished " + now());
    pcout << summary.str() << std::endl;
  }
} // namespace Ossify
