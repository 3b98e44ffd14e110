// Intramedullary nail with locking screws
#include "fixation/explicit_geometry.h"
#include "fixation/fixation.h"

namespace Ossify
{
  class IntramedullaryNailFixation : public SpringFixation
  {
  public:
    static void
    declare_parameters(dealii::ParameterHandler &prm)
    {
      declare_spring_parameters(
          prm,
          "1500",
          "Statically locked nail: axial load passes through the locking "
          "screws, of the order of 1-2 kN/mm (not in mechanobiology.md; "
          "check).",
          "300",
          "A nail is loose in the canal: transverse movement is resisted "
          "little (an assumption, check).");
      prm.declare_entry("Nail diameter",
                        "10",
                        dealii::Patterns::Double(1, 50),
                        "Diameter of the nail in the explicit representation "
                        "[mm] (reamed tibial nails 9-12 mm, typical; must be "
                        "below the canal's).");
      prm.declare_entry("Locking bolt positions",
                        "-30, 30",
                        dealii::Patterns::Anything(),
                        "Axial positions of the locking bolts [mm], comma "
                        "separated, z = 0 at the gap: one bolt per fragment, "
                        "static locking (typical, not a specific implant). "
                        "Each bolt crosses canal and both cortices.");
      prm.declare_entry("Bolt diameter",
                        "5",
                        dealii::Patterns::Double(0.5, 20),
                        "Diameter of the locking bolts [mm] (5 mm, typical).");
      declare_implant_material(prm, "titanium");
    }

    explicit IntramedullaryNailFixation(dealii::ParameterHandler &prm)
        : SpringFixation(prm, "relative stability")
    {
      ExplicitFixation nail;
      nail.device  = "nail";
      nail.options = {{"--nail-radius",
                       std::to_string(prm.get_double("Nail diameter") / 2)},
                      {"--bolts", prm.get("Locking bolt positions")},
                      {"--bolt-diameter", prm.get("Bolt diameter")}};
      parse_implant_material(prm, nail);
      geometry = nail;
    }
  };

  OSSIFY_REGISTER_FIXATION(IntramedullaryNailFixation,
                           "intramedullary-nail",
                           "Intramedullary nail with locking screws")
} // namespace Ossify
