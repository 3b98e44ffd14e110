// Plaster or fibreglass cast: a compliant support around the limb
#include "fixation/explicit_geometry.h"
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
      declare_cast_geometry(
          prm,
          "5",
          "1500",
          "Plaster of Paris: a few mm thick, Young's modulus of the order of "
          "1-3 GPa (not in mechanobiology.md: an assumption to check).");
    }

    explicit CastFixation(dealii::ParameterHandler &prm)
        : SpringFixation(prm, "relative stability")
    {
      geometry = parse_cast_geometry(prm);
    }
  };

  OSSIFY_REGISTER_FIXATION(
      CastFixation,
      "cast",
      "Plaster or fibreglass cast: a compliant support around the limb")
} // namespace Ossify
