// Mechano-regulation rules at points on both sides of every threshold, the
// pressure sign (compression positive), the registry, and the tissue state
// bookkeeping (fractions in [0,1] summing to 1, pathway tallies, smoothing,
// mixture laws, load schedules).
#include "base/input_error.h"
#include "healing/healing_parameters.h"
#include "healing/mechano_regulation.h"
#include "test_helpers.h"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>
#include <random>

using namespace Ossify;
using OssifyTest::MessageContains;

namespace
{
  /// A rule built from its default parameters plus @p settings
  /// ("set X = Y" lines inside the rule's subsection).
  std::unique_ptr<MechanoRegulationRule>
  make_rule(const std::string &name, const std::string &settings = "")
  {
    dealii::ParameterHandler prm;
    declare_rule_parameters(prm);
    prm.parse_input_from_string("subsection " + name + "\n" + settings +
                                "end\n");
    return create_rule(name, prm);
  }

  /// Stimulus with principal strains e1 >= e2 >= e3 and pressure p.
  StrainMeasures
  measures(const double e1, const double e2, const double e3, const double p)
  {
    StrainMeasures m{};
    m.principal_strains       = {{e1, e2, e3}};
    m.volumetric_strain       = e1 + e2 + e3;
    m.octahedral_shear_strain = octahedral_shear_strain(m.principal_strains);
    m.hydrostatic_pressure    = p;
    return m;
  }

  Differentiation
  evaluate(const MechanoRegulationRule &rule,
           const StrainMeasures        &m,
           const double velocity = std::numeric_limits<double>::quiet_NaN())
  {
    TissueState state;
    state.set_pure(Tissue::granulation);
    return rule.evaluate(RuleInput{m, velocity, state});
  }

  std::string
  name(const Differentiation d)
  {
    return differentiation_name(d);
  }
} // namespace

BOOST_AUTO_TEST_SUITE(rules)

BOOST_AUTO_TEST_CASE(registry_lists_every_rule)
{
  for (const std::string rule : {"claes-heigele",
                                 "carter",
                                 "isaksson-deviatoric",
                                 "prendergast",
                                 "fuzzy-logic"})
    BOOST_TEST(rule_registry().contains(rule));
  dealii::ParameterHandler prm;
  declare_rule_parameters(prm);
  BOOST_CHECK_EXCEPTION(create_rule("claes-heigle", prm),
                        InputError,
                        MessageContains{"claes-heigele"});
}

// The registry both rules and fixations use refuses a second component of
// a name (before, the rules kept the first and the fixations the last) and
// a component without a name, naming the kind and the name.
BOOST_AUTO_TEST_CASE(registry_refuses_duplicate_names)
{
  Registry<MechanoRegulationRule> registry("test component");
  const auto                      entry = rule_registry().find("carter");
  BOOST_REQUIRE(entry != nullptr);
  BOOST_TEST(registry.add("a", *entry));
  BOOST_TEST(registry.add("b", *entry));
  BOOST_CHECK_EXCEPTION(
      registry.add("a", *entry),
      std::logic_error,
      MessageContains{"two test components are registered as 'a'"});
  BOOST_CHECK_EXCEPTION(registry.add("", *entry),
                        std::logic_error,
                        MessageContains{"without a name"});
  BOOST_TEST(registry.size() == 2u);
  BOOST_TEST(registry.names() == "a|b");
  BOOST_TEST(registry.names(", ") == "a, b");
  BOOST_TEST(!registry.contains("c"));
  dealii::ParameterHandler prm;
  registry.declare_parameters(prm);
  BOOST_TEST((registry.create("b", prm) != nullptr));
  BOOST_CHECK_THROW(registry.create("c", prm), std::out_of_range);
}

BOOST_AUTO_TEST_CASE(misspelt_rule_in_a_case_lists_the_valid_ones)
{
  BOOST_CHECK_EXCEPTION(
      OssifyTest::parse_case("misspelt_rule",
                             "subsection Healing\n set Rule = clas\nend\n"),
      InputError,
      MessageContains{"isaksson-deviatoric"});
}

BOOST_AUTO_TEST_CASE(claes_heigele_thresholds)
{
  const auto rule = make_rule("claes-heigele");
  // intramembranous: |eps| < 5 % and |p| < 0.15 MPa
  BOOST_TEST(name(evaluate(*rule, measures(0.0, 0.0, -0.049, 0.14))) ==
             "woven_bone");
  BOOST_TEST(name(evaluate(*rule, measures(0.0, 0.0, -0.049, -0.14))) ==
             "woven_bone");
  // strain just above 5 % with low pressure: connective tissue
  BOOST_TEST(name(evaluate(*rule, measures(0.0, 0.0, -0.051, 0.14))) ==
             "fibrous");
  // compression above 0.15 MPa and |eps| < 15 %: endochondral
  BOOST_TEST(name(evaluate(*rule, measures(0.0, 0.0, -0.03, 0.16))) ==
             "endochondral");
  BOOST_TEST(name(evaluate(*rule, measures(0.0, 0.0, -0.149, 0.3))) ==
             "endochondral");
  // strain at or above 15 %: connective tissue whatever the pressure
  BOOST_TEST(name(evaluate(*rule, measures(0.0, 0.0, -0.151, 0.3))) ==
             "fibrous");
  // the measure of largest magnitude is used: a tensile 20 % wins over -3 %
  BOOST_TEST(name(evaluate(*rule, measures(0.2, 0.0, -0.03, 0.3))) ==
             "fibrous");
}

BOOST_AUTO_TEST_CASE(claes_heigele_pressure_sign)
{
  // The same stress magnitude: compressive pressure leads to cartilage,
  // tensile (p < -0.15 MPa) to connective tissue. Built through the elastic
  // law so that the sign convention p = -tr(sigma)/3 is exercised.
  const auto       rule = make_rule("claes-heigele");
  const auto       law  = IsotropicElasticity::from_youngs_modulus(3., 0.3);
  SymmetricTensor3 eps;
  eps[0][0] = eps[1][1] = eps[2][2] = -0.03; // compressed volume, 3 %
  const auto compressed = compute_strain_measures(eps, law.stress(eps));
  BOOST_TEST(compressed.hydrostatic_pressure > 0.15);
  BOOST_TEST(name(evaluate(*rule, compressed)) == "endochondral");
  const auto stretched = compute_strain_measures(-eps, law.stress(-eps));
  BOOST_TEST(stretched.hydrostatic_pressure < -0.15);
  BOOST_TEST(name(evaluate(*rule, stretched)) == "fibrous");
}

BOOST_AUTO_TEST_CASE(claes_heigele_lazy_zone_and_checks)
{
  const auto rule = make_rule("claes-heigele",
                              "set No stimulus strain = 0.0004\n"
                              "set No stimulus pressure = 0.0016\n");
  BOOST_TEST(name(evaluate(*rule, measures(0, 0, -0.0003, 0.001))) == "none");
  BOOST_TEST(name(evaluate(*rule, measures(0, 0, -0.0005, 0.001))) ==
             "woven_bone");
  BOOST_TEST(name(evaluate(*rule, measures(0, 0, -0.0003, 0.002))) ==
             "woven_bone");
  BOOST_CHECK_EXCEPTION(
      make_rule("claes-heigele", "set Intramembranous strain = 0.2\n"),
      InputError,
      MessageContains{"Intramembranous strain"});
}

BOOST_AUTO_TEST_CASE(carter_thresholds_and_pressure_sign)
{
  const auto rule = make_rule("carter");
  BOOST_TEST(name(evaluate(*rule, measures(0.01, 0, -0.01, 0.21))) ==
             "cartilage");
  BOOST_TEST(name(evaluate(*rule, measures(0.051, 0, -0.01, 0.19))) ==
             "fibrous");
  BOOST_TEST(name(evaluate(*rule, measures(0.049, 0, -0.01, 0.19))) ==
             "woven_bone");
  // a tensile hydrostatic stress is not the pressure line
  BOOST_TEST(name(evaluate(*rule, measures(0.01, 0, -0.01, -0.5))) ==
             "woven_bone");
  // both lines crossed: the pressure line decides (cartilage)
  BOOST_TEST(name(evaluate(*rule, measures(0.06, 0, -0.01, 0.3))) ==
             "cartilage");
}

BOOST_AUTO_TEST_CASE(isaksson_deviatoric_thresholds)
{
  const auto rule = make_rule("isaksson-deviatoric");
  // gamma = (2/3) sqrt(2) e for principal strains (e, 0, 0)
  const auto with_gamma = [](const double gamma)
  { return measures(gamma / (2. / 3. * std::sqrt(2.)), 0, 0, 0); };
  BOOST_TEST(name(evaluate(*rule, with_gamma(0.0374))) == "woven_bone");
  BOOST_TEST(name(evaluate(*rule, with_gamma(0.0376))) == "cartilage");
  BOOST_TEST(name(evaluate(*rule, with_gamma(0.1124))) == "cartilage");
  BOOST_TEST(name(evaluate(*rule, with_gamma(0.1126))) == "fibrous");
}

BOOST_AUTO_TEST_CASE(prendergast_thresholds_and_refusal)
{
  const auto rule = make_rule("prendergast");
  BOOST_TEST(rule->needs_fluid_velocity());
  // no strain: S = v / 3 um/s
  const auto m = measures(0, 0, 0, 0);
  BOOST_TEST(name(evaluate(*rule, m, 3 * 0.009)) == "resorption");
  BOOST_TEST(name(evaluate(*rule, m, 3 * 0.011)) == "lamellar_bone");
  BOOST_TEST(name(evaluate(*rule, m, 3 * 0.26)) == "lamellar_bone");
  BOOST_TEST(name(evaluate(*rule, m, 3 * 0.27)) == "woven_bone");
  BOOST_TEST(name(evaluate(*rule, m, 3 * 0.99)) == "woven_bone");
  BOOST_TEST(name(evaluate(*rule, m, 3 * 1.01)) == "cartilage");
  BOOST_TEST(name(evaluate(*rule, m, 3 * 2.99)) == "cartilage");
  BOOST_TEST(name(evaluate(*rule, m, 3 * 3.01)) == "fibrous");
  // the strain term: gamma / 0.0375
  const double e =
      2 * 0.0375 / (2. / 3. * std::sqrt(2.)); // gamma = 2 a -> S = 2
  BOOST_TEST(name(evaluate(*rule, measures(e, 0, 0, 0), 0.)) == "cartilage");
  // without a fluid velocity the rule gives no answer rather than a wrong one
  BOOST_TEST(name(evaluate(*rule, m)) == "none");
  // and a healing case with it stops with a clear message
  BOOST_CHECK_EXCEPTION(
      OssifyTest::parse_case("prendergast_case",
                             "subsection Healing\n"
                             " set Number of days = 10\n"
                             " set Rule = prendergast\nend\n"),
      InputError,
      MessageContains{"fluid velocity"});
}

namespace
{
  /// Principal strains with octahedral shear strain @p gamma and volumetric
  /// strain @p dilatation (both as fractions, not %).
  StrainMeasures
  distortion_and_dilatation(const double gamma, const double dilatation)
  {
    // e = (v/3 + a, v/3, v/3 - a): gamma = (2/3) a sqrt(6)
    const double a = 3. * gamma / (2. * std::sqrt(6.));
    return measures(
        dilatation / 3. + a, dilatation / 3., dilatation / 3. - a, 0.);
  }

  struct FuzzyPoint
  {
    double gamma, dilatation;       // [-]
    double bone = 0, cartilage = 0; // own fractions
    double perfusion      = 0;      // own perfusion
    double neighbour_bone = 0, neighbour_perfusion = 0;
    double cell_size = 1; // [mm]
    bool   in_gap    = false;

    TissueState
    state() const
    {
      TissueState s;
      s.set_pure(Tissue::granulation);
      s.fractions[static_cast<unsigned int>(Tissue::granulation)] =
          1. - bone - cartilage;
      s.fractions[static_cast<unsigned int>(Tissue::woven_bone)] = bone;
      s.fractions[static_cast<unsigned int>(Tissue::cartilage)]  = cartilage;
      s.perfusion                                                = perfusion;
      s.evolving                                                 = true;
      return s;
    }
  };

  std::string
  fuzzy(const MechanoRegulationRule &rule, const FuzzyPoint &p)
  {
    const StrainMeasures m = distortion_and_dilatation(p.gamma, p.dilatation);
    const TissueState    s = p.state();
    RuleInput            input{m, std::numeric_limits<double>::quiet_NaN(), s};
    input.neighbour_max_bone      = p.neighbour_bone;
    input.neighbour_max_perfusion = p.neighbour_perfusion;
    input.cell_size               = p.cell_size;
    input.in_fracture_gap         = p.in_gap;
    return name(rule.evaluate(input));
  }

  /// One day of update_tissue at rate @p rate; returns the new state.
  TissueState
  fuzzy_day(const MechanoRegulationRule &rule,
            const FuzzyPoint            &p,
            const double                 rate)
  {
    const StrainMeasures m = distortion_and_dilatation(p.gamma, p.dilatation);
    TissueState          s = p.state();
    const TissueState    before = s;
    RuleInput input{m, std::numeric_limits<double>::quiet_NaN(), before};
    input.neighbour_max_bone      = p.neighbour_bone;
    input.neighbour_max_perfusion = p.neighbour_perfusion;
    input.cell_size               = p.cell_size;
    input.in_fracture_gap         = p.in_gap;
    BOOST_REQUIRE(rule.update_tissue(input, rate, s));
    return s;
  }
} // namespace

BOOST_AUTO_TEST_CASE(fuzzy_logic_memberships_on_both_sides)
{
  const auto rule = make_rule("fuzzy-logic");
  BOOST_TEST(rule->needs_neighbours());
  // chondrogenesis: compressive low dilatation, distortion up to medium,
  // beyond the strain bone tolerates (3 % distortion: principal strains
  // of about 2 %)
  BOOST_TEST(fuzzy(*rule, {0.03, -0.005}) == "cartilage");
  BOOST_TEST(fuzzy(*rule, {0.12, -0.005}) == "cartilage");
  // ... where the blood supply is poor (by default)
  FuzzyPoint perfused{0.03, -0.005};
  perfused.perfusion = 1;
  BOOST_TEST(fuzzy(*rule, perfused) == "none");
  BOOST_TEST(fuzzy(*make_rule("fuzzy-logic",
                              "set Chondrogenesis needs poor perfusion = "
                              "false\n"),
                   perfused) == "cartilage");
  // destructive distortion from 14-18 %: fibrous tissue
  BOOST_TEST(fuzzy(*rule, {0.20, -0.005}) == "fibrous");
  // destructive dilatation beyond 4-6 %, in either direction
  BOOST_TEST(fuzzy(*rule, {0.01, -0.08}) == "fibrous");
  BOOST_TEST(fuzzy(*rule, {0.01, 0.08}) == "fibrous");
  // neither perfusion nor a bony neighbour: nothing forms under tension
  BOOST_TEST(fuzzy(*rule, {0.01, 0.005}) == "none");

  // intramembranous ossification needs high perfusion, a bony neighbour,
  // little cartilage and low strain
  FuzzyPoint bony{0.01, 0.005};
  bony.perfusion = 1, bony.neighbour_bone = 1;
  BOOST_TEST(fuzzy(*rule, bony) == "woven_bone");
  FuzzyPoint poorly_perfused = bony;
  poorly_perfused.perfusion  = 0.3; // below "high" (60-80 %)
  BOOST_TEST(fuzzy(*rule, poorly_perfused) == "none");
  FuzzyPoint unloaded = bony; // ~0 distortion: no stimulus, no bone
  unloaded.gamma      = 0.00005;
  BOOST_TEST(fuzzy(*rule, unloaded) == "none");
  FuzzyPoint strained = bony;
  strained.gamma      = 0.10; // medium distortion: not low
  BOOST_TEST(fuzzy(*rule, strained) == "none");

  // endochondral ossification: own cartilage next to bone, perfused
  FuzzyPoint cartilaginous = bony;
  cartilaginous.cartilage  = 0.7;
  BOOST_TEST(fuzzy(*rule, cartilaginous) == "endochondral");
  FuzzyPoint isolated     = cartilaginous;
  isolated.neighbour_bone = 0.1;
  BOOST_TEST(fuzzy(*rule, isolated) == "none");
}

// Dilatation sign: compression (negative volumetric strain) makes
// cartilage, the same magnitude in tension does not.
BOOST_AUTO_TEST_CASE(fuzzy_logic_dilatation_sign)
{
  const auto rule = make_rule("fuzzy-logic");
  const auto compressed =
      fuzzy_day(*rule, {0.03, -0.005}, 0.1).fraction(Tissue::cartilage);
  const auto stretched =
      fuzzy_day(*rule, {0.03, +0.005}, 0.1).fraction(Tissue::cartilage);
  BOOST_TEST(compressed == 0.1, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(stretched == 0.);
}

BOOST_AUTO_TEST_CASE(fuzzy_logic_updates_perfusion_and_pathways)
{
  const auto rule = make_rule("fuzzy-logic");
  // angiogenesis next to a perfused neighbour at low strain, scaled by
  // the cell size (reference 1 mm): a cell half as long fills twice as fast
  FuzzyPoint next_to_marrow{0.001, 0.0005};
  next_to_marrow.neighbour_perfusion = 1;
  BOOST_TEST(fuzzy_day(*rule, next_to_marrow, 0.1).perfusion == 0.1,
             boost::test_tools::tolerance(1e-12));
  next_to_marrow.cell_size = 0.5;
  BOOST_TEST(fuzzy_day(*rule, next_to_marrow, 0.1).perfusion == 0.2,
             boost::test_tools::tolerance(1e-12));
  // a medium-perfused neighbour drives half as hard (rule 2)
  next_to_marrow.cell_size           = 1;
  next_to_marrow.neighbour_perfusion = 0.5;
  BOOST_TEST(fuzzy_day(*rule, next_to_marrow, 0.1).perfusion == 0.05,
             boost::test_tools::tolerance(1e-12));

  // endochondral: cartilage becomes bone tallied as endochondral
  FuzzyPoint        cartilaginous{0.01, 0.005, 0.0, 0.7, 1.0, 1.0, 1.0};
  const TissueState after = fuzzy_day(*rule, cartilaginous, 0.1);
  BOOST_TEST(after.endochondral_bone > 0.);
  BOOST_TEST(after.fraction(Tissue::cartilage) < 0.7);

  // destruction: bone and perfusion fall, fibrous tissue forms
  FuzzyPoint        torn{0.3, 0.0, 0.5, 0.0, 1.0, 1.0, 1.0};
  const TissueState broken = fuzzy_day(*rule, torn, 0.1);
  BOOST_TEST(broken.bone_fraction() < 0.5);
  BOOST_TEST(broken.perfusion < 1.);
  BOOST_TEST(broken.fraction(Tissue::fibrous) > 0.);

  // fractions stay a partition of one over many random days
  std::mt19937                           random(7);
  std::uniform_real_distribution<double> strain(-0.1, 0.3), unit(0., 1.);
  FuzzyPoint                             p{0.01, 0.0};
  TissueState                            s = p.state();
  for (unsigned int day = 0; day < 500; ++day)
  {
    const StrainMeasures m =
        distortion_and_dilatation(std::abs(strain(random)), strain(random) / 4);
    const TissueState before = s;
    RuleInput input{m, std::numeric_limits<double>::quiet_NaN(), before};
    input.neighbour_max_bone      = unit(random);
    input.neighbour_max_perfusion = unit(random);
    rule->update_tissue(input, unit(random), s);
    double sum = 0;
    for (const double f : s.fractions)
    {
      BOOST_REQUIRE(f >= 0.);
      sum += f;
    }
    BOOST_REQUIRE(std::abs(sum - 1.) < 1e-12);
    BOOST_REQUIRE(s.perfusion >= 0. && s.perfusion <= 1.);
  }
}

// Perren's strain theory: tissue strained less than bone tolerates
// (largest principal strain below 1-2 %) forms no cartilage, and in the
// fracture gap next to perfused bone it ossifies at the primary healing
// rate without any strain stimulus (rule 9).
BOOST_AUTO_TEST_CASE(fuzzy_logic_stability_and_primary_healing)
{
  const auto rule = make_rule("fuzzy-logic");
  // compressed by 0.5 %, distortion 0.5 %: principal strains below 1 %
  const double stable_cartilage =
      fuzzy_day(*rule, {0.005, -0.005}, 0.1).fraction(Tissue::cartilage);
  const double unstable_cartilage =
      fuzzy_day(*rule, {0.03, -0.005}, 0.1).fraction(Tissue::cartilage);
  BOOST_TEST(stable_cartilage == 0.);
  BOOST_TEST(unstable_cartilage == 0.1, boost::test_tools::tolerance(1e-12));

  // unloaded, unperfused gap tissue next to perfused cortex: bone at the
  // primary rate (0.015/day) even without stem cells (rate 0)
  FuzzyPoint gap{0.00001, 0.};
  gap.neighbour_bone = 1, gap.neighbour_perfusion = 1, gap.cell_size = 0.1;
  gap.in_gap = true;
  BOOST_TEST(fuzzy(*rule, gap) == "woven_bone");
  const TissueState healed = fuzzy_day(*rule, gap, 0.);
  BOOST_TEST(healed.bone_fraction() == 0.015,
             boost::test_tools::tolerance(1e-12));
  BOOST_TEST(healed.direct_bone == 0.015, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(healed.endochondral_bone == 0.);
  // the osteons bring their vessels: the front stays perfused
  BOOST_TEST(healed.perfusion == 0.015, boost::test_tools::tolerance(1e-12));
  // a 2 mm cell: limited by the front speed, 0.01 mm/day / 2 mm
  FuzzyPoint wide_gap = gap;
  wide_gap.cell_size  = 2;
  BOOST_TEST(fuzzy_day(*rule, wide_gap, 0.).bone_fraction() == 0.005,
             boost::test_tools::tolerance(1e-12));
  // under compression within the tolerance of bone (1 %): still primary
  FuzzyPoint compressed_gap = gap;
  compressed_gap.dilatation = -0.01;
  compressed_gap.gamma      = 0.002;
  BOOST_TEST(fuzzy_day(*rule, compressed_gap, 0.).bone_fraction() > 0.01);

  // none of it outside the fracture gap, beyond the tolerance of bone,
  // without a perfused bony neighbour, or in cartilage
  const auto bone_after_a_day_of = [&](auto change)
  {
    FuzzyPoint p = gap;
    change(p);
    return fuzzy_day(*rule, p, 0.).bone_fraction();
  };
  FuzzyPoint callus = gap;
  callus.in_gap     = false;
  BOOST_TEST(fuzzy(*rule, callus) == "none");
  BOOST_TEST(bone_after_a_day_of([](FuzzyPoint &p) { p.in_gap = false; }) ==
             0.);
  BOOST_TEST(bone_after_a_day_of([](FuzzyPoint &p) { p.gamma = 0.05; }) == 0.);
  BOOST_TEST(bone_after_a_day_of([](FuzzyPoint &p)
                                 { p.neighbour_perfusion = 0; }) == 0.);
  BOOST_TEST(bone_after_a_day_of([](FuzzyPoint &p) { p.neighbour_bone = 0; }) ==
             0.);
  BOOST_TEST(bone_after_a_day_of([](FuzzyPoint &p) { p.cartilage = 0.7; }) ==
             0.);

  BOOST_CHECK_EXCEPTION(
      make_rule("fuzzy-logic", "set Stability strain limits = 2, 1\n"),
      InputError,
      MessageContains{"Stability strain limits"});
}

BOOST_AUTO_TEST_CASE(fuzzy_logic_parameter_checks)
{
  BOOST_CHECK_EXCEPTION(
      make_rule("fuzzy-logic", "set Fraction limits = 20, 40, 30, 80\n"),
      InputError,
      MessageContains{"Fraction limits"});
  BOOST_CHECK_EXCEPTION(
      make_rule("fuzzy-logic", "set Distortional strain limits = 1, 2\n"),
      InputError,
      MessageContains{"needs 6 values"});
}

BOOST_AUTO_TEST_CASE(fractions_stay_a_partition_of_one)
{
  std::mt19937                           random(42);
  std::uniform_real_distribution<double> amount(0., 1.);
  std::uniform_int_distribution<int>     target(0, n_tissues - 1);
  TissueState                            state;
  state.set_pure(Tissue::granulation);
  for (unsigned int step = 0; step < 2000; ++step)
  {
    switch (step % 4)
    {
    case 0:
      state.move_towards(static_cast<Tissue>(target(random)), amount(random));
      break;
    case 1:
      state.form_cartilage(amount(random));
      break;
    case 2:
      state.ossify_cartilage(amount(random));
      break;
    default:
      state.mature_bone(amount(random));
    }
    double sum = 0;
    for (const double f : state.fractions)
    {
      BOOST_REQUIRE(f >= 0.);
      BOOST_REQUIRE(f <= 1.);
      sum += f;
    }
    BOOST_REQUIRE(std::abs(sum - 1.) < 1e-12);
  }
}

BOOST_AUTO_TEST_CASE(new_bone_is_tallied_by_pathway)
{
  TissueState cartilage;
  cartilage.set_pure(Tissue::cartilage);
  cartilage.move_towards(Tissue::woven_bone, 0.4);
  BOOST_TEST(cartilage.endochondral_bone == 0.4,
             boost::test_tools::tolerance(1e-12));
  BOOST_TEST(cartilage.direct_bone == 0.);

  TissueState granulation;
  granulation.set_pure(Tissue::granulation);
  granulation.move_towards(Tissue::woven_bone, 0.4);
  BOOST_TEST(granulation.direct_bone == 0.4,
             boost::test_tools::tolerance(1e-12));
  BOOST_TEST(granulation.endochondral_bone == 0.);

  // endochondral path: soft tissue -> cartilage -> bone
  TissueState mixed;
  mixed.set_pure(Tissue::granulation);
  mixed.form_cartilage(0.5);
  BOOST_TEST(mixed.fraction(Tissue::cartilage) == 0.5,
             boost::test_tools::tolerance(1e-12));
  mixed.ossify_cartilage(0.5);
  BOOST_TEST(mixed.endochondral_bone == 0.25,
             boost::test_tools::tolerance(1e-12));
  BOOST_TEST(mixed.fraction(Tissue::woven_bone) == 0.25,
             boost::test_tools::tolerance(1e-12));
  // bone formation keeps bone that is already there
  mixed.mature_bone(1.);
  mixed.move_towards(Tissue::woven_bone, 1.);
  BOOST_TEST(mixed.fraction(Tissue::lamellar_bone) == 0.25,
             boost::test_tools::tolerance(1e-12));
  BOOST_TEST(mixed.bone_fraction() == 1., boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(smoothing_and_mixture_laws)
{
  TissueState state;
  state.set_pure(Tissue::granulation);
  BOOST_TEST(state.smoothed_modulus(1., 3) == 1.);
  BOOST_TEST(state.smoothed_modulus(4., 3) == 2.5);
  BOOST_TEST(state.smoothed_modulus(7., 3) == 4.);
  BOOST_TEST(state.smoothed_modulus(10., 3) == 7.); // 4, 7, 10

  TissueMaterialParameters tissues;
  for (auto &t : tissues.tissues)
    t = {1., 0.3, 0., ""};
  tissues.tissues[static_cast<unsigned int>(Tissue::woven_bone)] = {
      1000., 0.3, 0., ""};
  TissueState half;
  half.set_pure(Tissue::granulation);
  half.move_towards(Tissue::woven_bone, 0.5);
  MixtureLaw linear, cubic;
  cubic.type = MixtureLaw::Type::cubic;
  BOOST_TEST(linear.youngs_modulus(half, tissues) == 500.5,
             boost::test_tools::tolerance(1e-12));
  BOOST_TEST(cubic.youngs_modulus(half, tissues) == 125.125,
             boost::test_tools::tolerance(1e-12));
  BOOST_TEST(linear.poissons_ratio(half, tissues) == 0.3,
             boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(load_schedule_is_piecewise_linear)
{
  LoadSchedule schedule{{{0., 0.2}, {42., 0.2}, {70., 1.}}};
  BOOST_TEST(schedule.factor(0) == 0.2);
  BOOST_TEST(schedule.factor(30) == 0.2);
  BOOST_TEST(schedule.factor(56) == 0.6, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(schedule.factor(100) == 1.);
  BOOST_CHECK_EXCEPTION(
      OssifyTest::parse_case("schedule",
                             "subsection Healing\n"
                             " set Load schedule = 0: 1, 0: 2\nend\n"),
      InputError,
      MessageContains{"Load schedule"});
}

BOOST_AUTO_TEST_CASE(load_schedule_file_and_its_errors)
{
  const std::string directory = OssifyTest::scratch_directory("schedule_file");
  OssifyTest::write_file(directory + "/pwb.txt",
                         "# partial weight bearing\n0 0.2\n42, 0.2 # six "
                         "weeks\n\n84 1\n");
  const auto parameters = OssifyTest::parse_case(
      "schedule_file",
      "subsection Healing\n set Load schedule file = pwb.txt\nend\n");
  const LoadSchedule &schedule = parameters.healing.load_schedule;
  BOOST_TEST(schedule.points.size() == 3u);
  BOOST_TEST(schedule.factor(21) == 0.2);
  BOOST_TEST(schedule.factor(63) == 0.6, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(schedule.factor(200) == 1.);

  // the presets shipped with the cases parse and start at day 0
  for (const std::string preset :
       {"full_weight_bearing.txt", "partial_weight_bearing_6_weeks.txt"})
  {
    const auto preset_schedule =
        LoadSchedule::read(std::string(OSSIFY_SOURCE_DIR) +
                           "/cases/presets/load_schedules/" + preset);
    BOOST_TEST(preset_schedule.points.front().first == 0.);
    BOOST_TEST(preset_schedule.points.back().second == 1.);
  }

  BOOST_CHECK_EXCEPTION(
      OssifyTest::parse_case("schedule_missing",
                             "subsection Healing\n set Load schedule file = "
                             "nowhere.txt\nend\n"),
      InputError,
      MessageContains{"nowhere.txt"});
  OssifyTest::write_file(directory + "/bad.txt", "0 1\n7 0.5 2\n");
  BOOST_CHECK_EXCEPTION(LoadSchedule::read(directory + "/bad.txt"),
                        InputError,
                        MessageContains{"bad.txt:2"});
  OssifyTest::write_file(directory + "/down.txt", "0 1\n7 -0.5\n");
  BOOST_CHECK_EXCEPTION(LoadSchedule::read(directory + "/down.txt"),
                        InputError,
                        MessageContains{"negative"});
  BOOST_CHECK_EXCEPTION(
      OssifyTest::parse_case("schedule_both",
                             "subsection Healing\n set Load schedule = 0: "
                             "0.5\n set Load schedule file = pwb.txt\nend\n"),
      InputError,
      MessageContains{"keep one"});
}

BOOST_AUTO_TEST_SUITE_END()
