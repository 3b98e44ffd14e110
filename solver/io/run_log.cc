#include "io/run_log.h"

#include <deal.II/base/mpi.h>

#include <iomanip>

namespace Ossify
{
  RunLog::RunLog(const std::string &output_directory,
                 const MPI_Comm     communicator)
      : directory(output_directory)
      , is_root(dealii::Utilities::MPI::this_mpi_process(communicator) == 0)
  {
    if (is_root)
      log.open(directory + "/run.log");
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
    if (!is_root)
      return;
    std::ofstream out(directory + "/statistics.txt");
    out << "# name value (SI-like units: mm, N, MPa, s)\n";
    out << std::setprecision(10);
    for (const auto &[name, value] : statistics)
      out << name << ' ' << value << '\n';
  }
} // namespace Ossify
