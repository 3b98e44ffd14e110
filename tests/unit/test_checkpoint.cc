// Checkpoint integrity: a checkpoint reads back what was written, on any
// number of ranks, and refuses a damaged file, another mesh or a changed
// state-shaping parameter with a message naming it.
#include "base/input_error.h"
#include "healing/checkpoint.h"

#include <deal.II/base/mpi.h>
#include <deal.II/grid/grid_generator.h>

#include <boost/test/unit_test.hpp>

#include "test_helpers.h"

#include <filesystem>
#include <fstream>

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
        data.stimulus[cell->id()]   = std::vector<double>(8, 4 * x);
      }
    for (unsigned int day = 0; day < 5; ++day)
    {
      DayRecord r{};
      r.day       = day;
      r.ifm_axial = 0.1 * day;
      data.records.push_back(r);
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
  BOOST_TEST(restart.data.records.size() == 5u);
  BOOST_TEST(restart.data.records[3].ifm_axial == 0.1 * 3); // exactly: 17 digits
  BOOST_TEST(restart.data.tissue.size() == expected.tissue.size());
  for (const auto &[id, points] : expected.tissue)
  {
    BOOST_TEST(restart.data.tissue.at(id)[7].fractions[1] ==
               points[7].fractions[1]);
    BOOST_TEST(restart.data.stem_cells.at(id) == expected.stem_cells.at(id));
    BOOST_TEST(restart.data.stimulus.at(id) == expected.stimulus.at(id));
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
