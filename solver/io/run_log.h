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
    /// Starts run.log afresh, or adds to it when @p append (a restart
    /// continues the log of the run it continues).
    RunLog(const std::string &output_directory,
           MPI_Comm           communicator,
           bool               append = false);

    /// Appends a line to run.log (rank 0 only; no-op elsewhere). A log that
    /// can no longer be written (full disk) does not stop the run: the
    /// results are written, and checked, elsewhere.
    void line(const std::string &text);

    /// Writes statistics.txt, replacing an earlier one (collective). Throws
    /// OutputError on every rank if the file cannot be written.
    void write_statistics(const Statistics &statistics) const;

  private:
    std::string   directory;
    MPI_Comm      communicator;
    bool          is_root;
    std::ofstream log;
  };
} // namespace Ossify

#endif
