#ifndef OSSIFY_IO_RUN_LOG_H
#define OSSIFY_IO_RUN_LOG_H

#include <mpi.h>

#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace Ossify
{
  /// Named figures of a run, in the order they were added.
  using Statistics = std::vector<std::pair<std::string, double>>;

  /**
   * The text record of a run in its output directory, written by rank 0:
   * run.log (what ran, where, how long) and statistics.txt (one
   * "name value" line per figure, which the regression tests compare with
   * tolerances).
   */
  class RunLog
  {
  public:
    RunLog(const std::string &output_directory, MPI_Comm communicator);

    /// Appends a line to run.log (rank 0 only; no-op elsewhere).
    void line(const std::string &text);

    /// Writes statistics.txt, replacing an earlier one.
    void write_statistics(const Statistics &statistics) const;

  private:
    std::string   directory;
    bool          is_root;
    std::ofstream log;
  };
} // namespace Ossify

#endif
