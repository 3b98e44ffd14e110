// ossify: command-line entry point. All work happens in libossify.
#include "app/application.h"
#include "base/input_error.h"
#include "geometry/regions.h"

#include <deal.II/base/exceptions.h>
#include <deal.II/base/mpi.h>

#include <csignal>
#include <iostream>
#include <string>
#include <vector>

namespace
{
  const char *usage =
      "Usage: ossify [options] run FILE.prm     run a case\n"
      "       ossify [options] FILE.prm         same as 'run FILE.prm'\n"
      "       ossify --validate FILE.prm        check a case file, mesh and\n"
      "                                         boundary conditions; solve "
      "nothing\n"
      "       ossify --print-parameters         all parameters with defaults,\n"
      "                                         units and allowed values "
      "(.prm)\n"
      "       ossify --output-json              the same as JSON\n"
      "       ossify --print-labels             region and boundary ids of\n"
      "                                         meshes, as JSON\n"
      "       ossify --version | --help\n"
      "Options: --quiet (no progress output), --verbose,\n"
      "         --restart (continue a healing run from the checkpoint in\n"
      "         its output directory; more days extend a finished run)\n"
      "Parallel: mpirun -np N ossify run FILE.prm\n"
      "Exit codes: 0 success, 1 usage or internal error, 2 bad input,\n"
      "            3 computation failed (e.g. solver diverged)\n";

  bool
  is_root()
  {
    return dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0;
  }

  int
  fail(const int code, const std::string &message)
  {
    if (is_root())
      std::cerr << "ossify: error: " << message << std::endl;
    return code;
  }
} // namespace

int
main(int argc, char **argv)
{
  // Past a file-size limit (ulimit -f) the kernel kills the process with
  // SIGXFSZ unless it is ignored; ignored, the write fails, and the run
  // ends with a message naming the file, as on a full disk.
  std::signal(SIGXFSZ, SIG_IGN);
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  // Without this deal.II prints a stack trace for exceptions in debug
  // builds; our messages are for users.
  dealii::deal_II_exceptions::disable_abort_on_exception();

  std::vector<std::string> args(argv + 1, argv + argc);
  Ossify::Verbosity        verbosity = Ossify::Verbosity::normal;
  std::vector<std::string> positional;
  std::string              action;
  bool                     restart = false;
  for (const auto &arg : args)
    if (arg == "--restart")
      restart = true;
    else if (arg == "--quiet" || arg == "-q")
      verbosity = Ossify::Verbosity::quiet;
    else if (arg == "--verbose" || arg == "-v")
      verbosity = Ossify::Verbosity::verbose;
    else if (arg == "--help" || arg == "-h" || arg == "--version" ||
             arg == "--validate" || arg == "--print-parameters" ||
             arg == "--output-json" || arg == "--print-labels")
    {
      if (!action.empty())
        return fail(1,
                    "give only one of --help, --version, --validate, "
                    "--print-parameters, --output-json, --print-labels\n" +
                        std::string(usage));
      action = arg;
    }
    else if (!arg.empty() && arg[0] == '-')
      return fail(1, "unknown option '" + arg + "'\n" + usage);
    else
      positional.push_back(arg);

  if (action.empty() && !positional.empty() && positional[0] == "run")
    positional.erase(positional.begin());
  if (action.empty())
    action = "run";

  try
  {
    Ossify::Application app(MPI_COMM_WORLD, verbosity);
    if (action == "--help")
    {
      if (is_root())
        std::cout << usage;
      return 0;
    }
    if (action == "--version")
    {
      if (is_root())
        std::cout << "ossify " << OSSIFY_VERSION << " (deal.II "
                  << DEAL_II_PACKAGE_VERSION << ")" << std::endl;
      return 0;
    }
    if (action == "--print-parameters" || action == "--output-json")
    {
      if (is_root())
        Ossify::Application::print_parameters(
            std::cout, action == "--output-json" ? "json" : "prm");
      return 0;
    }
    if (action == "--print-labels")
    {
      if (is_root())
        std::cout << Ossify::labels_json() << std::endl;
      return 0;
    }
    if (positional.size() != 1)
      return fail(1,
                  "expected exactly one parameter file\n" + std::string(usage));
    if (action == "--validate")
      app.validate(positional[0]);
    else
      app.run(positional[0], restart);
  }
  catch (const Ossify::InputError &e)
  {
    return fail(2, e.what());
  }
  catch (const Ossify::ComputationError &e)
  {
    return fail(3, e.what());
  }
  catch (const dealii::ExceptionBase &e)
  {
    std::ostringstream info;
    e.print_info(info);
    return fail(1, "internal error: " + info.str());
  }
  catch (const std::exception &e)
  {
    return fail(1, std::string("internal error: ") + e.what());
  }
  return 0;
}
