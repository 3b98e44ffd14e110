#include "app/case_parameters.h"

#include "base/input_error.h"
#include "base/parameter_utilities.h"

namespace Ossify
{
  using dealii::ParameterHandler;

  void
  CaseParameters::declare_parameters(ParameterHandler &prm)
  {
    prm.declare_entry("Case name",
                      "default",
                      dealii::Patterns::Anything(),
                      "Name of the case; names the default output directory "
                      "and appears in logs and reports.");
    prm.declare_entry("Output directory",
                      "",
                      dealii::Patterns::Anything(),
                      "Directory for all results, relative to the working "
                      "directory. Empty means output/<Case name>.");
    GeometryParameters::declare_parameters(prm);
    RegionParameters::declare_parameters(prm);
    TissueMaterialParameters::declare_parameters(prm);
    FiniteElementParameters::declare_parameters(prm);
    LinearSolverParameters::declare_parameters(prm);
    BoundaryConditionParameters::declare_parameters(prm);
    FixationParameters::declare_parameters(prm);
    OutputParameters::declare_parameters(prm);
    HealingParameters::declare_parameters(prm);
  }

  void
  CaseParameters::read(ParameterHandler &prm, const std::string &file)
  {
    read_parameter_file(prm, file);
    parameter_file = file;

    case_name = dealii::Utilities::trim(prm.get("Case name"));
    if (case_name.empty() ||
        case_name.find_first_of("/\\ \t") != std::string::npos)
      throw InputError("(top level)",
                       "Case name",
                       "'" + case_name +
                           "' must be a non-empty name without spaces or "
                           "slashes (it names the output directory)");
    output_directory = dealii::Utilities::trim(prm.get("Output directory"));
    if (output_directory.empty())
      output_directory = "output/" + case_name;

    geometry.parse_parameters(prm, directory_of(file));
    regions.parse_parameters(prm);
    tissues.parse_parameters(prm);
    finite_element.parse_parameters(prm);
    linear_solver.parse_parameters(prm);
    boundary_conditions.parse_parameters(prm);
    fixation.parse_parameters(prm);
    output.parse_parameters(prm, directory_of(file));
    healing.parse_parameters(prm, directory_of(file));

    geometry.check();
    fixation.apply(boundary_conditions);
    fixation.apply_explicit(geometry, tissues, boundary_conditions);
    boundary_conditions.check();

    prm.enter_subsection("Healing");
    prm.enter_subsection("Rules");
    rule = create_rule(healing.rule, prm);
    // the rules that run on elastic mechanics, from the registry, so that
    // the message stays true as rules are added
    std::string elastic_rules;
    if (rule->needs_fluid_velocity())
      for (const auto &entry : rule_registry())
        if (!create_rule(entry.first, prm)->needs_fluid_velocity())
          elastic_rules += (elastic_rules.empty() ? "" : ", ") + entry.first;
    prm.leave_subsection();
    prm.leave_subsection();
    if (healing.n_days > 0 && rule->needs_fluid_velocity())
      throw InputError(
          "Healing",
          "Rule",
          "rule '" + healing.rule +
              "' needs the fluid velocity of a poroelastic solve, which "
              "Ossify does not have yet, and dropping the fluid term "
              "would silently change the rule; choose one of the "
              "rules that run on elastic mechanics (" +
              elastic_rules + ")");
  }
} // namespace Ossify
