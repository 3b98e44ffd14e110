#include "healing/tissue_state.h"

#include <algorithm>
#include <cmath>

namespace Ossify
{
  Tissue
  TissueState::dominant_tissue() const
  {
    return static_cast<Tissue>(
        std::max_element(fractions.begin(), fractions.end()) -
        fractions.begin());
  }

  void
  TissueState::set_pure(const Tissue tissue)
  {
    fractions.fill(0.);
    fractions[static_cast<unsigned int>(tissue)] = 1.;
  }

  void
  TissueState::move_towards(const Tissue target, double amount)
  {
    amount                     = std::clamp(amount, 0., 1.);
    const unsigned int woven   = static_cast<unsigned int>(Tissue::woven_bone);
    const auto         is_bone = [](const unsigned int i)
    {
      return i == static_cast<unsigned int>(Tissue::woven_bone) ||
             i == static_cast<unsigned int>(Tissue::lamellar_bone) ||
             i == static_cast<unsigned int>(Tissue::cortical_bone);
    };
    if (target == Tissue::woven_bone)
    {
      // Bone formation: a share of every non-bone tissue turns into
      // woven bone; bone already there (woven or lamellar) stays.
      for (unsigned int i = 0; i < n_tissues; ++i)
        if (!is_bone(i))
        {
          const double lost = amount * fractions[i];
          fractions[i] -= lost;
          fractions[woven] += lost;
          (i == static_cast<unsigned int>(Tissue::cartilage) ? endochondral_bone
                                                             : direct_bone) +=
              lost;
        }
    }
    else
    {
      const double bone_before = bone_fraction();
      if (target == Tissue::lamellar_bone)
      {
        endochondral_bone += amount * fraction(Tissue::cartilage);
        direct_bone +=
            amount * (1. - bone_fraction() - fraction(Tissue::cartilage));
      }
      const unsigned int t = static_cast<unsigned int>(target);
      for (unsigned int i = 0; i < n_tissues; ++i)
        fractions[i] = (1. - amount) * fractions[i] + (i == t ? amount : 0.);
      if (bone_fraction() < bone_before && bone_before > 0)
      {
        // bone lost to soft tissue takes its share of both tallies along
        const double kept = bone_fraction() / bone_before;
        endochondral_bone *= kept;
        direct_bone *= kept;
      }
    }
    // guard the invariants against round-off
    double sum = 0;
    for (auto &f : fractions)
      sum += (f = std::clamp(f, 0., 1.));
    for (auto &f : fractions)
      f /= sum;
  }

  void
  TissueState::form_cartilage(const double amount)
  {
    const unsigned int cartilage = static_cast<unsigned int>(Tissue::cartilage);
    for (const Tissue soft :
         {Tissue::granulation, Tissue::fibrous, Tissue::marrow})
    {
      const unsigned int i    = static_cast<unsigned int>(soft);
      const double       lost = std::clamp(amount, 0., 1.) * fractions[i];
      fractions[i] -= lost;
      fractions[cartilage] += lost;
    }
  }

  void
  TissueState::ossify_cartilage(const double amount)
  {
    const double moved =
        std::clamp(amount, 0., 1.) * fraction(Tissue::cartilage);
    fractions[static_cast<unsigned int>(Tissue::cartilage)] -= moved;
    fractions[static_cast<unsigned int>(Tissue::woven_bone)] += moved;
    endochondral_bone += moved;
  }

  void
  TissueState::mature_bone(const double amount)
  {
    const double moved =
        std::clamp(amount, 0., 1.) * fraction(Tissue::woven_bone);
    fractions[static_cast<unsigned int>(Tissue::woven_bone)] -= moved;
    fractions[static_cast<unsigned int>(Tissue::lamellar_bone)] += moved;
  }

  double
  TissueState::smoothed_modulus(const double       modulus_today,
                                const unsigned int n_days)
  {
    const unsigned int n          = std::clamp(n_days, 1u, max_smoothing_days);
    modulus_history[history_next] = modulus_today;
    history_next                  = (history_next + 1) % max_smoothing_days;
    history_size            = std::min(history_size + 1, max_smoothing_days);
    const unsigned int used = std::min(n, history_size);
    double             sum  = 0;
    for (unsigned int k = 1; k <= used; ++k)
      sum += modulus_history[(history_next + max_smoothing_days - k) %
                             max_smoothing_days];
    return sum / used;
  }

  double
  MixtureLaw::youngs_modulus(const TissueState              &state,
                             const TissueMaterialParameters &tissues) const
  {
    double E = 0;
    for (unsigned int i = 0; i < n_tissues; ++i)
    {
      const double f = state.fractions[i];
      E += (type == Type::cubic ? f * f * f : f) *
           tissues.tissues[i].youngs_modulus;
    }
    // the cubic law can fall below every tissue's modulus for even
    // mixtures; never below the softest phase present (granulation)
    return std::max(E, tissues[Tissue::granulation].youngs_modulus);
  }

  double
  MixtureLaw::poissons_ratio(const TissueState              &state,
                             const TissueMaterialParameters &tissues) const
  {
    double nu = 0;
    for (unsigned int i = 0; i < n_tissues; ++i)
      nu += state.fractions[i] * tissues.tissues[i].poissons_ratio;
    return nu;
  }
} // namespace Ossify
