// External fixator: pins and a bar, as axial and shear springs between the
// fragments
#include "fixation/explicit_geometry.h"
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
      prm.declare_entry("Pin positions",
                        "-36, -28, 28, 36",
                        dealii::Patterns::Anything(),
                        "Axial positions of the pins [mm] in the explicit "
                        "representation, comma separated, z = 0 at the gap: "
                        "two per fragment, outside the callus (a typical "
                        "unilateral frame on this 80 mm segment).");
      prm.declare_entry("Pin diameter",
                        "5",
                        dealii::Patterns::Double(0.5, 20),
                        "Diameter of the pins [mm] (5 mm Schanz screws, "
                        "typical).");
      prm.declare_entry("Bar offset",
                        "45",
                        dealii::Patterns::Double(1, 500),
                        "Distance of the bar's centre from the bone axis "
                        "[mm]: the frame's lever arm (unilateral frames ~30-"
                        "60 mm from the bone surface, typical).");
      prm.declare_entry("Bar size",
                        "10",
                        dealii::Patterns::Double(1, 100),
                        "Radial thickness of the bar [mm] (its width is one "
                        "cell around the bone at the bar's radius).");
      declare_implant_material(prm, "stainless-steel");
    }

    explicit ExternalFixatorFixation(dealii::ParameterHandler &prm)
        : SpringFixation(prm, "relative stability")
    {
      ExplicitFixation frame;
      frame.device  = "fixator";
      frame.options = {{"--pins", prm.get("Pin positions")},
                       {"--pin-diameter", prm.get("Pin diameter")},
                       {"--bar-offset", prm.get("Bar offset")},
                       {"--bar-size", prm.get("Bar size")}};
      parse_implant_material(prm, frame);
      geometry = frame;
    }
  };

  OSSIFY_REGISTER_FIXATION(ExternalFixatorFixation,
                           "external-fixator",
                           "External fixator: pins and a bar, as axial and "
                           "shear springs between the fragments")
} // namespace Ossify
