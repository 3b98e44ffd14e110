// Claes & Heigele 1999, J Biomech 32:255-266 (mechanobiology.md 3.1):
// linear elastic FE, a principal strain and the hydrostatic pressure.
#include "base/input_error.h"
#include "healing/mechano_regulation.h"

#include <cmath>

namespace Ossify
{
  class ClaesHeigeleRule : public MechanoRegulationRule
  {
  public:
    static void
    declare_parameters(dealii::ParameterHandler &prm)
    {
      using dealii::Patterns::Double;
      using dealii::Patterns::Selection;
      prm.declare_entry(
          "Strain measure",
          "max abs principal",
          Selection("max abs principal|max principal|min principal"),
          "Which principal strain is compared with the strain "
          "thresholds: the one of largest magnitude (default), "
          "the largest (tension) or the smallest (compression).");
      prm.declare_entry(
          "Intramembranous strain",
          "0.05",
          Double(0, 10),
          "|strain| below which, with |p| below the pressure "
          "limit, bone forms directly [-]. Claes & Heigele 1999: 5 %.");
      prm.declare_entry("Endochondral strain",
                        "0.15",
                        Double(0, 10),
                        "|strain| below which compressive pressure leads to "
                        "endochondral ossification (cartilage first, then "
                        "bone) [-]. Claes & Heigele 1999: 15 %.");
      prm.declare_entry("Pressure limit",
                        "0.15",
                        Double(0, 1000),
                        "Hydrostatic pressure limit [MPa]. Claes & Heigele "
                        "1999: 0.15 MPa.");
      prm.declare_entry("No stimulus strain",
                        "0",
                        Double(0, 10),
                        "Optional lazy zone: below this |strain| and the "
                        "no-stimulus pressure nothing changes [-]; 0 disables "
                        "it. Agent-based variants use 0.0004 (check).");
      prm.declare_entry("No stimulus pressure",
                        "0",
                        Double(0, 1000),
                        "Pressure of the lazy zone [MPa]; agent-based variants "
                        "use 0.0016 MPa (check).");
    }

    explicit ClaesHeigeleRule(dealii::ParameterHandler &prm)
        : measure(prm.get("Strain measure"))
        , intramembranous_strain(prm.get_double("Intramembranous strain"))
        , endochondral_strain(prm.get_double("Endochondral strain"))
        , pressure_limit(prm.get_double("Pressure limit"))
        , lazy_strain(prm.get_double("No stimulus strain"))
        , lazy_pressure(prm.get_double("No stimulus pressure"))
    {
      if (intramembranous_strain > endochondral_strain)
        throw InputError("Healing/claes-heigele",
                         "Intramembranous strain",
                         "must not exceed the endochondral strain");
    }

    double
    strain(const RuleInput &input) const
    {
      const auto &e = input.measures.principal_strains;
      if (measure == "max principal")
        return e[0];
      if (measure == "min principal")
        return e[2];
      return input.measures.max_abs_principal_strain();
    }

    Differentiation
    evaluate(const RuleInput &input) const override
    {
      const double eps = std::abs(strain(input));
      const double p = input.measures.hydrostatic_pressure; // > 0: compression
      if (eps < lazy_strain && std::abs(p) < lazy_pressure)
        return Differentiation::none;
      if (eps < intramembranous_strain && std::abs(p) < pressure_limit)
        return Differentiation::woven_bone;
      if (p > pressure_limit && eps < endochondral_strain)
        return Differentiation::endochondral;
      return Differentiation::fibrous;
    }

    double
    stimulus(const RuleInput &input) const override
    {
      return std::abs(strain(input));
    }

  private:
    std::string measure;
    double      intramembranous_strain, endochondral_strain, pressure_limit;
    double      lazy_strain, lazy_pressure;
  };

  OSSIFY_REGISTER_RULE(
      ClaesHeigeleRule,
      "claes-heigele",
      "Claes & Heigele 1999: principal strain and hydrostatic pressure")
} // namespace Ossify
