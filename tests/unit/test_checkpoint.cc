// Checkpoint integrity: a checkpoint reads back what was written, on any
// number of ranks, and refuses a damaged file, another mesh or a changed
// state-shaping parameter with a message naming it.
#include "base/input_error.h"
#include "healing/checkpoint.h"

#include <deal.II/base/mpi.h>
#include <deal.II/grid/grid_generator.h>

#include <boost/test/unit_test.hpp>

#include "test_helpers.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>

using namespace Ossify;
using OssifyTest::MessageContains;

namespace
{
  using Mesh = dealii::parallel::distributed::Triangulation<3>;

  /// A directory shared by the ranks of this run (not per rank: every rank
  /// reads every rank's cells).
  std::string
  shared_directory(const std::string &name)
  {
    const std::string dir =
        std::string(OSSIFY_TEST_BINARY_DIR) + "/scratch/" + name + "_np" +
        std::to_string(dealii::Utilities::MPI::n_mpi_processes(MPI_COMM_WORLD));
    if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
    {
      std::filesystem::remove_all(dir);
      std::filesystem::create_directories(dir);
    }
    MPI_Barrier(MPI_COMM_WORLD);
    return dir;
  }

  void
  declare(dealii::ParameterHandler &prm)
  {
    prm.declare_entry("Output directory", "out");
    prm.enter_subsection("Healing");
    prm.declare_entry("Number of days", "10");
    prm.declare_entry("Differentiation rate", "0.1");
    prm.leave_subsection();
  }

  /// A state that differs from cell to cell, for the owned cells of @p mesh.
  CheckpointData
  state_of(const Mesh &mesh)
  {
    CheckpointData data;
    for (const auto &cell : mesh.active_cell_iterators())
      if (cell->is_locally_owned())
      {
        const double x = cell->center()[0] + 10 * cell->center()[2];
        data.tissue[cell->id()].resize(8);
        for (TissueState &s : data.tissue[cell->id()])
        {
          s.fractions[1] = x;
          s.stem_cells   = 2 * x;
        }
        data.stem_cells[cell->id()] = std::vector<double>(8, 3 * x);
      }
    for (unsigned int day = 0; day < 5; ++day)
    {
      data.outcomes.start_row(day);
      data.outcomes.set("ifm_axial_mm", 0.1 * day);
      // an outcome not measured every day
      data.outcomes.set("virtual_bending_ratio",
                        day % 2 ? std::numeric_limits<double>::quiet_NaN()
                                : 0.25 * day);
      data.outcomes.finish_row();
    }
    return data;
  }

  struct Fixture
  {
    Fixture()
        : mesh(MPI_COMM_WORLD)
        , directory(shared_directory("checkpoint"))
    {
      dealii::GridGenerator::hyper_cube(mesh);
      mesh.refine_global(2);
      declare(prm);
      fingerprint = fingerprint_of(mesh, prm, 1, 8);
      Checkpoint(directory, MPI_COMM_WORLD)
          .write({Checkpoint::format_version, "unit", 5, 1.5},
                 state_of(mesh),
                 fingerprint,
                 mesh);
    }

    /// Flips one byte of @p file (rank 0, then all wait).
    void
    damage(const std::string &file, const std::streamoff at) const
    {
      if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
      {
        std::fstream f(directory + "/checkpoint/" + file,
                       std::ios::in | std::ios::out | std::ios::binary);
        f.seekg(at);
        char c = 0;
        f.get(c);
        f.seekp(at);
        f.put(static_cast<char>(c ^ 0x10));
      }
      MPI_Barrier(MPI_COMM_WORLD);
    }

    Mesh                     mesh;
    dealii::ParameterHandler prm;
    CheckpointFingerprint    fingerprint;
    std::string              directory;
  };
} // namespace

BOOST_AUTO_TEST_SUITE(checkpoint)

BOOST_FIXTURE_TEST_CASE(reads_back_what_was_written, Fixture)
{
  const RestartPoint restart =
      Checkpoint(directory, MPI_COMM_WORLD).read(mesh, fingerprint);
  const CheckpointData expected = state_of(mesh);
  BOOST_TEST(restart.header.next_day == 5u);
  BOOST_TEST(restart.header.case_name == "unit");
  BOOST_TEST(restart.data.outcomes.n_rows() == 5u);
  BOOST_TEST(restart.data.outcomes.columns() == expected.outcomes.columns());
  // exactly: 17 digits
  BOOST_TEST(restart.data.outcomes(3, "ifm_axial_mm") == 0.1 * 3);
  BOOST_TEST(std::isnan(restart.data.outcomes(3, "virtual_bending_ratio")));
  BOOST_TEST(restart.data.outcomes(4, "virtual_bending_ratio") == 1.);
  BOOST_TEST(restart.data.tissue.size() == expected.tissue.size());
  for (const auto &[id, points] : expected.tissue)
  {
    BOOST_TEST(restart.data.tissue.at(id)[7].fractions[1] ==
               points[7].fractions[1]);
    BOOST_TEST(restart.data.stem_cells.at(id) == expected.stem_cells.at(id));
  }
}

BOOST_FIXTURE_TEST_CASE(refuses_a_flipped_byte, Fixture)
{
  damage("cells_0.bin", 100);
  BOOST_CHECK_EXCEPTION(
      Checkpoint(directory, MPI_COMM_WORLD).read(mesh, fingerprint),
      InputError,
      MessageContains{"cells_0.bin' is damaged"});
}

BOOST_FIXTURE_TEST_CASE(refuses_a_damaged_header, Fixture)
{
  damage("header.txt", 20);
  BOOST_CHECK_EXCEPTION(Checkpoint(directory, MPI_COMM_WORLD).read_header(),
                        InputError,
                        MessageContains{"header.txt' is damaged"});
}

BOOST_FIXTURE_TEST_CASE(refuses_truncated_records, Fixture)
{
  if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
    std::filesystem::resize_file(directory + "/checkpoint/records.txt", 10);
  MPI_Barrier(MPI_COMM_WORLD);
  BOOST_CHECK_EXCEPTION(
      Checkpoint(directory, MPI_COMM_WORLD).read(mesh, fingerprint),
      InputError,
      MessageContains{"records.txt' has 10 bytes"});
}

BOOST_FIXTURE_TEST_CASE(refuses_a_changed_parameter, Fixture)
{
  prm.enter_subsection("Healing");
  prm.set("Differentiation rate", "0.2");
  prm.leave_subsection();
  BOOST_CHECK_EXCEPTION(
      Checkpoint(directory, MPI_COMM_WORLD)
          .read(mesh, fingerprint_of(mesh, prm, 1, 8)),
      InputError,
      MessageContains{"'Healing/Differentiation rate = 0.1', this case has "
                      "'Healing/Differentiation rate = 0.2'"});
}

BOOST_FIXTURE_TEST_CASE(accepts_more_days_and_another_output, Fixture)
{
  prm.set("Output directory", "elsewhere");
  prm.enter_subsection("Healing");
  prm.set("Number of days", "20");
  prm.leave_subsection();
  BOOST_CHECK_NO_THROW(Checkpoint(directory, MPI_COMM_WORLD)
                           .read(mesh, fingerprint_of(mesh, prm, 1, 8)));
}

BOOST_FIXTURE_TEST_CASE(refuses_another_mesh, Fixture)
{
  // as many cells, one vertex moved
  Mesh moved(MPI_COMM_WORLD);
  dealii::GridGenerator::hyper_rectangle(
      moved, dealii::Point<3>(), dealii::Point<3>(1, 1, 1.001));
  moved.refine_global(2);
  BOOST_CHECK_EXCEPTION(Checkpoint(directory, MPI_COMM_WORLD)
                            .read(moved, fingerprint_of(moved, prm, 1, 8)),
                        InputError,
                        MessageContains{"was written for another mesh"});
  // another element: the state's layout differs
  BOOST_CHECK_EXCEPTION(Checkpoint(directory, MPI_COMM_WORLD)
                            .read(mesh, fingerprint_of(mesh, prm, 2, 27)),
                        InputError,
                        MessageContains{"degree 1 points 8"});
}

BOOST_AUTO_TEST_CASE(restartable_parameters)
{
  BOOST_TEST(restartable_parameter("Healing/Number of days"));
  BOOST_TEST(restartable_parameter("Output/Catalyst/Interval"));
  BOOST_TEST(restartable_parameter("Linear solver/Preconditioner"));
  BOOST_TEST(!restartable_parameter("Healing/Rule"));
  BOOST_TEST(!restartable_parameter("Geometry/Global refinements"));
  BOOST_TEST(!restartable_parameter("Outputs/x"));
}

BOOST_AUTO_TEST_SUITE_END()

// The outcome table behind healing.csv, the checkpoint's records and the
// summary: the first row sets the columns, later rows must match them, and
// the checkpoint text gives the same table back, nan included.
BOOST_AUTO_TEST_SUITE(outcome_table)

BOOST_AUTO_TEST_CASE(columns_come_from_the_first_row)
{
  OutcomeTable table;
  table.start_row(0);
  table.set("ifm_axial_mm", 0.5);
  table.set("bridged", 0);
  table.finish_row();
  table.start_row(1);
  table.set("bridged", 1);
  table.set("ifm_axial_mm", 0.25);
  table.finish_row();
  BOOST_TEST(table.csv_header() == "day,ifm_axial_mm,bridged\n");
  BOOST_TEST(table.csv_row(1) == "1,0.25,1\n");
  BOOST_TEST(table.last("ifm_axial_mm") == 0.25);
  BOOST_TEST(table.first_day([&](const std::size_t r)
                             { return table(r, "bridged") > 0; }) == 1.);
  BOOST_TEST(table.first_day([](std::size_t) { return false; }) == -1.);
  BOOST_CHECK_THROW(table.last("no_such_column"), std::out_of_range);
}

BOOST_AUTO_TEST_CASE(a_row_must_set_the_columns_of_the_first)
{
  OutcomeTable table;
  table.start_row(0);
  table.set("a", 1);
  table.finish_row();
  table.start_row(1);
  BOOST_CHECK_EXCEPTION(
      table.set("b", 2),
      std::logic_error,
      MessageContains{"'b' is not a column of the first row"});
  BOOST_CHECK_EXCEPTION(table.finish_row(),
                        std::logic_error,
                        MessageContains{"the row of day 1 misses 'a'"});
  OutcomeTable days;
  days.start_row(3);
  days.finish_row();
  BOOST_CHECK_EXCEPTION(days.start_row(5),
                        std::logic_error,
                        MessageContains{"day 5 does not follow day 3"});
}

BOOST_AUTO_TEST_CASE(checkpoint_text_is_exact)
{
  OutcomeTable table;
  for (unsigned int day = 0; day < 3; ++day)
  {
    table.start_row(day);
    table.set("x", 0.1 * day + 1e-17);
    table.set("maybe",
              day == 1 ? std::numeric_limits<double>::quiet_NaN() : -1. / 3.);
    table.finish_row();
  }
  const OutcomeTable back = OutcomeTable::deserialise(table.serialise());
  BOOST_TEST(back.columns() == table.columns());
  BOOST_TEST(back.n_rows() == 3u);
  BOOST_TEST(back(2, "x") == table(2, "x"));
  BOOST_TEST(std::isnan(back(1, "maybe")));
  BOOST_TEST(back(2, "maybe") == -1. / 3.);
  BOOST_CHECK_EXCEPTION(OutcomeTable::deserialise("day x\n0 1\n1 one\n"),
                        std::runtime_error,
                        MessageContains{"line 3: 'one' is not a number"});
  BOOST_CHECK_EXCEPTION(OutcomeTable::deserialise("day x\n0 1\n1\n"),
                        std::runtime_error,
                        MessageContains{"line 3: 1 values for 2 columns"});
  BOOST_CHECK_EXCEPTION(OutcomeTable::deserialise("day x\n0 1\n2 1\n"),
                        std::runtime_error,
                        MessageContains{"does not follow"});
  BOOST_CHECK_EXCEPTION(OutcomeTable::deserialise("x day\n"),
                        std::runtime_error,
                        MessageContains{"first column is not 'day'"});
}

BOOST_AUTO_TEST_SUITE_END()
