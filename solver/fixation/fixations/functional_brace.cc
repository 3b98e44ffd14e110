// Functional brace (Sarmiento): a removable, compliant support
#include "fixation/explicit_geometry.h"
#include "fixation/fixation.h"

namespace Ossify
{
  class FunctionalBraceFixation : public SpringFixation
  {
  public:
    static void
    declare_parameters(dealii::ParameterHandler &prm)
    {
      declare_spring_parameters(
          prm,
          "100",
          "mechanobiology.md 4 (Sarmiento-type brace, 80-300 N/mm); 100 N/mm, "
          "the lower part of the range, since a removable brace fits less "
          "tightly than a cast (a judgement).",
          "60",
          "No published figure: an assumption.");
      declare_cast_geometry(
          prm,
          "3",
          "1500",
          "Thermoplastic (polypropylene) shell, ~1.5 GPa (handbook value; "
          "a brace of the Sarmiento type, an assumption to check).");
    }

    explicit FunctionalBraceFixation(dealii::ParameterHandler &prm)
        : SpringFixation(prm, "relative stability")
    {
      geometry = parse_cast_geometry(prm);
    }
  };

  OSSIFY_REGISTER_FIXATION(
      FunctionalBraceFixation,
      "functional-brace",
      "Functional brace (Sarmiento): a removable, compliant support")
} // namespace Ossify
