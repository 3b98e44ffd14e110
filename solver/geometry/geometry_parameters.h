#ifndef OSSIFY_GEOMETRY_GEOMETRY_PARAMETERS_H
#define OSSIFY_GEOMETRY_GEOMETRY_PARAMETERS_H

#include <deal.II/base/parameter_handler.h>
#include <deal.II/base/types.h>

#include <map>
#include <string>

namespace Ossify
{
  /**
   * Dimensions of the built-in fractured long bone (section
   * "Geometry/Parametric bone"). Lengths in mm. The bone axis is z, the
   * fracture gap is centred at z = 0.
   */
  struct ParametricBoneParameters
  {
    double segment_length;
    double outer_radius;
    double inner_radius;
    double gap_width;
    double periosteal_callus_thickness;
    double periosteal_callus_length;
    double endosteal_callus_length;
    double soft_tissue_thickness;
    double periosteal_callus_taper;

    unsigned int cells_around_circumference;
    unsigned int radial_cells_cortex;
    unsigned int radial_cells_callus;
    unsigned int radial_cells_soft_tissue;
    unsigned int cells_across_gap;
    double       axial_cell_size;

    static void declare_parameters(dealii::ParameterHandler &prm);
    void        parse_parameters(dealii::ParameterHandler &prm);
    /// Cross-checks between the dimensions; throws InputError.
    void check() const;
  };

  /**
   * Import of a Gmsh mesh (section "Geometry/Gmsh mesh"): physical volume
   * tags become regions and physical surface tags become boundaries through
   * the two maps.
   */
  struct GmshMeshParameters
  {
    std::string mesh_file;
    /// physical volume tag -> region name
    std::map<int, std::string> region_map;
    /// physical surface tag -> boundary name
    std::map<int, std::string> boundary_map;

    static void declare_parameters(dealii::ParameterHandler &prm);
    void        parse_parameters(dealii::ParameterHandler &prm,
                                 const std::string        &prm_directory);
    void        check() const;
  };

  /// Section "Geometry": where the mesh comes from and how it is refined.
  struct GeometryParameters
  {
    std::string              source; ///< "parametric" or "gmsh"
    ParametricBoneParameters bone;
    GmshMeshParameters       gmsh;
    unsigned int             global_refinements;
    unsigned int             callus_refinements;

    static void declare_parameters(dealii::ParameterHandler &prm);
    /// @p prm_directory resolves relative file names against the .prm file.
    void parse_parameters(dealii::ParameterHandler &prm,
                          const std::string        &prm_directory);
    void check() const;
  };
} // namespace Ossify

#endif
