// Compression plate (absolute stability): the plate is tensioned against
// the bone, so that it closes and compresses the gap.
#include "base/input_error.h"
#include "fixation/explicit_geometry.h"
#include "fixation/fixation.h"

#include <deal.II/base/utilities.h>

#include <algorithm>
#include <utility>

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
          "How far the tensioned plate pushes the fragments together [mm] "
          "(dynamic compression holes or a tensioner), whatever the day's "
          "load; 0: none. Lumped: the force on the proximal end is axial "
          "stiffness x this. Explicit: the plate between the two screws "
          "nearest the gap is made this much shorter (an axial "
          "eigenstrain), which pulls the fragments together through the "
          "screws; the construct stiffness leaves the preload's own "
          "shortening out. Closing the gap geometrically (Geometry/Gap "
          "width) is the other way to model compression.");
      prm.declare_entry(
          "Preload force",
          "0",
          dealii::Patterns::Double(0, 1e5),
          "The same preload given as the force the plate presses the "
          "fragments together with [N] (a dynamic compression plate: of "
          "the order of 600 N, check); give this or 'Pre-shortening', not "
          "both. 0: none. Lumped: the pre-shortening force / axial "
          "stiffness. Explicit: the tension of the plate between the "
          "screws nearest the gap if the bone held its ends still "
          "(eigenstrain -F / (E A) over the plate's meshed "
          "cross-section A).");
    }

    explicit CompressionPlateFixation(dealii::ParameterHandler &prm)
        : SpringFixation(prm, "absolute stability")
    {
      geometry = parse_plate_geometry(prm);
      parse_implant_material(prm, *geometry);
      springs.pre_shortening = prm.get_double("Pre-shortening");
      springs.preload_force  = prm.get_double("Preload force");
      if (springs.preload_force > 0 && springs.pre_shortening > 0)
        throw InputError("Fixation/compression-plate",
                         "Preload force",
                         "give the preload as 'Pre-shortening' [mm] or as "
                         "'Preload force' [N], not both");
      // explicit: the plate between the screws nearest the gap is
      // tensioned (the eccentric holes of a dynamic compression plate)
      geometry->preload_shortening = springs.pre_shortening;
      geometry->preload_force      = springs.preload_force;
      const auto [below, above] =
          screws_nearest_the_gap(prm.get("Screw positions"));
      const double radius     = prm.get_double("Screw diameter") / 2;
      geometry->preload_z_min = below + radius;
      geometry->preload_z_max = above - radius;
    }

  private:
    /// The screw positions nearest below and above z = 0 [mm] (the
    /// template checks that there are such screws).
    static std::pair<double, double>
    screws_nearest_the_gap(const std::string &positions)
    {
      double below = -1e300, above = 1e300;
      for (const std::string &word : dealii::Utilities::split_string_list(
               dealii::Utilities::replace_in_string(positions, " ", ","), ','))
        if (!word.empty())
        {
          double z = 0;
          try
          {
            z = dealii::Utilities::string_to_double(word);
          }
          catch (...)
          {
            throw InputError("Fixation/compression-plate",
                             "Screw positions",
                             "cannot read '" + word +
                                 "' as a position [mm]; give numbers "
                                 "separated by commas");
          }
          if (z < 0)
            below = std::max(below, z);
          else
            above = std::min(above, z);
        }
      return {below, above};
    }
  };

  OSSIFY_REGISTER_FIXATION(CompressionPlateFixation,
                           "compression-plate",
                           "Compression plate: stiff springs and an optional "
                           "pre-shortening that compresses the gap")
} // namespace Ossify
