// Isaksson et al. 2006 (J Biomech 39:1507), deviatoric strain alone
// (mechanobiology.md 3.4): octahedral shear strain < 3.75 % bone,
// 3.75-11.25 % cartilage, > 11.25 % fibrous (the Prendergast thresholds
// with the fluid term removed: S = gamma / 0.0375 with 1 and 3).
#include "base/input_error.h"
#include "healing/mechano_regulation.h"

namespace Ossify
{
  class IsakssonDeviatoricRule : public MechanoRegulationRule
  {
  public:
    static void
    declare_parameters(dealii::ParameterHandler &prm)
    {
      using dealii::Patterns::Double;
      prm.declare_entry("Bone limit",
                        "0.0375",
                        Double(0, 10),
                        "Octahedral shear strain below which bone forms [-]. "
                        "Isaksson et al. 2006: 3.75 % (check).");
      prm.declare_entry("Cartilage limit",
                        "0.1125",
                        Double(0, 10),
                        "Octahedral shear strain below which cartilage forms, "
                        "above it fibrous tissue [-]. Isaksson et al. 2006: "
                        "11.25 % (check).");
    }

    explicit IsakssonDeviatoricRule(dealii::ParameterHandler &prm)
        : bone_limit(prm.get_double("Bone limit"))
        , cartilage_limit(prm.get_double("Cartilage limit"))
    {
      if (bone_limit > cartilage_limit)
        throw InputError("Healing/isaksson-deviatoric",
                         "Bone limit",
                         "must not exceed the cartilage limit");
    }

    Differentiation
    evaluate(const RuleInput &input) const override
    {
      const double gamma = input.measures.octahedral_shear_strain;
      if (gamma < bone_limit)
        return Differentiation::woven_bone;
      if (gamma < cartilage_limit)
        return Differentiation::cartilage;
      return Differentiation::fibrous;
    }

    double
    stimulus(const RuleInput &input) const override
    {
      return input.measures.octahedral_shear_strain;
    }

  private:
    double bone_limit, cartilage_limit;
  };

  OSSIFY_REGISTER_RULE(IsakssonDeviatoricRule,
                       "isaksson-deviatoric",
                       "Isaksson et al. 2006: octahedral shear strain alone")
} // namespace Ossify
