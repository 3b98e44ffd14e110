// External fixator: pins and a bar, as axial and shear springs between the
// fragments
#include "fixation/fixation.h"

namespace Ossify
{
  class ExternalFixatorFixation : public SpringFixation
  {
  public:
    static void
    declare_parameters(dealii::ParameterHandler &prm)
    {
      declare_spring_parameters(
          prm,
          "1000",
          "mechanobiology.md 4: external fixator about 1000 N/mm axial (a "
          "rigid unilateral frame); a brace moves 4-10x more, i.e. 320-3000 "
          "N/mm.",
          "500",
          "No published figure: an assumption (unilateral frames are less "
          "stiff transversely than axially).");
    }

    explicit ExternalFixatorFixation(dealii::ParameterHandler &prm)
        : SpringFixation(prm, "relative stability")
    {
    }
  };

  OSSIFY_REGISTER_FIXATION(ExternalFixatorFixation,
                           "external-fixator",
                           "External fixator: pins and a bar, as axial and "
                           "shear springs between the fragments")
} // namespace Ossify
