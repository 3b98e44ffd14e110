#include "healing/mechano_regulation.h"

#include "base/input_error.h"

namespace Ossify
{
  std::string
  differentiation_name(const Differentiation d)
  {
    switch (d)
    {
    case Differentiation::none:
      return "none";
    case Differentiation::resorption:
      return "resorption";
    case Differentiation::fibrous:
      return "fibrous";
    case Differentiation::cartilage:
      return "cartilage";
    case Differentiation::endochondral:
      return "endochondral";
    case Differentiation::woven_bone:
      return "woven_bone";
    case Differentiation::lamellar_bone:
      return "lamellar_bone";
    }
    return "unknown";
  }

  RuleRegistry &
  rule_registry()
  {
    static RuleRegistry registry("mechano-regulation rule");
    return registry;
  }

  std::string
  rule_selection()
  {
    return rule_registry().names();
  }

  void
  declare_rule_parameters(dealii::ParameterHandler &prm)
  {
    rule_registry().declare_parameters(prm);
  }

  std::unique_ptr<MechanoRegulationRule>
  create_rule(const std::string &name, dealii::ParameterHandler &prm)
  {
    if (!rule_registry().contains(name))
      throw InputError("Healing",
                       "Rule",
                       "unknown rule '" + name + "'; valid rules are " +
                           rule_selection());
    return rule_registry().create(name, prm);
  }
} // namespace Ossify
