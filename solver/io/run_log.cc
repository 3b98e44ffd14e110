#include "io/run_log.h"

#include "base/input_error.h"

#include <deal.II/base/mpi.h>

#include <iomanip>

namespace Ossify
{
  RunLog::RunLog(const std::string &output_directory,
                 const MPI_Comm     communicator,
                 const bool         append)
      : directory(output_directory)
      , communicator(communicator)
      , is_root(dealii::Utilities::MPI::this_mpi_process(communicator) == 0)
  {
    // always appended to, also by the Catalyst adaptor (Python tracebacks):
    // a stream writing at its own position would overwrite those
    if (is_root && !append)
      std::ofstream(directory + "/run.log", std::ios::trunc);
    if (is_root)
      log.open(directory + "/run.log", std::ios::app);
  }

  void
  RunLog::line(const std::string &text)
  {
    if (is_root)
      log << text << std::endl;
  }

  void
  RunLog::write_statistics(const Statistics &statistics) const
  {
    bool ok = true;
    if (is_root)
    {
      std::ofstream out(directory + "/statistics.txt");
      out << "# name value (SI-like units: mm, N, MPa, s)\n";
      out << std::setprecision(10);
      for (const auto &[name, value] : statistics)
        out << name << ' ' << value << '\n';
      out.close();
      ok = static_cast<bool>(out);
    }
    if (!dealii::Utilities::MPI::broadcast(communicator, ok, 0))
      throw OutputError(directory + "/statistics.txt",
                        "the write failed (disk full or a file-size limit?)");
  }
} // namespace Ossify
