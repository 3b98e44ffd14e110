#ifndef OSSIFY_APP_APPLICATION_H
#define OSSIFY_APP_APPLICATION_H

#include <mpi.h>

#include <iosfwd>
#include <string>

namespace Ossify
{
  enum class Verbosity
  {
    quiet,
    normal,
    verbose
  };

  /**
   * What the `ossify` executable does: validate or run a case file, print
   * the parameter tree. All ranks call the same functions; only rank 0
   * prints.
   */
  class Application
  {
  public:
    Application(MPI_Comm communicator, Verbosity verbosity);

    /// Reads and checks @p parameter_file, builds the mesh and sets up the
    /// mechanics without solving or writing anything. Throws InputError.
    void validate(const std::string &parameter_file) const;

    /// Runs the case end to end and writes its results; with @p restart a
    /// healing run continues from the checkpoint in its output directory.
    void run(const std::string &parameter_file, bool restart = false) const;

    /// The full documented parameter tree with defaults: "prm" or "json".
    static void print_parameters(std::ostream &out, const std::string &format);

  private:
    MPI_Comm  communicator;
    Verbosity verbosity;
  };
} // namespace Ossify

#endif
