#include "geometry/geometry_parameters.h"

#include "base/input_error.h"
#include "base/parameter_utilities.h"
#include "geometry/regions.h"

#include <deal.II/base/utilities.h>

#include <fstream>

namespace Ossify
{
  using dealii::ParameterHandler;
  using dealii::Patterns::Double;
  using dealii::Patterns::Integer;
  using dealii::Patterns::Selection;

  namespace
  {
    const char *bone_section = "Geometry/Parametric bone";
    const char *gmsh_section = "Geometry/Gmsh mesh";
  } // namespace

  // Defaults: human tibia mid-shaft, ../shared mechanobiology.md section 4
  // (outer diameter 25-30 mm, cortex 4-6 mm, canal 12-15 mm, periosteal
  // callus 4 mm as in Ghiasi 2019). cases/presets/*.prm restate them with
  // their sources.
  void
  ParametricBoneParameters::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Parametric bone");
    prm.declare_entry("Segment length",
                      "80",
                      Double(1.0, 1000.0),
                      "Length of the modelled diaphysis segment along the bone "
                      "axis (z), both fragments and the gap together [mm].");
    prm.declare_entry("Outer radius",
                      "13",
                      Double(0.5, 100.0),
                      "Periosteal (outer) radius of the cortex [mm]. Human "
                      "tibia mid-shaft: 12.5-15 mm.");
    prm.declare_entry("Inner radius",
                      "7.5",
                      Double(0.1, 100.0),
                      "Endosteal (inner) radius of the cortex, i.e. radius "
                      "of the marrow canal [mm]. Must be below the outer "
                      "radius.");
    prm.declare_entry("Gap width",
                      "3",
                      Double(0.0, 100.0),
                      "Axial width of the transverse osteotomy gap, centred "
                      "at z = 0 [mm]. 0 makes an intact bone.");
    prm.declare_entry("Periosteal callus thickness",
                      "4",
                      Double(0.0, 100.0),
                      "Radial thickness of the external (periosteal) callus "
                      "region outside the cortex [mm]. 0 means no periosteal "
                      "callus.");
    prm.declare_entry("Periosteal callus length",
                      "30",
                      Double(0.0, 1000.0),
                      "Axial extent of the periosteal callus region, centred "
                      "on the gap [mm]. At least the gap width.");
    prm.declare_entry("Endosteal callus length",
                      "20",
                      Double(0.0, 1000.0),
                      "Axial extent of the endosteal callus region (the "
                      "marrow canal near the gap), centred on the gap [mm]. "
                      "0 means the canal is marrow throughout.");
    prm.declare_entry("Periosteal callus taper",
                      "1",
                      Double(0.05, 1.0),
                      "Thickness of the periosteal callus at its axial ends "
                      "relative to its thickness at the gap [-]: 1 is a "
                      "cylindrical sleeve, smaller values a spindle that "
                      "thins linearly from the gap to the ends, as external "
                      "calluses do.");
    prm.declare_entry("Soft tissue thickness",
                      "0",
                      Double(0.0, 100.0),
                      "Radial thickness of a soft-tissue sleeve around bone "
                      "and callus over the whole segment [mm]. 0 means none.");
    prm.declare_entry("Cells around circumference",
                      "24",
                      Integer(8, 400),
                      "Number of cells around the bone circumference in the "
                      "coarse mesh [-]; a multiple of 4.");
    prm.declare_entry("Radial cells in cortex",
                      "2",
                      Integer(1, 50),
                      "Number of coarse cells across the cortex [-].");
    prm.declare_entry("Radial cells in callus",
                      "2",
                      Integer(1, 50),
                      "Number of coarse cells across the periosteal callus "
                      "thickness [-].");
    prm.declare_entry("Radial cells in soft tissue",
                      "1",
                      Integer(1, 50),
                      "Number of coarse cells across the soft-tissue sleeve "
                      "[-].");
    prm.declare_entry("Cells across gap",
                      "2",
                      Integer(1, 50),
                      "Number of coarse cells across the gap width [-].");
    prm.declare_entry("Axial cell size",
                      "4",
                      Double(0.01, 1000.0),
                      "Target axial size of coarse cells outside the gap "
                      "[mm].");
    prm.leave_subsection();
  }

  void
  ParametricBoneParameters::parse_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Parametric bone");
    segment_length              = prm.get_double("Segment length");
    outer_radius                = prm.get_double("Outer radius");
    inner_radius                = prm.get_double("Inner radius");
    gap_width                   = prm.get_double("Gap width");
    periosteal_callus_thickness = prm.get_double("Periosteal callus thickness");
    periosteal_callus_length    = prm.get_double("Periosteal callus length");
    endosteal_callus_length     = prm.get_double("Endosteal callus length");
    soft_tissue_thickness       = prm.get_double("Soft tissue thickness");
    periosteal_callus_taper     = prm.get_double("Periosteal callus taper");
    cells_around_circumference  = prm.get_integer("Cells around circumference");
    radial_cells_cortex         = prm.get_integer("Radial cells in cortex");
    radial_cells_callus         = prm.get_integer("Radial cells in callus");
    radial_cells_soft_tissue = prm.get_integer("Radial cells in soft tissue");
    cells_across_gap         = prm.get_integer("Cells across gap");
    axial_cell_size          = prm.get_double("Axial cell size");
    prm.leave_subsection();
  }

  void
  ParametricBoneParameters::check() const
  {
    if (inner_radius >= outer_radius)
      throw InputError(bone_section,
                       "Inner radius",
                       "the inner radius (" + std::to_string(inner_radius) +
                           " mm) must be smaller than the outer radius (" +
                           std::to_string(outer_radius) + " mm)");
    if (gap_width >= segment_length)
      throw InputError(bone_section,
                       "Gap width",
                       "the gap (" + std::to_string(gap_width) +
                           " mm) must be narrower than the segment length (" +
                           std::to_string(segment_length) + " mm)");
    if (periosteal_callus_thickness > 0 &&
        (periosteal_callus_length < gap_width ||
         periosteal_callus_length > segment_length))
      throw InputError(bone_section,
                       "Periosteal callus length",
                       "must lie between the gap width (" +
                           std::to_string(gap_width) +
                           " mm) and the segment length (" +
                           std::to_string(segment_length) + " mm)");
    if (endosteal_callus_length > segment_length)
      throw InputError(bone_section,
                       "Endosteal callus length",
                       "must not exceed the segment length (" +
                           std::to_string(segment_length) + " mm)");
    if (endosteal_callus_length > 0 && endosteal_callus_length < gap_width)
      throw InputError(bone_section,
                       "Endosteal callus length",
                       "must be 0 or at least the gap width (" +
                           std::to_string(gap_width) + " mm)");
    if (cells_around_circumference % 4 != 0)
      throw InputError(bone_section,
                       "Cells around circumference",
                       "must be a multiple of 4, got " +
                           std::to_string(cells_around_circumference));
  }

  void
  GmshMeshParameters::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Gmsh mesh");
    prm.declare_entry("Mesh file",
                      "",
                      dealii::Patterns::Anything(),
                      "Gmsh mesh (ASCII MSH 4.1 or 2.2) of hexahedra, "
                      "coordinates in mm. A relative path is taken relative "
                      "to the directory of the .prm file that is run.");
    prm.declare_entry(
        "Region map",
        "1: cortical, 2: marrow, 3: gap, 4: periosteal_callus, "
        "5: endosteal_callus, 6: soft_tissue, 7: implant",
        dealii::Patterns::Map(Integer(0, 65535),
                              Selection(region_selection()),
                              1,
                              dealii::Patterns::Map::max_int_value,
                              ","),
        "Physical volume tag -> region, as 'tag: region, ...'. Every "
        "physical volume of the mesh must appear. Regions: " +
            region_selection());
    prm.declare_entry(
        "Boundary map",
        "1: distal, 2: proximal, 3: outer",
        dealii::Patterns::Map(Integer(0, 65535),
                              Selection(boundary_selection()),
                              0,
                              dealii::Patterns::Map::max_int_value,
                              ","),
        "Physical surface tag -> boundary, as 'tag: boundary, "
        "...'. Untagged faces become 'other'. Boundaries: " +
            boundary_selection());
    prm.leave_subsection();
  }

  void
  GmshMeshParameters::parse_parameters(ParameterHandler  &prm,
                                       const std::string &prm_directory)
  {
    prm.enter_subsection("Gmsh mesh");
    const std::string file = prm.get("Mesh file");
    mesh_file = file.empty() ? "" : resolve_path(file, prm_directory);
    region_map.clear();
    for (const auto &[tag, name] : split_map(
             prm.get("Region map"), ",", "Geometry/Gmsh mesh", "Region map"))
      region_map[std::stoi(tag)] = name;
    boundary_map.clear();
    for (const auto &[tag, name] : split_map(prm.get("Boundary map"),
                                             ",",
                                             "Geometry/Gmsh mesh",
                                             "Boundary map"))
      boundary_map[std::stoi(tag)] = name;
    prm.leave_subsection();
  }

  void
  GmshMeshParameters::check() const
  {
    if (mesh_file.empty())
      throw InputError(gmsh_section,
                       "Mesh file",
                       "no mesh file given, but 'Geometry/Source' is gmsh");
    if (!std::ifstream(mesh_file))
      throw InputError(gmsh_section,
                       "Mesh file",
                       "cannot open '" + mesh_file +
                           "' (relative paths are taken from the directory of "
                           "the .prm file)");
  }

  void
  GeometryParameters::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Geometry");
    prm.declare_entry("Source",
                      "parametric",
                      Selection("parametric|gmsh"),
                      "Where the mesh comes from: 'parametric' builds the "
                      "fractured long bone of subsection 'Parametric bone'; "
                      "'gmsh' reads the file of subsection 'Gmsh mesh'.");
    prm.declare_entry("Global refinements",
                      "0",
                      Integer(0, 6),
                      "Number of uniform refinements of the whole mesh [-]. "
                      "Each one multiplies the number of cells by 8. A mesh "
                      "whose estimated memory (about 25 KB per cell times "
                      "the element degree cubed, measured) exceeds this "
                      "node's memory is refused before it is refined.");
    prm.declare_entry("Callus refinements",
                      "1",
                      Integer(0, 6),
                      "Additional refinements of the gap and callus regions "
                      "after the global ones [-] (hanging nodes between "
                      "levels are constrained).");
    ParametricBoneParameters::declare_parameters(prm);
    GmshMeshParameters::declare_parameters(prm);
    prm.leave_subsection();
  }

  void
  GeometryParameters::parse_parameters(ParameterHandler  &prm,
                                       const std::string &prm_directory)
  {
    prm.enter_subsection("Geometry");
    source             = prm.get("Source");
    global_refinements = prm.get_integer("Global refinements");
    callus_refinements = prm.get_integer("Callus refinements");
    bone.parse_parameters(prm);
    gmsh.parse_parameters(prm, prm_directory);
    prm.leave_subsection();
  }

  void
  GeometryParameters::check() const
  {
    if (source == "parametric")
      bone.check();
    else
      gmsh.check();
  }
} // namespace Ossify
