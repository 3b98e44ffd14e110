#ifndef OSSIFY_FIXATION_EXPLICIT_GEOMETRY_H
#define OSSIFY_FIXATION_EXPLICIT_GEOMETRY_H

#include <deal.II/base/parameter_handler.h>

#include <mpi.h>

#include <string>
#include <utility>
#include <vector>

namespace Ossify
{
  struct ParametricBoneParameters;

  /**
   * A device in its explicit representation: the options of the mesh
   * template meshes/fixation_construct.py that mesh it around the bone,
   * and the material of its implant cells.
   */
  struct ExplicitFixation
  {
    std::string device; ///< template kind: cast, plate, nail or fixator
    /// template options and values, e.g. {"--plate-length", "70"}; an
    /// empty value: a flag such as {"--half", ""}
    std::vector<std::pair<std::string, std::string>> options;
    double      youngs_modulus; ///< of the implant cells [MPa]
    double      poissons_ratio; ///< [-]
    std::string material_source;
    /// the device sits on skin: needs a soft-tissue sleeve
    bool needs_soft_tissue = false;
    /// the device lies on the periosteum: needs a cylindrical callus
    bool needs_cylindrical_callus = false;
    /// a tensioned plate: the part between the screws nearest the gap,
    /// from @p preload_z_min to @p preload_z_max [mm], pre-shortened by
    /// @p preload_shortening [mm] or pulled with @p preload_force [N]
    double preload_z_min      = 0;
    double preload_z_max      = 0;
    double preload_shortening = 0;
    double preload_force      = 0;
    /// the construct is symmetric about the template's plane x = 0, so
    /// that a half model (template option --half) is exact
    bool mirror_symmetric = false;
  };

  /// "Implant material" (titanium | stainless-steel) of a metal device.
  void declare_implant_material(dealii::ParameterHandler &prm,
                                const std::string        &default_material);
  /// Sets the material fields of @p model from "Implant material".
  void parse_implant_material(dealii::ParameterHandler &prm,
                              ExplicitFixation         &model);

  /// Plate, screws: length, width, thickness, screw positions, diameter.
  void             declare_plate_geometry(dealii::ParameterHandler &prm,
                                          const std::string        &screw_positions,
                                          const std::string        &source);
  ExplicitFixation parse_plate_geometry(dealii::ParameterHandler &prm);

  /// Cast or brace shell: thickness, modulus and Poisson's ratio.
  void             declare_cast_geometry(dealii::ParameterHandler &prm,
                                         const std::string        &thickness,
                                         const std::string        &modulus,
                                         const std::string        &source);
  ExplicitFixation parse_cast_geometry(dealii::ParameterHandler &prm);

  /**
   * Generates the mesh of an explicit fixation around the parametric bone
   * @p bone unless a mesh of the same parameters (and template) exists in
   * the cache directory. Rank 0 of @p communicator runs the template; all
   * ranks return the mesh file or throw the same InputError (naming
   * section @p section) with the template's message.
   */
  std::string generate_fixation_mesh(const ExplicitFixation         &model,
                                     const ParametricBoneParameters &bone,
                                     const std::string              &section,
                                     MPI_Comm communicator);

  /// Where generate_fixation_mesh() puts the mesh (no MPI, no files).
  std::string fixation_mesh_file(const ExplicitFixation         &model,
                                 const ParametricBoneParameters &bone);
} // namespace Ossify

#endif
