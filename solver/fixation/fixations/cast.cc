// Plaster or fibreglass cast: a compliant support around the limb
#include "fixation/fixation.h"

namespace Ossify
{
  class CastFixation : public SpringFixation
  {
  public:
    static void
    declare_parameters(dealii::ParameterHandler &prm)
    {
      declare_spring_parameters(
          prm,
          "150",
          "mechanobiology.md 4: tibiae in a brace moved 0.5-1.9 mm under 150 "
          "N, i.e. about 80-300 N/mm; 150 N/mm is mid-range.",
          "100",
          "No published figure: an assumption, somewhat below the axial "
          "value.");
    }

    explicit CastFixation(dealii::ParameterHandler &prm)
        : SpringFixation(prm, "relative stability")
    {
    }
  };

  OSSIFY_REGISTER_FIXATION(
      CastFixation,
      "cast",
      "Plaster or fibreglass cast: a compliant support around the limb")
} // namespace Ossify
