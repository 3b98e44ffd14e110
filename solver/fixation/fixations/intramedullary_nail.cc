// Intramedullary nail with locking screws
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
    }

    explicit IntramedullaryNailFixation(dealii::ParameterHandler &prm)
        : SpringFixation(prm, "relative stability")
    {
    }
  };

  OSSIFY_REGISTER_FIXATION(IntramedullaryNailFixation,
                           "intramedullary-nail",
                           "Intramedullary nail with locking screws")
} // namespace Ossify
