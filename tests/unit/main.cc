// Boost.Test main for the Ossify unit and verification tests: MPI is
// initialised by deal.II around the Boost runner, so suites can run on any
// number of ranks.
#define BOOST_TEST_NO_MAIN
#define BOOST_TEST_ALTERNATIVE_INIT_API
#include <deal.II/base/mpi.h>

#include <boost/test/unit_test.hpp>

bool
init_unit_test()
{
  return true;
}

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  return boost::unit_test::unit_test_main(&init_unit_test, argc, argv);
}
