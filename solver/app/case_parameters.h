#ifndef OSSIFY_APP_CASE_PARAMETERS_H
#define OSSIFY_APP_CASE_PARAMETERS_H

#include "fixation/fixation.h"
#include "geometry/geometry_parameters.h"
#include "healing/healing_parameters.h"
#include "healing/mechano_regulation.h"
#include "io/field_output.h"
#include "mechanics/mechanics_parameters.h"
#include "tissue/tissue_parameters.h"

#include <deal.II/base/parameter_handler.h>

#include <memory>
#include <string>

namespace Ossify
{
  /**
   * Everything a case file sets: one struct per section, gathered. parse()
   * also runs every cross-check, so a CaseParameters that exists is
   * consistent.
   */
  struct CaseParameters
  {
    std::string parameter_file;
    std::string case_name;
    std::string output_directory;

    GeometryParameters          geometry;
    RegionParameters            regions;
    TissueMaterialParameters    tissues;
    FiniteElementParameters     finite_element;
    LinearSolverParameters      linear_solver;
    BoundaryConditionParameters boundary_conditions;
    FixationParameters          fixation;
    OutputParameters            output;
    HealingParameters           healing;
    /// the selected mechano-regulation rule, built from its subsection
    std::shared_ptr<const MechanoRegulationRule> rule;

    static void declare_parameters(dealii::ParameterHandler &prm);

    /// Reads @p file (with its includes) into @p prm and parses it. Throws
    /// InputError for any problem.
    void read(dealii::ParameterHandler &prm, const std::string &file);
  };
} // namespace Ossify

#endif
