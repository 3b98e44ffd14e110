#ifndef OSSIFY_MECHANICS_REGION_STATISTICS_H
#define OSSIFY_MECHANICS_REGION_STATISTICS_H

#include "base/quadrature_point_data.h"
#include "mechanics/elasticity.h"

#include <map>

namespace Ossify
{
  /// Volume-weighted figures of the mechanical stimulus in one region.
  struct RegionStrainStatistics
  {
    double volume                       = 0; ///< [mm^3]
    double mean_octahedral_shear_strain = 0; ///< [-]
    double max_octahedral_shear_strain  = 0; ///< [-]
    double mean_hydrostatic_pressure    = 0; ///< [MPa], compression > 0
    double mean_max_abs_principal       = 0; ///< [-], signed
  };

  /// The statistics of every region present in the mesh (collective).
  std::map<Region, RegionStrainStatistics> compute_region_statistics(
      const ElasticitySolver                          &mechanics,
      const QuadraturePointData<MechanicalPointState> &states);
} // namespace Ossify

#endif
