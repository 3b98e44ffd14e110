// Carter et al. 1998 (Clin Orthop 355S:S41) tissue phase diagram with the
// calibrated thresholds of Isaksson et al. 2006 (mechanobiology.md 3.2):
// compressive hydrostatic stress > 0.2 MPa -> cartilage; else maximum
// principal (tensile) strain > 5 % -> fibrous; else bone.
#include "healing/mechano_regulation.h"

namespace Ossify
{
  class CarterRule : public MechanoRegulationRule
  {
  public:
    static void
    declare_parameters(dealii::ParameterHandler &prm)
    {
      using dealii::Patterns::Double;
      prm.declare_entry("Pressure line",
                        "0.2",
                        Double(0, 1000),
                        "Compressive hydrostatic stress above which cartilage "
                        "forms [MPa]. Isaksson et al. 2006: 0.2 MPa.");
      prm.declare_entry("Tension line",
                        "0.05",
                        Double(0, 10),
                        "Maximum principal strain above which fibrous tissue "
                        "forms [-]. Isaksson et al. 2006: 5 %.");
    }

    explicit CarterRule(dealii::ParameterHandler &prm)
        : pressure_line(prm.get_double("Pressure line"))
        , tension_line(prm.get_double("Tension line"))
    {
    }

    Differentiation
    evaluate(const RuleInput &input) const override
    {
      if (input.measures.hydrostatic_pressure > pressure_line)
        return Differentiation::cartilage;
      if (input.measures.principal_strains[0] > tension_line)
        return Differentiation::fibrous;
      return Differentiation::woven_bone;
    }

    double
    stimulus(const RuleInput &input) const override
    {
      return input.measures.principal_strains[0];
    }

  private:
    double pressure_line, tension_line;
  };

  OSSIFY_REGISTER_RULE(
      CarterRule,
      "carter",
      "Carter et al. 1998 phase diagram, thresholds of Isaksson et al. 2006")
} // namespace Ossify
