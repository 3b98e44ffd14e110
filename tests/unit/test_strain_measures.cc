// Strain measures and sign conventions on hand-computed tensors
// (mechanobiology.md 3: p = -tr(sigma)/3, compression positive;
// e1 >= e2 >= e3; octahedral shear strain (2/3) sqrt(sum (ei - ej)^2)).
#include "mechanics/strain_measures.h"

#include <boost/test/unit_test.hpp>

#include <cmath>

using namespace Ossify;

namespace
{
  SymmetricTensor3
  diagonal(const double a, const double b, const double c)
  {
    SymmetricTensor3 t;
    t[0][0] = a;
    t[1][1] = b;
    t[2][2] = c;
    return t;
  }
} // namespace

BOOST_AUTO_TEST_SUITE(strain_measures)

BOOST_AUTO_TEST_CASE(principal_strains_are_sorted_descending)
{
  const auto e = principal_strains(diagonal(-0.02, 0.05, 0.01));
  BOOST_TEST(e[0] == 0.05, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(e[1] == 0.01, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(e[2] == -0.02, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(principal_strains_of_pure_shear)
{
  // eps_xy = g: principal strains +g, 0, -g along the diagonals.
  SymmetricTensor3 eps;
  eps[0][1]    = 0.03;
  const auto e = principal_strains(eps);
  BOOST_TEST(e[0] == 0.03, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(std::abs(e[1]) < 1e-14);
  BOOST_TEST(e[2] == -0.03, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(octahedral_shear_strain_of_uniaxial_strain)
{
  // e = (a, 0, 0): (2/3) sqrt(a^2 + 0 + a^2) = (2/3) sqrt(2) a
  const double a = 0.06;
  BOOST_TEST(octahedral_shear_strain({a, 0., 0.}) ==
                 2. / 3. * std::sqrt(2.) * a,
             boost::test_tools::tolerance(1e-12));
  // a pure volume change has no distortion
  BOOST_TEST(octahedral_shear_strain({0.01, 0.01, 0.01}) == 0.);
}

BOOST_AUTO_TEST_CASE(pressure_is_positive_in_compression)
{
  // sigma = -2 MPa I (compression): p = +2 MPa.
  BOOST_TEST(hydrostatic_pressure(diagonal(-2., -2., -2.)) == 2.,
             boost::test_tools::tolerance(1e-12));
  // a uniaxial tensile stress of 3 MPa: p = -1 MPa.
  BOOST_TEST(hydrostatic_pressure(diagonal(3., 0., 0.)) == -1.,
             boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(pressure_sign_through_the_elastic_law)
{
  // Confined compression of a block: eps_zz < 0 only. The stress is
  // compressive, so p must come out positive and the volume strain negative.
  const auto law = IsotropicElasticity::from_youngs_modulus(10., 0.3);
  const auto eps = diagonal(0., 0., -0.01);
  const auto m   = compute_strain_measures(eps, law.stress(eps));
  BOOST_TEST(m.hydrostatic_pressure > 0.);
  BOOST_TEST(m.volumetric_strain == -0.01, boost::test_tools::tolerance(1e-12));
  // p = -(3 lambda + 2 mu) tr(eps) / 3 = K * 0.01 with K = E/(3(1-2nu))
  BOOST_TEST(m.hydrostatic_pressure == 10. / (3. * (1. - 0.6)) * 0.01,
             boost::test_tools::tolerance(1e-12));
  BOOST_TEST(m.max_abs_principal_strain() == -0.01,
             boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(lame_parameters_and_uniaxial_stress)
{
  const double E = 1000., nu = 0.3;
  const auto   law = IsotropicElasticity::from_youngs_modulus(E, nu);
  BOOST_TEST(law.mu == E / 2.6, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(law.lambda == E * nu / (1.3 * 0.4),
             boost::test_tools::tolerance(1e-12));
  // uniaxial stress state: eps = (s/E)(1, -nu, -nu) gives sigma = (s, 0, 0)
  const double s      = 5.;
  const auto   stress = law.stress(diagonal(s / E, -nu * s / E, -nu * s / E));
  BOOST_TEST(stress[0][0] == s, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(std::abs(stress[1][1]) < 1e-12);
  BOOST_TEST(std::abs(stress[2][2]) < 1e-12);
  // von Mises stress of a uniaxial stress equals its magnitude
  BOOST_TEST(von_mises_stress(stress) == s,
             boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_SUITE_END()
