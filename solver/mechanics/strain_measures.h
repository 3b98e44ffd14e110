#ifndef OSSIFY_MECHANICS_STRAIN_MEASURES_H
#define OSSIFY_MECHANICS_STRAIN_MEASURES_H

#include <deal.II/base/symmetric_tensor.h>

#include <array>

namespace Ossify
{
  using SymmetricTensor3 = dealii::SymmetricTensor<2, 3>;

  /// Isotropic linear elastic law in Lame form. E [MPa], nu [-].
  struct IsotropicElasticity
  {
    double lambda; ///< first Lame parameter [MPa]
    double mu;     ///< shear modulus [MPa]

    static IsotropicElasticity from_youngs_modulus(double youngs_modulus,
                                                   double poissons_ratio);

    /// sigma = lambda tr(eps) I + 2 mu eps [MPa]
    SymmetricTensor3 stress(const SymmetricTensor3 &strain) const;

    /// E recovered from the Lame form [MPa]
    double youngs_modulus() const;
  };

  /**
   * The mechanical stimulus at one point, in the sign conventions that the
   * mechano-regulation rules are written in (mechanobiology.md 3): principal
   * strains sorted e1 >= e2 >= e3; hydrostatic pressure p = -tr(sigma)/3 so
   * that p > 0 is compression.
   */
  struct StrainMeasures
  {
    std::array<double, 3> principal_strains; ///< e1 >= e2 >= e3 [-]
    double                volumetric_strain; ///< tr(eps) [-]
    double octahedral_shear_strain; ///< (2/3)sqrt(sum of (ei-ej)^2) [-]
    double hydrostatic_pressure;    ///< -tr(sigma)/3 [MPa]
    double von_mises_stress;        ///< sqrt(3/2 s:s) [MPa]

    /// Principal strain of largest magnitude, with its sign [-].
    double max_abs_principal_strain() const;
  };

  std::array<double, 3> principal_strains(const SymmetricTensor3 &strain);

  double octahedral_shear_strain(const std::array<double, 3> &principal);

  double hydrostatic_pressure(const SymmetricTensor3 &stress);

  double von_mises_stress(const SymmetricTensor3 &stress);

  StrainMeasures compute_strain_measures(const SymmetricTensor3 &strain,
                                         const SymmetricTensor3 &stress);
} // namespace Ossify

#endif
