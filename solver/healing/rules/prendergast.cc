// Prendergast, Huiskes & Soballe 1997 (J Biomech 30:539) and Lacroix &
// Prendergast 2002 (J Biomech 35:1163), mechanobiology.md 3.3:
// S = gamma / a + v / b with the octahedral shear strain gamma and the
// fluid velocity v relative to the solid. Needs a poroelastic solve: on
// elastic mechanics it refuses to run rather than drop the fluid term.
#include "healing/mechano_regulation.h"

#include <cmath>

namespace Ossify
{
  class PrendergastRule : public MechanoRegulationRule
  {
  public:
    static void
    declare_parameters(dealii::ParameterHandler &prm)
    {
      using dealii::Patterns::Double;
      prm.declare_entry(
          "Strain scale a",
          "0.0375",
          Double(1e-9, 10),
          "a in S = gamma/a + v/b [-]. Prendergast 1997: 0.0375.");
      prm.declare_entry(
          "Velocity scale b",
          "3",
          Double(1e-9, 1e6),
          "b in S = gamma/a + v/b [um/s]. Prendergast 1997: 3 um/s.");
      prm.declare_entry("Resorption limit",
                        "0.01",
                        Double(0, 1e3),
                        "S below which tissue is resorbed [-] (0.01).");
      prm.declare_entry("Mature bone limit",
                        "0.267",
                        Double(0, 1e3),
                        "S below which mature bone forms [-] (0.267).");
      prm.declare_entry("Immature bone limit",
                        "1",
                        Double(0, 1e3),
                        "S below which immature (woven) bone forms [-] (1).");
      prm.declare_entry("Cartilage limit",
                        "3",
                        Double(0, 1e3),
                        "S below which cartilage forms, above it fibrous "
                        "tissue [-] (3).");
    }

    explicit PrendergastRule(dealii::ParameterHandler &prm)
        : a(prm.get_double("Strain scale a"))
        , b(prm.get_double("Velocity scale b"))
        , resorption(prm.get_double("Resorption limit"))
        , mature(prm.get_double("Mature bone limit"))
        , immature(prm.get_double("Immature bone limit"))
        , cartilage(prm.get_double("Cartilage limit"))
    {
    }

    bool
    needs_fluid_velocity() const override
    {
      return true;
    }

    double
    stimulus(const RuleInput &input) const override
    {
      return input.measures.octahedral_shear_strain / a +
             input.fluid_velocity / b;
    }

    Differentiation
    evaluate(const RuleInput &input) const override
    {
      const double S = stimulus(input);
      if (!std::isfinite(S))
        return Differentiation::none;
      if (S < resorption)
        return Differentiation::resorption;
      if (S < mature)
        return Differentiation::lamellar_bone;
      if (S < immature)
        return Differentiation::woven_bone;
      if (S < cartilage)
        return Differentiation::cartilage;
      return Differentiation::fibrous;
    }

  private:
    double a, b, resorption, mature, immature, cartilage;
  };

  OSSIFY_REGISTER_RULE(
      PrendergastRule,
      "prendergast",
      "Prendergast 1997 / Lacroix & Prendergast 2002: octahedral shear "
      "strain and fluid velocity (needs poroelastic mechanics)")
} // namespace Ossify
