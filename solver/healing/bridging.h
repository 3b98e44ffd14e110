#ifndef OSSIFY_HEALING_BRIDGING_H
#define OSSIFY_HEALING_BRIDGING_H

#include "geometry/bone_mesh.h"
#include "geometry/regions.h"

#include <set>
#include <vector>

namespace Ossify
{
  /**
   * Bony bridging: is there a face-connected path of bone-stiff cells from
   * the proximal cortical fragment (z > 0) to the distal one (z < 0)? Cells
   * of the listed regions count as bone-stiff when their Young's modulus
   * reaches the threshold; cortical cells always do. A flood fill from the
   * proximal fragment that exchanges its front with the ghost cells until
   * no rank changes, so it works across MPI ranks. Collective.
   *
   * @param cell_modulus Young's modulus per active cell index [MPa]
   *        (locally owned entries used).
   */
  bool bony_bridge_exists(const DistributedMesh     &mesh,
                          const std::vector<double> &cell_modulus,
                          double                     threshold,
                          const std::set<Region>    &bridging_regions);
} // namespace Ossify

#endif
