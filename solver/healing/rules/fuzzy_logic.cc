// The fuzzy-logic model of Ament & Hofer 2000, Shefelbine et al. 2005 and
// Simon et al. 2011 (CMBBE 14:79-93), mechanobiology.md 3.5. Inputs: the
// distortional (octahedral shear) and dilatational (volumetric) strain in %,
// the point's own bone, cartilage and perfusion, and the largest bone and
// perfusion among the neighbouring cells. Eight rules of the reference and
// a ninth of ours, each firing to a degree in [0, 1] (AND = min, OR = max over
// trapezoidal memberships):
//   1-2  angiogenesis: a perfused neighbour (high / medium) and zero or low
//        strain raise the perfusion
//   3    intramembranous ossification: high perfusion, a bony neighbour, low
//        cartilage, low (not ~0) distortion, zero/+-low dilatation
//   4    chondrogenesis: compressive low/medium dilatation, no destructive
//        distortion, and (by default) perfusion not high: cartilage forms
//        where the blood supply is poor (Carter et al. 1998's vascular
//        axis; the reference gives rule 4 without it, see "Chondrogenesis
//        needs poor perfusion")
//   5    endochondral ossification: own cartilage next to bone, perfused,
//        zero/low strain
//   6    cartilage resorption in bone: high bone, zero/low strain: the
//        remaining cartilage ossifies
//   7-8  destructive distortion or dilatation lower bone, cartilage and
//        perfusion
// and one process the reference does not have (mechanobiology.md 3.7):
//   9    primary (direct) healing: stable tissue in the fracture gap
//        (largest principal strain within the strain tolerance of lamellar
//        bone, Perren's ~2 %) next to perfused bone and with little
//        cartilage (low: under 20-40 %) turns into bone at a biological
//        rate (its own, not the differentiation rate), whatever the strain
//        stimulus: contact and gap healing under absolute stability need
//        stability, not strain. Outside the gap, bone forms only through
//        the callus processes (3, 5, 6), which need a stimulus.
// Perren's strain theory also gates rule 4: cartilage forms only where the
// tissue is not stable, so that a callus under interfragmentary strains
// below ~2 % ossifies without a cartilage phase (AO, mechanobiology.md 2).
// Each process 1-8 changes the tissue by (Differentiation rate) x (degree)
// per day; processes that spread from cell to cell (1-3, 5) are scaled by
// the size factor so that fronts move at a mesh-independent speed. Rule 9
// changes it by degree x min(Primary healing rate, Primary healing front
// speed / cell size): in cells smaller than speed / rate the rate limits,
// so a wide stable gap of many small cells fills faster on finer meshes
// (docs/healing.md).
#include "base/input_error.h"
#include "healing/mechano_regulation.h"

#include <deal.II/base/utilities.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace Ossify
{
  namespace
  {
    constexpr double infinity = std::numeric_limits<double>::infinity();

    /// Trapezoidal membership: 0 outside (a, d), 1 on [b, c], linear
    /// between; a == b or c == d give shoulders.
    struct Trapezoid
    {
      double a, b, c, d;

      double
      operator()(const double x) const
      {
        if (x >= b && x <= c)
          return 1.;
        if (x <= a || x >= d)
          return 0.;
        return x < b ? (x - a) / (b - a) : (d - x) / (d - c);
      }
    };

    double
    any(std::initializer_list<double> values)
    {
      return std::max(values);
    }
    double
    all(std::initializer_list<double> values)
    {
      return std::min(values);
    }

    std::vector<double>
    parse_limits(dealii::ParameterHandler &prm,
                 const std::string        &name,
                 const unsigned int        n)
    {
      std::vector<double> values;
      try
      {
        values = dealii::Utilities::string_to_double(
            dealii::Utilities::split_string_list(prm.get(name), ','));
      }
      catch (...)
      {
        throw InputError("Healing/Rules/fuzzy-logic",
                         name,
                         "'" + prm.get(name) +
                             "' is not a comma-separated list of numbers");
      }
      if (values.size() != n)
        throw InputError("Healing/Rules/fuzzy-logic",
                         name,
                         "needs " + std::to_string(n) + " values, got " +
                             std::to_string(values.size()));
      for (unsigned int i = 0; i < n; ++i)
        if (values[i] < 0 || (i > 0 && values[i] <= values[i - 1]))
          throw InputError("Healing/Rules/fuzzy-logic",
                           name,
                           "the values must be positive and increasing");
      return values;
    }
  } // namespace

  /// Degrees to which the nine rules fire at one point.
  struct FuzzyRuleDegrees
  {
    double angiogenesis;    ///< rules 1 and 2 combined [0, 1.5]
    double intramembranous; ///< rule 3
    double chondrogenesis;  ///< rule 4
    double endochondral;    ///< rule 5
    double resorption;      ///< rule 6
    double destruction;     ///< rules 7 and 8
    double primary;         ///< rule 9, primary (direct) healing
  };

  class FuzzyLogicRule : public MechanoRegulationRule
  {
  public:
    static void
    declare_parameters(dealii::ParameterHandler &prm)
    {
      using dealii::Patterns::Anything;
      using dealii::Patterns::Double;
      prm.declare_entry(
          "Distortional strain limits",
          "0.01, 0.05, 5, 9, 14, 18",
          Anything(),
          "Six increasing corners of the memberships of the octahedral shear "
          "strain [%]: ~0 is [0, 0, s1, s2], low [s1, s2, s3, s4], medium "
          "[s3, s4, s5, s6], destructive from [s5, s6]. Simon et al. 2011.");
      prm.declare_entry(
          "Dilatational strain limits",
          "0.01, 0.03, 0.8, 0.9, 4, 6",
          Anything(),
          "Six increasing corners of the memberships of the volumetric strain "
          "magnitude [%], mirrored for compression (negative): ~0 is "
          "[-v2, -v1, v1, v2], +-low [v1, v2, v3, v4], +-medium [v3, v4, v5, "
          "v6], +-destructive from [v5, v6]. After Simon et al. 2011 "
          "(mechanobiology.md 3.5: ~0 within +-0.03, low 0.01-0.9, medium "
          "0.8-6, destructive beyond 4-6).");
      prm.declare_entry(
          "Fraction limits",
          "20, 40, 60, 80",
          Anything(),
          "Four increasing corners of the memberships of bone, cartilage and "
          "perfusion [%]: low [0, 0, f1, f2], medium [f1, f2, f3, f4], high "
          "[f3, f4, 100, 100]. Simon et al. 2011.");
      prm.declare_entry("Weak angiogenesis weight",
                        "0.5",
                        Double(0, 1),
                        "Strength of rule 2 (a neighbour only medium "
                        "perfused) relative to rule 1 [-]; a judgement, the "
                        "source gives the rule without a weight.");
      prm.declare_entry(
          "Chondrogenesis needs poor perfusion",
          "true",
          dealii::Patterns::Bool(),
          "Rule 4 (chondrogenesis) fires only to the degree that the "
          "perfusion is not high, after the blood-supply axis of Carter et "
          "al. 1998 (good supply: bone, poor: cartilage). Without it, the "
          "compressed gap of a compression plate turns to cartilage first "
          "and its bone counts as endochondral. mechanobiology.md 3.5 gives "
          "the rule without a perfusion term: false restores that.");
      prm.declare_entry(
          "Stability strain limits",
          "1, 2",
          Anything(),
          "Two increasing corners [%] of the membership 'stable' of the "
          "largest principal strain magnitude: fully stable below the "
          "first, not at all above the second. Perren's strain theory "
          "(mechanobiology.md 2): lamellar bone tolerates ~2 % strain, and "
          "absolute stability (IFS < 2 %) heals without a cartilage callus. "
          "Stable tissue forms no cartilage (rule 4 fires to the degree "
          "1 - stable); in the fracture gap it heals by primary healing "
          "(rule 9) instead of the callus's ossification (rule 3).");
      prm.declare_entry(
          "Primary healing rate",
          "0.015",
          Double(0, 1),
          "Rule 9: share of the way to woven bone that stable, perfused "
          "tissue in the fracture gap next to bone covers per day [1/day]. "
          "Calibrated: the compression-plated 0.1 mm tibial gap of "
          "cases/rigid_plate.prm bridges in the middle of the AO's ~16-20 "
          "weeks (docs/calibration.md).");
      prm.declare_entry(
          "Primary healing front speed",
          "0.01",
          Double(0, 10),
          "Rule 9: fastest advance of primary bone formation from bone into "
          "a stable fracture gap [mm/day]; in cells larger than speed / rate "
          "the "
          "rate falls to speed / cell size, so that a wide rigidly fixed "
          "gap fills slowly on any mesh. Gap healing fills stable gaps of "
          "up to ~0.5-1 mm 'within a few weeks' (Perren, AO; "
          "mechanobiology.md 3.7): ~0.01 mm/day per side (check); "
          "osteonal cutting cones of contact healing advance 0.05-0.1 "
          "mm/day (Schenk & Willenegger).");
      prm.declare_entry("Reference element size",
                        "1",
                        Double(1e-3, 100),
                        "Element edge length at which processes that spread "
                        "from cell to cell run at the full rate [mm]; smaller "
                        "cells spread faster per cell, so that the front "
                        "speed does not depend on the mesh (Simon's mesh-size "
                        "factor).");
    }

    explicit FuzzyLogicRule(dealii::ParameterHandler &prm)
        : weak_angiogenesis(prm.get_double("Weak angiogenesis weight"))
        , reference_size(prm.get_double("Reference element size"))
        , poorly_perfused_cartilage(
              prm.get_bool("Chondrogenesis needs poor perfusion"))
        , primary_rate(prm.get_double("Primary healing rate"))
        , primary_speed(prm.get_double("Primary healing front speed"))
    {
      const auto t     = parse_limits(prm, "Stability strain limits", 2);
      stable           = {-infinity, 0, t[0], t[1]};
      const auto s     = parse_limits(prm, "Distortional strain limits", 6);
      dist_zero        = {-infinity, 0, s[0], s[1]};
      dist_low         = {s[0], s[1], s[2], s[3]};
      dist_medium      = {s[2], s[3], s[4], s[5]};
      dist_destructive = {s[4], s[5], infinity, infinity};
      const auto v     = parse_limits(prm, "Dilatational strain limits", 6);
      dil_zero         = {-v[1], -v[0], v[0], v[1]};
      dil_low          = {v[0], v[1], v[2], v[3]};
      dil_medium       = {v[2], v[3], v[4], v[5]};
      dil_destructive  = {v[4], v[5], infinity, infinity};
      const auto f     = parse_limits(prm, "Fraction limits", 4);
      if (f[3] > 100)
        throw InputError("Healing/Rules/fuzzy-logic",
                         "Fraction limits",
                         "must lie within [0, 100] %");
      fraction_low    = {-infinity, 0, f[0], f[1]};
      fraction_medium = {f[0], f[1], f[2], f[3]};
      fraction_high   = {f[2], f[3], infinity, infinity};
    }

    bool
    needs_neighbours() const override
    {
      return true;
    }

    FuzzyRuleDegrees
    degrees(const RuleInput &input) const
    {
      const double dist        = 100. * input.measures.octahedral_shear_strain;
      const double dil         = 100. * input.measures.volumetric_strain;
      const double mag         = std::abs(dil);
      const double compressive = dil < 0 ? 1. : 0.;
      const double stability =
          stable(100. * std::abs(input.measures.max_abs_principal_strain()));

      const double bone      = 100. * input.state.bone_fraction();
      const double cartilage = 100. * input.state.fraction(Tissue::cartilage);
      const double perfusion = 100. * input.state.perfusion;
      const double nb_bone   = 100. * input.neighbour_max_bone;
      const double nb_perf   = 100. * input.neighbour_max_perfusion;

      // zero or low distortion and zero or +-low dilatation
      const double low_strain = all({any({dist_zero(dist), dist_low(dist)}),
                                     any({dil_zero(dil), dil_low(mag)})});
      const double bony_neighbour =
          any({fraction_medium(nb_bone), fraction_high(nb_bone)});

      FuzzyRuleDegrees r;
      r.angiogenesis = any(
          {all({low_strain, fraction_high(nb_perf)}),
           weak_angiogenesis * all({low_strain, fraction_medium(nb_perf)})});
      // low, not ~0, distortion: unloaded tissue does not ossify (the
      // reference asks for "low distortional and +-low dilatational
      // strain"; ~0 dilatation is accepted as well, since a point in pure
      // shear should not be barred)
      // In the fracture gap, stable tissue heals the primary way (rule 9)
      // and not through the callus's stimulus-driven ossification: absolute
      // stability gives osteonal gap healing, not a callus (Perren, AO).
      const double callus_site = input.in_fracture_gap ? 1. - stability : 1.;
      r.intramembranous        = all({callus_site,
                                      fraction_high(perfusion),
                                      bony_neighbour,
                                      fraction_low(cartilage),
                                      dist_low(dist),
                                      any({dil_zero(dil), dil_low(mag)})});
      // Perren: where bone can stand the strain, no cartilage is needed
      r.chondrogenesis =
          all({1. - stability,
               1. - dist_destructive(dist),
               compressive * any({dil_low(mag), dil_medium(mag)}),
               poorly_perfused_cartilage ? 1. - fraction_high(perfusion) : 1.});
      r.endochondral =
          all({bony_neighbour,
               any({fraction_medium(cartilage), fraction_high(cartilage)}),
               any({fraction_medium(perfusion), fraction_high(perfusion)}),
               low_strain});
      r.resorption  = all({fraction_high(bone), low_strain});
      r.destruction = any({dist_destructive(dist), dil_destructive(mag)});
      // primary healing: stability, blood supply and bone on one side, no
      // strain stimulus needed; tissue with much cartilage is left to
      // rules 5 and 6 (a little cartilage it replaces counts as
      // endochondral, as move_towards() tallies it). The
      // osteons bring their own capillaries from the fragment, so the blood
      // supply is a perfused neighbour, not the tissue's own perfusion
      // (which Simon's angiogenesis withholds under the compressive strain
      // of a compressed gap).
      r.primary = all({input.in_fracture_gap ? 1. : 0.,
                       stability,
                       bony_neighbour,
                       any({fraction_medium(nb_perf), fraction_high(nb_perf)}),
                       fraction_low(cartilage)});
      return r;
    }

    Differentiation
    evaluate(const RuleInput &input) const override
    {
      const FuzzyRuleDegrees r = degrees(input);
      const std::array<std::pair<double, Differentiation>, 4> processes = {
          {{r.destruction, Differentiation::fibrous},
           {std::max(r.intramembranous, r.primary),
            Differentiation::woven_bone},
           {std::max(r.endochondral, r.resorption),
            Differentiation::endochondral},
           {r.chondrogenesis, Differentiation::cartilage}}};
      const auto strongest = std::max_element(processes.begin(),
                                              processes.end(),
                                              [](const auto &a, const auto &b)
                                              { return a.first < b.first; });
      return strongest->first > 0 ? strongest->second : Differentiation::none;
    }

    double
    stimulus(const RuleInput &input) const override
    {
      return input.measures.octahedral_shear_strain;
    }

    bool
    update_tissue(const RuleInput &input,
                  const double     rate,
                  TissueState     &state) const override
    {
      const FuzzyRuleDegrees r = degrees(input);
      // processes spreading from cell to cell: the front crosses a cell in
      // a time proportional to its size
      const double spread = rate * reference_size / input.cell_size;
      state.perfusion = std::clamp(state.perfusion + spread * r.angiogenesis -
                                       rate * r.destruction,
                                   0.,
                                   1.);
      // destruction first: the tissue that strain tears down cannot also
      // be built up the same day
      if (r.destruction > 0)
        state.move_towards(Tissue::fibrous, rate * r.destruction);
      state.ossify_cartilage(
          std::max(spread * r.endochondral, rate * r.resorption));
      state.form_cartilage(rate * r.chondrogenesis);
      if (r.intramembranous > 0)
        state.move_towards(Tissue::woven_bone, spread * r.intramembranous);
      // primary healing runs at its own biological pace, not the stem-cell
      // driven differentiation rate: its cells come from the fragments
      if (r.primary > 0)
      {
        const double amount =
            r.primary * std::min(primary_rate, primary_speed / input.cell_size);
        state.move_towards(Tissue::woven_bone, amount);
        // the new osteons are perfused: the front carries its vessels on
        state.perfusion = std::min(1., state.perfusion + amount);
      }
      return true;
    }

  private:
    double    weak_angiogenesis, reference_size;
    bool      poorly_perfused_cartilage;
    double    primary_rate, primary_speed;
    Trapezoid stable;
    Trapezoid dist_zero, dist_low, dist_medium, dist_destructive;
    Trapezoid dil_zero, dil_low, dil_medium, dil_destructive;
    Trapezoid fraction_low, fraction_medium, fraction_high;
  };

  OSSIFY_REGISTER_RULE(FuzzyLogicRule,
                       "fuzzy-logic",
                       "Simon et al. 2011: fuzzy rules on distortional and "
                       "dilatational strain, perfusion and neighbours")
} // namespace Ossify
