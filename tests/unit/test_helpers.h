#ifndef OSSIFY_TESTS_TEST_HELPERS_H
#define OSSIFY_TESTS_TEST_HELPERS_H

#include "app/case_parameters.h"

#include <deal.II/base/mpi.h>

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <string>

namespace OssifyTest
{
  /// A scratch directory per test and rank, so that parallel ranks and
  /// parallel ctest jobs never share files.
  inline std::string
  scratch_directory(const std::string &test)
  {
    const std::string dir =
        std::string(OSSIFY_TEST_BINARY_DIR) + "/scratch/" + test + "/rank" +
        std::to_string(
            dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD)) +
        "_of" +
        std::to_string(dealii::Utilities::MPI::n_mpi_processes(MPI_COMM_WORLD));
    std::filesystem::create_directories(dir);
    return dir;
  }

  inline std::string
  write_file(const std::string &path, const std::string &text)
  {
    std::filesystem::create_directories(
        std::filesystem::path(path).parent_path());
    std::ofstream(path) << text;
    return path;
  }

  /// Parses @p text as a case file in a scratch directory.
  inline Ossify::CaseParameters
  parse_case(const std::string &test, const std::string &text)
  {
    dealii::ParameterHandler prm;
    Ossify::CaseParameters::declare_parameters(prm);
    Ossify::CaseParameters parameters;
    parameters.read(prm,
                    write_file(scratch_directory(test) + "/case.prm", text));
    return parameters;
  }

  /// Predicate for BOOST_CHECK_EXCEPTION: the message contains @p text.
  struct MessageContains
  {
    std::string text;
    template <typename Exception>
    bool
    operator()(const Exception &e) const
    {
      const bool found = std::string(e.what()).find(text) != std::string::npos;
      if (!found)
        BOOST_TEST_MESSAGE("message was: " << e.what());
      return found;
    }
  };
} // namespace OssifyTest

#endif
