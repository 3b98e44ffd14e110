#ifndef OSSIFY_GEOMETRY_BONE_MESH_H
#define OSSIFY_GEOMETRY_BONE_MESH_H

#include "geometry/geometry_parameters.h"

#include <deal.II/distributed/tria.h>
#include <deal.II/grid/tria.h>

namespace Ossify
{
  using DistributedMesh = dealii::parallel::distributed::Triangulation<3>;

  /// Manifold id of the cells and faces that lie on circles about the z axis.
  constexpr dealii::types::manifold_id cylindrical_manifold_id = 1;

  /**
   * The coarse hexahedral mesh of the parametric fractured long bone, on
   * one process: an O-grid cross-section (a square core in the canal,
   * circular rings outside) extruded along z, with the region of every cell
   * set from its centre and the cells outside bone, callus and soft tissue
   * removed. Region and boundary ids follow regions.h.
   */
  void build_parametric_bone(const ParametricBoneParameters &parameters,
                             dealii::Triangulation<3>       &coarse_mesh);

  /**
   * Reads a Gmsh mesh and translates its physical tags through the maps of
   * @p parameters. Throws InputError naming the file for unreadable files,
   * non-hexahedral cells or tags missing from the maps.
   */
  void read_gmsh_mesh(const GmshMeshParameters &parameters,
                      dealii::Triangulation<3> &coarse_mesh);

  /**
   * Builds the distributed mesh the geometry parameters describe: coarse
   * mesh, global refinement, extra refinement of gap and callus. Checks
   * that no cell is inverted (InputError otherwise). Before refining it
   * estimates the cells and the memory the refined mesh needs with FE_Q(
   * @p fe_degree) elements, and refuses (InputError naming the refinement
   * parameters, with the estimate) what would not fit into this node's
   * memory.
   */
  void create_mesh(const GeometryParameters &parameters,
                   DistributedMesh          &mesh,
                   unsigned int              fe_degree = 1);

  /// Memory a healing run needs per active cell with FE_Q(@p fe_degree)^3
  /// elements [bytes]: measured (docs/benchmarks.md) about 22 KB per Q1
  /// cell for the mechanics (7.4 KB per DOF, 3 DOFs per cell) plus 3 KB of
  /// tissue state; the DOFs per cell grow with the cube of the degree.
  double memory_per_cell(unsigned int fe_degree);

  /// Throws InputError naming @p origin if any cell has a non-positive
  /// Jacobian determinant at a vertex. Collective.
  void check_cells_not_inverted(const DistributedMesh &mesh,
                                const std::string     &origin);
} // namespace Ossify

#endif
