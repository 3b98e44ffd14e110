#include "fixation/fixation.h"

#include "base/input_error.h"
#include "geometry/regions.h"

#include <algorithm>
#include <set>

namespace Ossify
{
  using namespace dealii;

  FixationRegistry &
  fixation_registry()
  {
    static FixationRegistry registry("fixation device");
    return registry;
  }

  namespace
  {
    std::string
    fixation_selection()
    {
      return "none|" + fixation_registry().names();
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
    prm.declare_entry(
        "Bending stiffness",
        "0",
        Patterns::Double(0, 1e12),
        "Stiffness of the device against bending of one fragment relative "
        "to the other, about each transverse axis [N mm/rad]; give it "
        "together with 'Torsional stiffness'. 0: what the axial springs, "
        "spread uniformly over the end face, give (axial stiffness x I / A, "
        "~40x axial in mm^2 on the human tibia).");
    prm.declare_entry(
        "Torsional stiffness",
        "0",
        Patterns::Double(0, 1e12),
        "Stiffness of the device against twist of one fragment relative to "
        "the other about the bone axis [N mm/rad]; give it together with "
        "'Bending stiffness'. 0: what the shear springs, spread uniformly "
        "over the end face, give (shear stiffness x J / A).");
  }

  LumpedFixation
  parse_spring_parameters(ParameterHandler &prm)
  {
    LumpedFixation springs;
    springs.axial_stiffness     = prm.get_double("Axial stiffness");
    springs.shear_stiffness     = prm.get_double("Shear stiffness");
    springs.bending_stiffness   = prm.get_double("Bending stiffness");
    springs.torsional_stiffness = prm.get_double("Torsional stiffness");
    return springs;
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
                      "lumped: the device as springs (axial, shear, "
                      "bending, torsion) between the proximal end face and "
                      "the held distal end, in parallel with the fracture. "
                      "explicit: the device meshed around the parametric "
                      "bone by meshes/fixation_construct.py (Gmsh, "
                      "python3-gmsh) from the geometry parameters of its "
                      "subsection, regenerated when they change; loads then "
                      "enter through the cortex only.");
    prm.declare_entry("Half model",
                      "false",
                      Patterns::Bool(),
                      "explicit only: mesh one half of the construct, cut "
                      "along its plane of symmetry x = 0 (through the bone "
                      "axis and the middle of the plate; a plate or a "
                      "cast), which becomes a 'Symmetry' boundary. Loads "
                      "stay those of the whole body and forces, "
                      "stiffnesses and volumes are reported for it; only "
                      "loads symmetric about the plane are allowed (no "
                      "force along x, no moment about y or z). Needs "
                      "'Cells around circumference' a multiple of 8.");
    prm.declare_entry("Dynamisation day",
                      "0",
                      Patterns::Integer(0, 1000),
                      "Day from which the device's stiffness is multiplied "
                      "by 'Dynamised stiffness factor' [day] (e.g. removing "
                      "fixator bars or locking screws); 0: never. Lumped: "
                      "the springs and any preload; explicit: the Young's "
                      "modulus of the whole implant (a uniformly more "
                      "flexible device; taking out one bolt or bar is not "
                      "modelled).");
    prm.declare_entry("Dynamised stiffness factor",
                      "1",
                      Patterns::Double(0, 1),
                      "Factor of the device's stiffness after dynamisation "
                      "[-].");
    fixation_registry().declare_parameters(prm);
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
    half_model       = prm.get_bool("Half model");
    if (type == "none" && dynamisation_day > 0)
      throw InputError("Fixation",
                       "Dynamisation day",
                       "is " + std::to_string(dynamisation_day) +
                           ", but 'Type' is 'none': there is no device to "
                           "dynamise; choose a fixation or leave the day at "
                           "0 (never)");
    fixation.reset();
    springs = LumpedFixation();
    if (type != "none")
    {
      fixation = fixation_registry().create(type, prm);
      springs  = fixation->lumped();
    }
    prm.leave_subsection();

    explicit_model.reset();
    if (type != "none" && representation == "explicit")
    {
      explicit_model = fixation->explicit_model();
      if (!explicit_model)
        throw InputError("Fixation",
                         "Representation",
                         "'" + type +
                             "' has no explicit (meshed) representation; use "
                             "'lumped'");
      if (half_model)
      {
        if (!explicit_model->mirror_symmetric)
          throw InputError("Fixation",
                           "Half model",
                           "the explicit '" + type +
                               "' is not symmetric about a plane through "
                               "the bone axis (only a plate or a cast is); "
                               "set false");
        explicit_model->options.emplace_back("--half", "");
      }
    }
    else if (half_model)
      throw InputError("Fixation",
                       "Half model",
                       "halves the meshed device of 'Representation = "
                       "explicit'; set false here (Type '" +
                           type + "', Representation '" + representation +
                           "')");
  }

  void
  FixationParameters::apply_explicit(GeometryParameters          &geometry,
                                     TissueMaterialParameters    &tissues,
                                     BoundaryConditionParameters &bc) const
  {
    if (!is_explicit())
      return;
    const std::string section = "Fixation/" + type;
    if (geometry.source != "parametric")
      throw InputError("Fixation",
                       "Representation",
                       "the explicit '" + type +
                           "' is meshed around the parametric bone: set "
                           "'Geometry/Source = parametric'");
    const ParametricBoneParameters &bone = geometry.bone;
    if (explicit_model->needs_soft_tissue && !(bone.soft_tissue_thickness > 0))
      throw InputError("Geometry/Parametric bone",
                       "Soft tissue thickness",
                       "the explicit '" + type +
                           "' sits on skin over a soft-tissue sleeve: give "
                           "the sleeve a thickness > 0 mm");
    if (explicit_model->needs_cylindrical_callus &&
        bone.periosteal_callus_taper < 1)
      throw InputError("Geometry/Parametric bone",
                       "Periosteal callus taper",
                       "the explicit '" + type +
                           "' lies on the periosteum, which a tapered "
                           "callus region would bend: set the taper to 1");
    if (bone.gap_width <= 0)
      throw InputError("Geometry/Parametric bone",
                       "Gap width",
                       "the explicit '" + type + "' needs a fracture gap");

    geometry.source         = "gmsh";
    geometry.gmsh.mesh_file = fixation_mesh_file(*explicit_model, bone);
    // the template tags with our own ids (it gets them as --labels)
    geometry.gmsh.region_map.clear();
    for (unsigned int tag = 1; tag <= region_names().size(); ++tag)
      geometry.gmsh.region_map[tag] = region_name(tag);
    geometry.gmsh.boundary_map.clear();
    for (const Boundary b :
         {Boundary::distal, Boundary::proximal, Boundary::outer})
      geometry.gmsh.boundary_map[static_cast<unsigned int>(b)] =
          boundary_name(static_cast<types::boundary_id>(b));
    if (half_model)
    {
      geometry.gmsh
          .boundary_map[static_cast<unsigned int>(Boundary::symmetry)] =
          "symmetry";
      if (std::find(bc.symmetry.begin(),
                    bc.symmetry.end(),
                    Boundary::symmetry) == bc.symmetry.end())
        bc.symmetry.push_back(Boundary::symmetry);
    }

    TissueProperties &implant =
        tissues.tissues[static_cast<unsigned int>(Tissue::implant)];
    implant.youngs_modulus = explicit_model->youngs_modulus;
    implant.poissons_ratio = explicit_model->poissons_ratio;
    implant.source = explicit_model->material_source + " (" + section + ")";
    // the default (cortical, implant) would load the ends of a nail or a
    // shell; anything else the user chose is refused rather than replaced
    const std::set<Region> default_regions = {Region::cortical,
                                              Region::implant};
    if (bc.load_bearing_regions != default_regions &&
        bc.load_bearing_regions != std::set<Region>{Region::cortical})
      throw InputError("Boundary conditions",
                       "Load-bearing regions",
                       "with the explicit '" + type +
                           "' loads act through the cortex: leave the "
                           "default or set 'cortical'");
    bc.load_bearing_regions = {Region::cortical};

    const ExplicitFixation &device = *explicit_model;
    if (device.preload_shortening > 0 || device.preload_force > 0)
    {
      if (!(device.preload_z_max > device.preload_z_min))
        throw InputError(section,
                         "Screw positions",
                         "a preload tensions the plate between the screws "
                         "nearest the gap, which must leave room between "
                         "them");
      // the plate, not the screws: cells beyond the cortex
      bc.prestrain = AxialPrestrain{Region::implant,
                                    bone.outer_radius,
                                    device.preload_z_min,
                                    device.preload_z_max,
                                    device.preload_shortening,
                                    device.preload_force};
    }
  }

  void
  FixationParameters::apply(BoundaryConditionParameters &bc) const
  {
    if (!fixation)
      return;
    // the device (springs or meshed) is what holds the proximal end
    if (bc.elastic_support.count(Boundary::proximal) ||
        bc.rotational_support.count(Boundary::proximal))
      throw InputError("Fixation",
                       "Type",
                       "'" + type + "' (" + representation +
                           ") is the fixation of the proximal end; remove "
                           "'Elastic support' and 'Rotational support' on "
                           "'proximal' from section 'Boundary conditions'");
    if (is_explicit())
    {
      if (dynamisation_day > 0 && !(dynamised_factor > 0))
        throw InputError("Fixation",
                         "Dynamised stiffness factor",
                         "multiplies the implant's Young's modulus in the "
                         "explicit representation: it must be > 0 (a "
                         "device of no stiffness is not a device)");
      return;
    }
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
    if ((springs.bending_stiffness > 0) != (springs.torsional_stiffness > 0))
      throw InputError("Fixation/" + type,
                       springs.bending_stiffness > 0 ? "Torsional stiffness"
                                                     : "Bending stiffness",
                       "give 'Bending stiffness' and 'Torsional stiffness' "
                       "together (both > 0), or neither (uniform springs)");
    if (springs.bending_stiffness > 0 &&
        (springs.axial_stiffness == 0 || springs.shear_stiffness == 0))
      throw InputError("Fixation/" + type,
                       "Bending stiffness",
                       "rotational stiffness shapes the axial and shear "
                       "springs across the end face, so 'Axial stiffness' "
                       "and 'Shear stiffness' must be positive");
    if (springs.bending_stiffness > 0)
    {
      Tensor<1, 3> rotational;
      rotational[0] = rotational[1]             = springs.bending_stiffness;
      rotational[2]                             = springs.torsional_stiffness;
      bc.rotational_support[Boundary::proximal] = rotational;
    }
    if (springs.preload_force > 0 && springs.axial_stiffness == 0)
      throw InputError("Fixation/" + type,
                       "Preload force",
                       "the lumped preload pre-shortens the axial spring: "
                       "it needs a positive 'Axial stiffness'");
    // a force F is the pre-shortening F / k of the axial spring
    const double pre_shortening =
        springs.preload_force > 0
            ? springs.preload_force / springs.axial_stiffness
            : springs.pre_shortening;
    if (pre_shortening > 0 && springs.axial_stiffness == 0)
      throw InputError("Fixation/" + type,
                       "Pre-shortening",
                       "the lumped preload pre-shortens the axial spring: "
                       "it needs a positive 'Axial stiffness'");
    if (pre_shortening > 0)
    {
      Tensor<1, 3> preload;
      preload[2] = -springs.axial_stiffness * pre_shortening;
      bc.preload[Boundary::proximal] = preload;
    }
  }
} // namespace Ossify
