#include "mechanics/strain_measures.h"

#include <algorithm>
#include <cmath>

namespace Ossify
{
  IsotropicElasticity
  IsotropicElasticity::from_youngs_modulus(const double E, const double nu)
  {
    return {E * nu / ((1. + nu) * (1. - 2. * nu)), E / (2. * (1. + nu))};
  }

  SymmetricTensor3
  IsotropicElasticity::stress(const SymmetricTensor3 &strain) const
  {
    return lambda * dealii::trace(strain) * dealii::unit_symmetric_tensor<3>() +
           2. * mu * strain;
  }

  double
  IsotropicElasticity::youngs_modulus() const
  {
    return mu * (3. * lambda + 2. * mu) / (lambda + mu);
  }

  double
  StrainMeasures::max_abs_principal_strain() const
  {
    // e1 is the largest, e3 the smallest: the largest magnitude is one of
    // the two ends.
    return std::abs(principal_strains[0]) >= std::abs(principal_strains[2])
               ? principal_strains[0]
               : principal_strains[2];
  }

  std::array<double, 3>
  principal_strains(const SymmetricTensor3 &strain)
  {
    std::array<double, 3> e = dealii::eigenvalues(strain);
    std::sort(e.begin(), e.end(), std::greater<double>());
    return e;
  }

  double
  octahedral_shear_strain(const std::array<double, 3> &e)
  {
    return 2. / 3. *
           std::sqrt((e[0] - e[1]) * (e[0] - e[1]) +
                     (e[1] - e[2]) * (e[1] - e[2]) +
                     (e[2] - e[0]) * (e[2] - e[0]));
  }

  double
  hydrostatic_pressure(const SymmetricTensor3 &stress)
  {
    return -dealii::trace(stress) / 3.;
  }

  double
  von_mises_stress(const SymmetricTensor3 &stress)
  {
    const SymmetricTensor3 s = dealii::deviator(stress);
    return std::sqrt(1.5 * (s * s));
  }

  StrainMeasures
  compute_strain_measures(const SymmetricTensor3 &strain,
                          const SymmetricTensor3 &stress)
  {
    StrainMeasures m;
    m.principal_strains       = principal_strains(strain);
    m.volumetric_strain       = dealii::trace(strain);
    m.octahedral_shear_strain = octahedral_shear_strain(m.principal_strains);
    m.hydrostatic_pressure    = hydrostatic_pressure(stress);
    m.von_mises_stress        = von_mises_stress(stress);
    return m;
  }
} // namespace Ossify
