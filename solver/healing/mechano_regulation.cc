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

  std::map<std::string, RuleFactory> &
  rule_registry()
  {
    static std::map<std::string, RuleFactory> registry;
    return registry;
  }

  bool
  register_rule(const std::string &name, RuleFactory factory)
  {
    return rule_registry().emplace(name, std::move(factory)).second;
  }

  std::string
  rule_selection()
  {
    std::string names;
    for (const auto &[name, factory] : rule_registry())
      names += (names.empty() ? "" : "|") + name;
    return names;
  }

  void
  declare_rule_parameters(dealii::ParameterHandler &prm)
  {
    for (const auto &[name, factory] : rule_registry())
    {
      prm.enter_subsection(name);
      factory.declare(prm);
      prm.leave_subsection();
    }
  }

  std::unique_ptr<MechanoRegulationRule>
  create_rule(const std::string &name, dealii::ParameterHandler &prm)
  {
    const auto it = rule_registry().find(name);
    if (it == rule_registry().end())
      throw InputError("Healing",
                       "Rule",
                       "unknown rule '" + name + "'; valid rules are " +
                           rule_selection());
    prm.enter_subsection(name);
    auto rule = it->second.create(prm);
    prm.leave_subsection();
    return rule;
  }
} // namespace Ossify
