#include "fixation/fixation.h"

#include "base/input_error.h"

namespace Ossify
{
  using namespace dealii;

  std::map<std::string, FixationFactory> &
  fixation_registry()
  {
    static std::map<std::string, FixationFactory> registry;
    return registry;
  }

  bool
  register_fixation(const std::string &name, FixationFactory factory)
  {
    fixation_registry()[name] = std::move(factory);
    return true;
  }

  namespace
  {
    std::string
    fixation_selection()
    {
      std::string names = "none";
      for (const auto &entry : fixation_registry())
        names += "|" + entry.first;
      return names;
    }
  } // namespace

  void
  declare_spring_parameters(ParameterHandler  &prm,
                            const std::string &axial_default,
                            const std::string &axial_source,
                            const std::string &shear_default,
                            const std::string &shear_source)
  {
    prm.declare_entry("Axial stiffness",
                      axial_default,
                      Patterns::Double(0, 1e9),
                      "Axial stiffness of the device between the fragments "
                      "[N/mm]. " +
                          axial_source);
    prm.declare_entry("Shear stiffness",
                      shear_default,
                      Patterns::Double(0, 1e9),
                      "Stiffness against transverse movement of the "
                      "fragments, per direction [N/mm]. " +
                          shear_source);
  }

  LumpedFixation
  parse_spring_parameters(ParameterHandler &prm)
  {
    return {prm.get_double("Axial stiffness"),
            prm.get_double("Shear stiffness"),
            0.};
  }

  void
  FixationParameters::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Fixation");
    prm.declare_entry("Type",
                      "none",
                      Patterns::Selection(fixation_selection()),
                      "The device holding the fracture; its stiffness and "
                      "preload are set in its own subsection. 'none': only "
                      "what 'Boundary conditions' says.");
    prm.declare_entry("Representation",
                      "lumped",
                      Patterns::Selection("lumped|explicit"),
                      "lumped: the device as springs (axial, shear) between "
                      "the proximal end face and the held distal end, in "
                      "parallel with the fracture. explicit (meshed implant) "
                      "is not available yet.");
    prm.declare_entry("Dynamisation day",
                      "0",
                      Patterns::Integer(0, 1000),
                      "Day from which the device's stiffness is multiplied "
                      "by 'Dynamised stiffness factor' [day] (e.g. removing "
                      "fixator bars or locking screws); 0: never.");
    prm.declare_entry("Dynamised stiffness factor",
                      "1",
                      Patterns::Double(0, 1),
                      "Factor of the spring stiffness after dynamisation "
                      "[-].");
    for (const auto &[name, factory] : fixation_registry())
    {
      prm.enter_subsection(name);
      factory.declare(prm);
      prm.leave_subsection();
    }
    prm.leave_subsection();
  }

  void
  FixationParameters::parse_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Fixation");
    type             = prm.get("Type");
    representation   = prm.get("Representation");
    dynamisation_day = prm.get_integer("Dynamisation day");
    dynamised_factor = prm.get_double("Dynamised stiffness factor");
    fixation.reset();
    springs = {0, 0, 0};
    if (type != "none")
    {
      prm.enter_subsection(type);
      fixation = fixation_registry().at(type).create(prm);
      prm.leave_subsection();
      springs = fixation->lumped();
    }
    prm.leave_subsection();

    if (type != "none" && representation == "explicit")
      throw InputError("Fixation",
                       "Representation",
                       "the explicit (meshed) representation of '" + type +
                           "' is not available yet; use 'lumped'");
  }

  void
  FixationParameters::apply(BoundaryConditionParameters &bc) const
  {
    if (!fixation)
      return;
    // the springs tie the proximal end to ground: that is "between the
    // fragments" only when the distal end is held in every direction
    const auto distal = bc.fixed.find(Boundary::distal);
    if (distal == bc.fixed.end() ||
        !(distal->second[0] && distal->second[1] && distal->second[2]))
      throw InputError("Fixation",
                       "Type",
                       "a lumped fixation acts between the proximal end and "
                       "the held distal end: set 'Fixed = distal: xyz' in "
                       "section 'Boundary conditions'");
    if (bc.elastic_support.count(Boundary::proximal))
      throw InputError("Fixation",
                       "Type",
                       "'" + type +
                           "' supplies the springs at the proximal end; "
                           "remove 'Elastic support' on 'proximal' from "
                           "section 'Boundary conditions'");
    if (bc.fixed.count(Boundary::proximal) ||
        bc.displacement.count(Boundary::proximal))
      throw InputError("Fixation",
                       "Type",
                       "the proximal end is held, so the device carries "
                       "nothing; load it with 'Total force' instead");
    Tensor<1, 3> stiffness;
    stiffness[0] = stiffness[1]            = springs.shear_stiffness;
    stiffness[2]                           = springs.axial_stiffness;
    bc.elastic_support[Boundary::proximal] = stiffness;
    if (springs.pre_shortening > 0)
    {
      Tensor<1, 3> preload;
      preload[2] = -springs.axial_stiffness * springs.pre_shortening;
      bc.preload[Boundary::proximal] = preload;
    }
  }
} // namespace Ossify
