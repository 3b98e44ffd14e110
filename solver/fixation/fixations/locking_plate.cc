// Locking (bridging) plate: screws locked in the plate, long working length, no
// compression
#include "fixation/explicit_geometry.h"
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
      declare_plate_geometry(
          prm,
          "-32, -26, 26, 32",
          "A 70 mm plate with two screws per fragment far from the gap: "
          "long working length (52 mm), AO bridge plating (a typical layout "
          "on this 80 mm segment, not a specific implant).");
      declare_implant_material(prm, "titanium");
    }

    explicit LockingPlateFixation(dealii::ParameterHandler &prm)
        : SpringFixation(prm, "relative stability")
    {
      geometry = parse_plate_geometry(prm);
      parse_implant_material(prm, *geometry);
    }
  };

  OSSIFY_REGISTER_FIXATION(LockingPlateFixation,
                           "locking-bridge-plate",
                           "Locking (bridging) plate: screws locked in the "
                           "plate, long working length, no compression")
} // namespace Ossify
