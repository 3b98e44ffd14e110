#ifndef OSSIFY_BASE_INPUT_ERROR_H
#define OSSIFY_BASE_INPUT_ERROR_H

#include <stdexcept>
#include <string>

namespace Ossify
{
  /**
   * An error in what the user gave us: a parameter value, a file, or a
   * combination of parameters that cannot be satisfied. The message always
   * names where the problem is (file, section, parameter) and what would be
   * allowed. The executable prints it once and exits with code 2.
   */
  class InputError : public std::runtime_error
  {
  public:
    explicit InputError(const std::string &message);

    /// "Section 'A/B', parameter 'P': message"
    InputError(const std::string &section,
               const std::string &parameter,
               const std::string &message);
  };

  /**
   * A failure of the computation itself (a diverging solver, NaN in a
   * field). Printed once, exit code 3.
   */
  class ComputationError : public std::runtime_error
  {
  public:
    explicit ComputationError(const std::string &message);
  };

  /**
   * A file that could not be written or read back while a run was under
   * way: a full disk, a file-size limit, a directory that went away. The
   * message names the file. Exit code 3, as for other failures of the run;
   * what was complete before it stays, and summary.txt says where the run
   * stopped.
   */
  class OutputError : public ComputationError
  {
  public:
    /// "cannot write FILE: REASON"
    OutputError(const std::string &file, const std::string &reason);
  };
} // namespace Ossify

#endif
