// Compression plate (absolute stability): the plate is tensioned against
// the bone, so that it closes and compresses the gap.
#include "base/input_error.h"
#include "fixation/explicit_geometry.h"
#include "fixation/fixation.h"

namespace Ossify
{
  class CompressionPlateFixation : public SpringFixation
  {
  public:
    static void
    declare_parameters(dealii::ParameterHandler &prm)
    {
      declare_spring_parameters(
          prm,
          "300000",
          "A plate and screws much stiffer than the callus: with 300 kN/mm "
          "the plate carries the load and the gap moves micrometres, as "
          "observed clinically (mechanobiology.md 4); a judgement.",
          "100000",
          "An assumption, of the order of the axial value.");
      declare_plate_geometry(
          prm,
          "-24, -16, -8, 8, 16, 24",
          "A 70 mm plate with three screws per fragment close to the gap: "
          "short working length (16 mm), AO compression plating (a typical "
          "layout on this 80 mm segment, not a specific implant).");
      declare_implant_material(prm, "stainless-steel");
      prm.declare_entry(
          "Pre-shortening",
          "0",
          dealii::Patterns::Double(0, 10),
          "How far the tensioned plate pushes the fragments together [mm]: "
          "the force on the proximal end is axial stiffness x this, "
          "whatever the day's load (dynamic compression holes or a "
          "tensioner); 0: none. Closing the gap geometrically "
          "(Geometry/Gap width) is the other way to model compression.");
      prm.declare_entry(
          "Preload force",
          "0",
          dealii::Patterns::Double(0, 1e5),
          "The same preload given as the force the plate presses the "
          "fragments together with [N] (a dynamic compression plate: of "
          "the order of 600 N, check); give this or 'Pre-shortening', not "
          "both. 0: none.");
    }

    explicit CompressionPlateFixation(dealii::ParameterHandler &prm)
        : SpringFixation(prm, "absolute stability")
    {
      geometry = parse_plate_geometry(prm);
      parse_implant_material(prm, *geometry);
      springs.pre_shortening = prm.get_double("Pre-shortening");
      const double force     = prm.get_double("Preload force");
      if (force > 0 && springs.pre_shortening > 0)
        throw InputError("Fixation/compression-plate",
                         "Preload force",
                         "give the preload as 'Pre-shortening' [mm] or as "
                         "'Preload force' [N], not both");
      if ((springs.pre_shortening > 0 || force > 0) &&
          springs.axial_stiffness == 0)
        throw InputError("Fixation/compression-plate",
                         force > 0 ? "Preload force" : "Pre-shortening",
                         "needs a positive 'Axial stiffness' to push with");
      // a force F is the pre-shortening F / k of the axial spring
      if (force > 0)
        springs.pre_shortening = force / springs.axial_stiffness;
    }
  };

  OSSIFY_REGISTER_FIXATION(CompressionPlateFixation,
                           "compression-plate",
                           "Compression plate: stiff springs and an optional "
                           "pre-shortening that compresses the gap")
} // namespace Ossify
