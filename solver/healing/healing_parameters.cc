#include "healing/healing_parameters.h"

#include "base/input_error.h"
#include "base/parameter_utilities.h"
#include "healing/mechano_regulation.h"

#include <deal.II/base/utilities.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

namespace Ossify
{
  using dealii::ParameterHandler;
  using namespace dealii::Patterns;

  double
  LoadSchedule::factor(const double day) const
  {
    if (points.empty())
      return 1.;
    if (day <= points.front().first)
      return points.front().second;
    for (unsigned int i = 1; i < points.size(); ++i)
      if (day <= points[i].first)
      {
        const auto [d0, f0] = points[i - 1];
        const auto [d1, f1] = points[i];
        return f0 + (f1 - f0) * (day - d0) / (d1 - d0);
      }
    return points.back().second;
  }

  namespace
  {
    void
    check_schedule(const LoadSchedule &schedule, const std::string &where)
    {
      if (schedule.points.empty())
        throw InputError("Healing", where, "no 'day factor' point given");
      for (unsigned int i = 0; i < schedule.points.size(); ++i)
      {
        if (!(schedule.points[i].first >= 0) ||
            !std::isfinite(schedule.points[i].first))
          throw InputError(
              "Healing",
              where,
              "day " + dealii::Utilities::to_string(schedule.points[i].first) +
                  ": days count from the fracture (day 0) and "
                  "must not be negative");
        if (!(schedule.points[i].second >= 0))
          throw InputError(
              "Healing", where, "load factors must not be negative");
        // a factor multiplies the boundary conditions' loads, which are
        // bounded; an unbounded factor would let any load through
        if (!(schedule.points[i].second <= 100))
          throw InputError(
              "Healing",
              where,
              "load factor " +
                  dealii::Utilities::to_string(schedule.points[i].second) +
                  " on day " +
                  dealii::Utilities::to_string(schedule.points[i].first) +
                  ": at most 100 is allowed");
        if (i > 0 && !(schedule.points[i].first > schedule.points[i - 1].first))
          throw InputError("Healing", where, "days must increase strictly");
      }
    }

    double
    schedule_number(const std::string &text,
                    const std::string &where,
                    const std::string &entry)
    {
      try
      {
        return dealii::Utilities::string_to_double(
            dealii::Utilities::trim(text));
      }
      catch (...)
      {
        throw InputError("Healing",
                         where,
                         "'" + entry +
                             "' is not a pair of numbers 'day factor'");
      }
    }
  } // namespace

  LoadSchedule
  LoadSchedule::parse(const std::string &text)
  {
    LoadSchedule schedule;
    for (const auto &[day, factor] :
         split_map(text, ",", "Healing", "Load schedule"))
      schedule.points.emplace_back(
          schedule_number(day, "Load schedule", day + ": " + factor),
          schedule_number(factor, "Load schedule", day + ": " + factor));
    // empty: a constant factor of 1
    if (!schedule.points.empty())
      check_schedule(schedule, "Load schedule");
    return schedule;
  }

  LoadSchedule
  LoadSchedule::read(const std::string &file_name)
  {
    std::ifstream in(file_name);
    if (!in)
      throw InputError("Healing",
                       "Load schedule file",
                       "cannot open '" + file_name +
                           "' (paths are relative to the parameter file given "
                           "to ossify)");
    LoadSchedule      schedule;
    std::string       line;
    unsigned int      line_number = 0;
    const std::string where       = "Load schedule file";
    while (std::getline(in, line))
    {
      ++line_number;
      line = line.substr(0, line.find('#'));
      std::replace(line.begin(), line.end(), ',', ' ');
      std::istringstream       words(line);
      std::vector<std::string> fields;
      for (std::string word; words >> word;)
        fields.push_back(word);
      if (fields.empty())
        continue;
      const std::string entry = file_name + ":" + std::to_string(line_number) +
                                ": '" + dealii::Utilities::trim(line) + "'";
      if (fields.size() != 2)
        throw InputError(
            "Healing", where, entry + " is not a pair of numbers 'day factor'");
      schedule.points.emplace_back(schedule_number(fields[0], where, entry),
                                   schedule_number(fields[1], where, entry));
    }
    check_schedule(schedule, where + " '" + file_name + "'");
    return schedule;
  }

  void
  HealingParameters::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Healing");
    prm.declare_entry("Number of days",
                      "0",
                      Integer(0, 1000),
                      "Days of healing to simulate [day]; one iteration is "
                      "one day (Lacroix & Prendergast 2002). 0 runs a single "
                      "mechanics solve of the initial state.");
    prm.declare_entry("Output interval",
                      "7",
                      Integer(1, 1000),
                      "Write the fields every this many days [day] (and on "
                      "the last day).");
    prm.declare_entry("Checkpoint interval",
                      "10",
                      Integer(0, 1000),
                      "Save the state every this many days [day] (and at the "
                      "end) into <output directory>/checkpoint, so that "
                      "`ossify run --restart` can continue a stopped run or "
                      "extend a finished one by more days, on any number of "
                      "ranks; 0 disables it.");
    prm.declare_entry("Rule",
                      "claes-heigele",
                      Selection(rule_selection()),
                      "Mechano-regulation rule: " + rule_selection() +
                          ". Each has a subsection of its own below.");
    prm.declare_entry("Mixture law",
                      "linear",
                      Selection("linear|cubic"),
                      "How tissue fractions give Young's modulus: 'linear' "
                      "rule of mixtures (Lacroix & Prendergast 2002) or "
                      "'cubic' E = sum f^3 E_i (Simon et al. 2011). Poisson's "
                      "ratio mixes linearly.");
    prm.declare_entry("Smoothing days",
                      "10",
                      Integer(1, max_smoothing_days),
                      "Young's modulus is averaged over this many previous "
                      "days to model gradual tissue change [day] (Lacroix & "
                      "Prendergast 2002: 10).");
    prm.declare_entry("Differentiation rate",
                      "0.1",
                      Double(0, 1),
                      "Share of the way to the tissue the rule asks for that "
                      "a point covers per day at full stem-cell "
                      "concentration [1/day]. 0.1 matches the 10-day "
                      "averaging of Lacroix & Prendergast 2002.");
    prm.declare_entry("Maturation rate",
                      "0.01",
                      Double(0, 1),
                      "Share of woven bone that matures into lamellar bone "
                      "per day [1/day] (modelling choice: a half-life of "
                      "about 10 weeks).");
    prm.declare_entry("Evolving regions",
                      "gap, periosteal_callus, endosteal_callus",
                      MultipleSelection(region_selection()),
                      "Regions whose tissue differentiates; all others keep "
                      "their initial tissue.");
    prm.declare_entry("Load schedule",
                      "0: 1",
                      Anything(),
                      "Factor on every prescribed force and displacement "
                      "over time, piecewise linear between 'day: factor' "
                      "points and constant beyond them [day: -], e.g. "
                      "'0: 0.2, 42: 0.2, 70: 1' for partial weight bearing "
                      "for six weeks, then progressive to full. Days are "
                      ">= 0 and increase; factors lie in [0, 100]; empty: a "
                      "constant factor of 1.");
    prm.declare_entry(
        "Load schedule file",
        "",
        Anything(),
        "File with the load schedule instead of 'Load schedule', relative "
        "to the parameter file given to ossify: one 'day factor' pair per "
        "line ([day] [-], whitespace or comma separated, '#' starts a "
        "comment), piecewise linear in between and constant beyond. Presets: "
        "cases/presets/load_schedules/ (full weight bearing; partial weight "
        "bearing for six weeks, then progressive).");
    prm.declare_entry("Preconditioner reuse days",
                      "7",
                      Integer(1, 1000),
                      "Rebuild the AMG hierarchy of the mechanics at least "
                      "every this many days [day]; in between it is reused "
                      "with a warm start unless the iteration count has grown "
                      "by more than 10 % (plus 2 iterations) since the last "
                      "rebuild. 1 rebuilds daily.");
    StemCellParameters::declare_parameters(prm);
    prm.enter_subsection("Outcomes");
    prm.declare_entry("Bridging modulus",
                      "1000",
                      Double(0, 1e6),
                      "Young's modulus from which a callus cell counts as "
                      "bone-stiff for bony bridging [MPa] (mechanobiology.md "
                      "4: ~1 GPa).");
    prm.declare_entry("Union IFM fraction",
                      "0.1",
                      Double(0, 1),
                      "Union by movement: the interfragmentary movement "
                      "under the reference load has fallen below this "
                      "fraction of its day-0 value [-].");
    prm.declare_entry("Union stiffness fraction",
                      "0.5",
                      Double(0, 10),
                      "Union by stiffness: the axial construct stiffness "
                      "has reached this fraction of the intact bone's in "
                      "the same fixation [-] (modelling choice).");
    VirtualTestParameters::declare_parameters(prm);
    prm.leave_subsection();
    prm.enter_subsection("Rules");
    declare_rule_parameters(prm);
    prm.leave_subsection();
    prm.leave_subsection();
  }

  void
  HealingParameters::parse_parameters(ParameterHandler  &prm,
                                      const std::string &prm_directory)
  {
    prm.enter_subsection("Healing");
    n_days              = prm.get_integer("Number of days");
    output_interval     = prm.get_integer("Output interval");
    checkpoint_interval = prm.get_integer("Checkpoint interval");
    rule                = prm.get("Rule");
    mixture.type   = prm.get("Mixture law") == "cubic" ? MixtureLaw::Type::cubic
                                                       : MixtureLaw::Type::linear;
    smoothing_days = prm.get_integer("Smoothing days");
    differentiation_rate      = prm.get_double("Differentiation rate");
    maturation_rate           = prm.get_double("Maturation rate");
    preconditioner_reuse_days = prm.get_integer("Preconditioner reuse days");
    evolving_regions.clear();
    for (const auto &name :
         dealii::Utilities::split_string_list(prm.get("Evolving regions"), ','))
      evolving_regions.insert(
          region_from_name(name, "Healing/Evolving regions"));

    const std::string schedule_file =
        dealii::Utilities::trim(prm.get("Load schedule file"));
    const std::string schedule_text = prm.get("Load schedule");
    if (schedule_file.empty())
      load_schedule = LoadSchedule::parse(schedule_text);
    else
    {
      const LoadSchedule inline_schedule = LoadSchedule::parse(schedule_text);
      const bool         is_default =
          inline_schedule.points.size() == 1 &&
          inline_schedule.points[0] == std::make_pair(0., 1.);
      if (!is_default)
        throw InputError("Healing",
                         "Load schedule file",
                         "both 'Load schedule' ('" + schedule_text +
                             "') and a schedule file are given; keep one");
      load_schedule =
          LoadSchedule::read(resolve_path(schedule_file, prm_directory));
    }

    stem_cells.parse_parameters(prm);
    prm.enter_subsection("Outcomes");
    bridging_modulus         = prm.get_double("Bridging modulus");
    union_ifm_fraction       = prm.get_double("Union IFM fraction");
    union_stiffness_fraction = prm.get_double("Union stiffness fraction");
    virtual_test.parse_parameters(prm);
    prm.leave_subsection();
    prm.leave_subsection();
  }
} // namespace Ossify
