#ifndef OSSIFY_GEOMETRY_REGIONS_H
#define OSSIFY_GEOMETRY_REGIONS_H

#include <deal.II/base/types.h>

#include <string>
#include <vector>

namespace Ossify
{
  /**
   * The labelled regions of a fractured long bone. Both the built-in
   * parametric geometry and imported Gmsh meshes end up with these material
   * ids, so that the physics never cares where a mesh came from.
   */
  enum class Region : dealii::types::material_id
  {
    cortical          = 1, ///< cortical bone of the two fragments
    marrow            = 2, ///< marrow canal away from the fracture
    gap               = 3, ///< the fracture gap between the cortical ends
    periosteal_callus = 4, ///< external callus around the gap
    endosteal_callus  = 5, ///< the canal near the gap
    soft_tissue       = 6, ///< surrounding soft-tissue sleeve
    implant           = 7  ///< an explicitly meshed implant or cast
  };

  /// Boundary ids shared by all geometries.
  enum class Boundary : dealii::types::boundary_id
  {
    other    = 0, ///< faces that carry no label (e.g. internal interfaces)
    distal   = 1, ///< end face of the distal fragment (z = -L/2)
    proximal = 2, ///< end face of the proximal fragment (z = +L/2)
    outer    = 3, ///< lateral outer surface
    symmetry = 4  ///< a plane of symmetry (half and quarter models)
  };

  /// All region names, in the order of their ids.
  const std::vector<std::string> &region_names();

  /// All boundary names, in the order of their ids.
  const std::vector<std::string> &boundary_names();

  std::string region_name(dealii::types::material_id id);

  std::string boundary_name(dealii::types::boundary_id id);

  /// Throws InputError (naming @p context) if @p name is not a region.
  Region region_from_name(const std::string &name, const std::string &context);

  /// Throws InputError (naming @p context) if @p name is not a boundary.
  Boundary boundary_from_name(const std::string &name,
                              const std::string &context);

  /// "a|b|c" for use in Patterns::Selection.
  std::string region_selection();

  std::string boundary_selection();

  /// The region and boundary labels as JSON, the one source of the
  /// numbering for the Python tools (`ossify --print-labels`):
  /// {"regions": {"cortical": 1, ...}, "boundaries": {"other": 0, ...}}
  std::string labels_json();

  /// True for the regions in which a callus forms (gap, periosteal and
  /// endosteal callus).
  bool is_callus(dealii::types::material_id id);
} // namespace Ossify

#endif
