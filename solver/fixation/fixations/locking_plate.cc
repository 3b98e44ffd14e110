// Locking (bridging) plate: screws locked in the plate, long working length, no
// compression
#include "fixation/fixation.h"

namespace Ossify
{
  class LockingPlateFixation : public SpringFixation
  {
  public:
    static void
    declare_parameters(dealii::ParameterHandler &prm)
    {
      declare_spring_parameters(
          prm,
          "2000",
          "Locked bridging plates with a long working length: of the order of "
          "1-3 kN/mm axially in synthetic-bone tests (not in "
          "mechanobiology.md; check).",
          "1000",
          "An assumption (check).");
    }

    explicit LockingPlateFixation(dealii::ParameterHandler &prm)
        : SpringFixation(prm, "relative stability")
    {
    }
  };

  OSSIFY_REGISTER_FIXATION(LockingPlateFixation,
                           "locking-bridge-plate",
                           "Locking (bridging) plate: screws locked in the "
                           "plate, long working length, no compression")
} // namespace Ossify
