#ifndef OSSIFY_HEALING_HEALING_PARAMETERS_H
#define OSSIFY_HEALING_HEALING_PARAMETERS_H

#include "geometry/regions.h"
#include "healing/stem_cells.h"
#include "healing/tissue_state.h"
#include "healing/virtual_mechanical_test.h"

#include <deal.II/base/parameter_handler.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace Ossify
{
  /// A piecewise linear load factor over days, constant beyond its ends.
  struct LoadSchedule
  {
    std::vector<std::pair<double, double>> points; ///< (day, factor), sorted

    double factor(double day) const;

    /// From "day: factor, ..." (parameter 'Load schedule').
    static LoadSchedule parse(const std::string &text);
    /// From a file of "day factor" lines (parameter 'Load schedule file').
    static LoadSchedule read(const std::string &file_name);
  };

  /// Section "Healing": the day loop, the rule and the tissue dynamics.
  struct HealingParameters
  {
    unsigned int       n_days;
    unsigned int       output_interval;
    unsigned int       checkpoint_interval; ///< [day], 0: none
    std::string        rule;
    MixtureLaw         mixture;
    unsigned int       smoothing_days;
    double             differentiation_rate; ///< [1/day]
    double             maturation_rate;      ///< [1/day]
    std::set<Region>   evolving_regions;
    LoadSchedule       load_schedule;
    unsigned int       preconditioner_reuse_days;
    StemCellParameters stem_cells;

    // healing outcomes
    double bridging_modulus;         ///< [MPa]
    double union_ifm_fraction;       ///< [-]
    double union_stiffness_fraction; ///< [-] of the intact construct
    VirtualTestParameters virtual_test;

    static void declare_parameters(dealii::ParameterHandler &prm);
    /// @p prm_directory resolves a relative 'Load schedule file'.
    void parse_parameters(dealii::ParameterHandler &prm,
                          const std::string        &prm_directory);
  };
} // namespace Ossify

#endif
