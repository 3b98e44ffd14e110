#ifndef OSSIFY_HEALING_TISSUE_STATE_H
#define OSSIFY_HEALING_TISSUE_STATE_H

#include "tissue/tissue_parameters.h"
#include "tissue/tissue_types.h"

#include <array>

namespace Ossify
{
  /// Most days over which Young's modulus can be smoothed.
  constexpr unsigned int max_smoothing_days = 30;

  /**
   * The tissue at one quadrature point: fractions of every phenotype
   * (in [0, 1], summing to 1), the stem-cell concentration, the pathway
   * tallies of the bone formed so far, and the modulus history that smooths
   * the change of stiffness in time.
   */
  struct TissueState
  {
    std::array<double, n_tissues> fractions{};
    /// normalised stem-cell concentration n / n_max [-]
    double stem_cells = 0;
    /// vascular perfusion (revascularisation) in [0, 1], used by the
    /// fuzzy-logic rule; 1 in tissues with their own blood supply [-]
    double perfusion = 0;
    /// bone fraction formed by replacing cartilage (endochondral) [-]
    double endochondral_bone = 0;
    /// bone fraction formed with no cartilage before it (direct) [-]
    double direct_bone = 0;
    /// whether this point's tissue evolves (callus) or is fixed
    bool evolving = false;

    std::array<double, max_smoothing_days> modulus_history{};
    unsigned int                           history_size = 0;
    unsigned int                           history_next = 0;

    double
    fraction(const Tissue t) const
    {
      return fractions[static_cast<unsigned int>(t)];
    }
    double
    bone_fraction() const
    {
      return fraction(Tissue::woven_bone) + fraction(Tissue::lamellar_bone) +
             fraction(Tissue::cortical_bone);
    }
    /// The tissue with the largest fraction.
    Tissue dominant_tissue() const;

    /// Starts as pure @p tissue.
    void set_pure(Tissue tissue);

    /**
     * Moves the fractions a share @p amount (in [0, 1]) of the way to pure
     * @p target: f <- (1 - amount) f + amount e_target. Keeps the fractions
     * in [0, 1] with sum 1, and tallies new bone as endochondral where it
     * replaced cartilage and as direct otherwise.
     */
    void move_towards(Tissue target, double amount);

    /// A share @p amount of every soft (non-bone, non-cartilage) tissue
    /// becomes cartilage; bone is left alone.
    void form_cartilage(double amount);

    /// Calcification: a share @p amount of the cartilage becomes woven bone,
    /// tallied as endochondral.
    void ossify_cartilage(double amount);

    /// Turns a share @p amount of the woven bone into lamellar bone.
    void mature_bone(double amount);

    /// Records today's modulus and returns the mean over the last
    /// @p n_days recorded days (including today).
    double smoothed_modulus(double modulus_today, unsigned int n_days);
  };

  /**
   * How a mixture of tissues gives Young's modulus and Poisson's ratio:
   * "linear" (rule of mixtures, Lacroix & Prendergast 2002) or "cubic"
   * (E = sum f_i^3 E_i, Simon et al. 2011); Poisson's ratio always mixes
   * linearly.
   */
  struct MixtureLaw
  {
    enum class Type
    {
      linear,
      cubic
    } type = Type::linear;

    double youngs_modulus(const TissueState              &state,
                          const TissueMaterialParameters &tissues) const;
    double poissons_ratio(const TissueState              &state,
                          const TissueMaterialParameters &tissues) const;
  };
} // namespace Ossify

#endif
