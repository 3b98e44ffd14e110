// Parameter parsing: defaults, includes, bounds and every input error path.
// Each error must name the parameter (or file) so the user can fix it.
#include "base/input_error.h"
#include "io/in_situ.h"
#include "test_helpers.h"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <string>

using namespace Ossify;
using OssifyTest::MessageContains;
using OssifyTest::parse_case;

namespace
{
  void
  check_rejected(const std::string &test,
                 const std::string &text,
                 const std::string &expected_in_message)
  {
    BOOST_CHECK_EXCEPTION(parse_case(test, text),
                          InputError,
                          MessageContains{expected_in_message});
  }
} // namespace

BOOST_AUTO_TEST_SUITE(parameters)

BOOST_AUTO_TEST_CASE(an_empty_file_is_refused)
{
  BOOST_CHECK_EXCEPTION(parse_case("empty", "\n# only a comment\n\n"),
                        Ossify::InputError,
                        MessageContains{"is empty"});
}

BOOST_AUTO_TEST_CASE(defaults_are_the_human_tibia)
{
  // an empty file is refused (it is almost surely the wrong file): a file
  // that sets only the default case name gives every default
  const auto p = parse_case("defaults", "set Case name = default\n");
  BOOST_TEST(p.case_name == "default");
  BOOST_TEST(p.output_directory == "output/default");
  BOOST_TEST(p.geometry.source == "parametric");
  BOOST_TEST(p.geometry.bone.outer_radius == 13.);
  BOOST_TEST(p.geometry.bone.inner_radius == 7.5);
  BOOST_TEST(p.geometry.bone.gap_width == 3.);
  BOOST_TEST(p.geometry.bone.periosteal_callus_thickness == 4.);
  BOOST_TEST(p.tissues[Tissue::granulation].youngs_modulus == 0.2);
  BOOST_TEST(p.tissues[Tissue::cortical_bone].youngs_modulus == 20000.);
  BOOST_CHECK(p.regions.tissue_of(static_cast<unsigned char>(Region::gap)) ==
              Tissue::granulation);
  BOOST_TEST(p.boundary_conditions.fixed.count(Boundary::distal) == 1u);
  BOOST_TEST(p.boundary_conditions.force.at(Boundary::proximal)[2] == -500.);
}

BOOST_AUTO_TEST_CASE(values_and_maps_are_parsed)
{
  const auto p = parse_case("values",
                            "set Case name = sheep\n"
                            "subsection Geometry\n"
                            "  subsection Parametric bone\n"
                            "    set Outer radius = 9\n"
                            "    set Inner radius = 6\n"
                            "  end\n"
                            "end\n"
                            "subsection Boundary conditions\n"
                            "  set Fixed = distal: xyz, proximal: xy\n"
                            "  set Total force =\n"
                            "  set Prescribed displacement =\n"
                            "end\n");
  BOOST_TEST(p.output_directory == "output/sheep");
  BOOST_TEST(p.geometry.bone.outer_radius == 9.);
  const auto proximal = p.boundary_conditions.fixed.at(Boundary::proximal);
  BOOST_TEST(proximal[0]);
  BOOST_TEST(proximal[1]);
  BOOST_TEST(!proximal[2]);
  BOOST_TEST(p.boundary_conditions.force.empty());
}

BOOST_AUTO_TEST_CASE(includes_are_relative_to_the_including_file)
{
  const std::string dir = OssifyTest::scratch_directory("includes");
  OssifyTest::write_file(dir + "/materials/soft.prm",
                         "subsection Tissue materials\n"
                         "  subsection granulation\n"
                         "    set Young's modulus = 0.5\n"
                         "  end\n"
                         "end\n");
  // the case lives in a sub-directory; the include climbs out of it
  const std::string case_file =
      OssifyTest::write_file(dir + "/cases/case.prm",
                             "include ../materials/soft.prm\n"
                             "set Case name = with_include\n");
  dealii::ParameterHandler prm;
  CaseParameters::declare_parameters(prm);
  CaseParameters p;
  p.read(prm, case_file);
  BOOST_TEST(p.tissues[Tissue::granulation].youngs_modulus == 0.5);
  BOOST_TEST(p.case_name == "with_include");
}

BOOST_AUTO_TEST_CASE(later_settings_override_included_ones)
{
  const std::string dir = OssifyTest::scratch_directory("override");
  OssifyTest::write_file(dir + "/preset.prm", "set Case name = from_preset\n");
  const auto p =
      parse_case("override", "include preset.prm\nset Case name = mine\n");
  BOOST_TEST(p.case_name == "mine");
}

BOOST_AUTO_TEST_CASE(missing_include_is_named)
{
  check_rejected("missing_include", "include nowhere.prm\n", "nowhere.prm");
}

BOOST_AUTO_TEST_CASE(include_inside_subsection_is_rejected)
{
  check_rejected("include_in_subsection",
                 "subsection Geometry\n  include x.prm\nend\n",
                 "outside all subsections");
}

BOOST_AUTO_TEST_CASE(include_of_a_directory_is_refused)
{
  const std::string dir = OssifyTest::scratch_directory("include_directory");
  std::filesystem::create_directories(dir + "/presets");
  check_rejected("include_directory", "include presets\n", "is a directory");
  // the scratch directory of the test itself, given as the case file
  dealii::ParameterHandler prm;
  CaseParameters::declare_parameters(prm);
  CaseParameters p;
  BOOST_CHECK_EXCEPTION(
      p.read(prm, dir), InputError, MessageContains{"is a directory"});
}

BOOST_AUTO_TEST_CASE(include_chains_are_limited)
{
  // 70 files, each including the next: refused at 64, not a stack overflow
  const std::string dir = OssifyTest::scratch_directory("include_chain");
  for (unsigned int i = 0; i < 70; ++i)
    OssifyTest::write_file(dir + "/link" + std::to_string(i) + ".prm",
                           "include link" + std::to_string(i + 1) + ".prm\n");
  OssifyTest::write_file(dir + "/link70.prm", "set Case name = end\n");
  check_rejected("include_chain", "include link0.prm\n", "at most 64");
  // a chain within the limit is read
  BOOST_TEST(parse_case("include_chain", "include link60.prm\n").case_name ==
             "end");
}

BOOST_AUTO_TEST_CASE(nul_byte_is_refused)
{
  check_rejected(
      "nul_byte", std::string("set Case name = a\0b\n", 20), "NUL byte");
}

BOOST_AUTO_TEST_CASE(duplicate_keys_are_refused)
{
  check_rejected("duplicate_force",
                 "subsection Boundary conditions\n"
                 "  set Total force = proximal: 0 0 -300, proximal: 0 0 -800\n"
                 "end\n",
                 "'proximal' is given twice");
  check_rejected("duplicate_fixed",
                 "subsection Boundary conditions\n"
                 "  set Fixed = distal: xyz, distal: z\n"
                 "end\n",
                 "parameter 'Fixed': 'distal' is given twice");
  check_rejected("duplicate_tissue",
                 "subsection Regions\n"
                 "  set Initial tissue = cortical: cortical_bone, marrow: "
                 "marrow, gap: granulation, gap: cartilage, "
                 "periosteal_callus: granulation, endosteal_callus: "
                 "granulation, soft_tissue: soft_tissue, implant: implant\n"
                 "end\n",
                 "'gap' is given twice");
}

BOOST_AUTO_TEST_CASE(loads_are_physically_bounded)
{
  check_rejected("huge_force",
                 "subsection Boundary conditions\n"
                 "  set Total force = proximal: 0 0 -1e30\n"
                 "end\n",
                 "at most 50000 N");
  check_rejected("huge_moment",
                 "subsection Boundary conditions\n"
                 "  set Total moment = proximal: 2e6 0 0\n"
                 "end\n",
                 "at most 1000000 N mm");
  // a few times body weight is a load case
  const auto p = parse_case("large_force",
                            "subsection Boundary conditions\n"
                            "  set Total force = proximal: 0 0 -4000\n"
                            "end\n");
  BOOST_TEST(p.boundary_conditions.force.at(Boundary::proximal)[2] == -4000.);
}

BOOST_AUTO_TEST_CASE(long_values_give_readable_messages)
{
  // a 2 MB value that does not match its pattern: the message quotes it,
  // cut in the middle, and still names the file and the parameter
  const std::string value(2'000'000, 'x');
  try
  {
    parse_case("long_value",
               "subsection Geometry\n  set Global refinements = " + value +
                   "\nend\n");
    BOOST_FAIL("a malformed value was accepted");
  }
  catch (const InputError &error)
  {
    const std::string message = error.what();
    BOOST_TEST(message.size() < 1200u);
    BOOST_TEST(message.find("characters cut") != std::string::npos);
    BOOST_TEST(message.find("case.prm") != std::string::npos);
    BOOST_TEST(message.find("Global refinements") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(unknown_parameter_is_named_with_file_and_line)
{
  check_rejected("unknown",
                 "subsection Geometry\n  set Gap widht = 2\nend\n",
                 "Gap widht");
  check_rejected("unknown_line",
                 "\n\nsubsection Geometry\n  set Gap widht = 2\nend\n",
                 "4");
}

BOOST_AUTO_TEST_CASE(unknown_section_is_named)
{
  check_rejected("unknown_section",
                 "subsection Geometri\n  set Gap width = 2\nend\n",
                 "Geometri");
}

BOOST_AUTO_TEST_CASE(out_of_range_values_are_rejected)
{
  check_rejected("negative_radius",
                 "subsection Geometry\n subsection Parametric bone\n"
                 "  set Outer radius = -1\n end\nend\n",
                 "Outer radius");
  check_rejected("poisson",
                 "subsection Tissue materials\n subsection cartilage\n"
                 "  set Poisson's ratio = 0.5\n end\nend\n",
                 "Poisson's ratio");
  check_rejected("degree",
                 "subsection Finite element\n set Polynomial degree = 3\nend\n",
                 "Polynomial degree");
}

BOOST_AUTO_TEST_CASE(inconsistent_geometry_names_the_parameter)
{
  check_rejected(
      "radii",
      "subsection Geometry\n subsection Parametric bone\n"
      "  set Inner radius = 13\n  set Outer radius = 12\n end\nend\n",
      "Inner radius");
  check_rejected("gap",
                 "subsection Geometry\n subsection Parametric bone\n"
                 "  set Gap width = 90\n  set Segment length = 80\n end\nend\n",
                 "Gap width");
  check_rejected("callus_length",
                 "subsection Geometry\n subsection Parametric bone\n"
                 "  set Periosteal callus length = 2\n end\nend\n",
                 "Periosteal callus length");
  check_rejected("circumference",
                 "subsection Geometry\n subsection Parametric bone\n"
                 "  set Cells around circumference = 10\n end\nend\n",
                 "multiple of 4");
}

BOOST_AUTO_TEST_CASE(boundary_condition_errors)
{
  check_rejected("unknown_boundary",
                 "subsection Boundary conditions\n"
                 "  set Total force = top: 0 0 -1\nend\n",
                 "Total force");
  check_rejected(
      "unknown_component",
      "subsection Boundary conditions\n  set Fixed = distal: xw\nend\n",
      "x, y and z");
  check_rejected("nothing_held",
                 "subsection Boundary conditions\n  set Fixed =\nend\n",
                 "no boundary is fixed");
  check_rejected("twice",
                 "subsection Boundary conditions\n"
                 "  set Prescribed displacement = distal: 0 0 0\nend\n",
                 "already has");
  check_rejected("support_on_held_boundary",
                 "subsection Boundary conditions\n"
                 "  set Elastic support = distal: 100 100 100\nend\n",
                 "Elastic support");
  check_rejected("negative_support",
                 "subsection Boundary conditions\n"
                 "  set Elastic support = proximal: 100 -1 100\nend\n",
                 "must not be negative");
  check_rejected("two_components",
                 "subsection Boundary conditions\n"
                 "  set Total force = proximal: 0 -1\nend\n",
                 "Total force");
  check_rejected("moment_on_held_boundary",
                 "subsection Boundary conditions\n"
                 "  set Total moment = distal: 1000 0 0\nend\n",
                 "Total moment");
  check_rejected("rotational_support_alone",
                 "subsection Boundary conditions\n"
                 "  set Rotational support = proximal: 1e5 1e5 1e5\nend\n",
                 "has no 'Elastic support'");
  check_rejected("rotational_support_zero",
                 "subsection Boundary conditions\n"
                 "  set Elastic support = proximal: 100 100 100\n"
                 "  set Rotational support = proximal: 1e5 0 1e5\nend\n",
                 "must be positive");
}

BOOST_AUTO_TEST_CASE(gmsh_errors)
{
  check_rejected("gmsh_no_file",
                 "subsection Geometry\n set Source = gmsh\nend\n",
                 "Mesh file");
  check_rejected(
      "gmsh_missing_file",
      "subsection Geometry\n set Source = gmsh\n"
      " subsection Gmsh mesh\n  set Mesh file = none.msh\n end\nend\n",
      "none.msh");
  check_rejected("gmsh_bad_region",
                 "subsection Geometry\n subsection Gmsh mesh\n"
                 "  set Region map = 1: bone\n end\nend\n",
                 "Region map");
}

BOOST_AUTO_TEST_CASE(case_name_and_regions)
{
  check_rejected("case_name", "set Case name = a b\n", "Case name");
  check_rejected("tissue_name",
                 "subsection Regions\n set Initial tissue = gap: jelly\nend\n",
                 "Initial tissue");
}

// Catalyst: a script that does not exist, or no script at all, is named; in
// a build without ParaView, enabling Catalyst says how to get it.
BOOST_AUTO_TEST_CASE(catalyst_errors)
{
  const std::string enable =
      "subsection Output\n subsection Catalyst\n  set Enable = true\n";
  if (!catalyst_available())
  {
    check_rejected("catalyst_unavailable",
                   enable + "  set Scripts = a.py\n end\nend\n",
                   "-DOSSIFY_WITH_CATALYST=ON");
    return;
  }
  check_rejected("catalyst_no_script", enable + " end\nend\n", "Scripts");
  check_rejected("catalyst_missing_script",
                 enable + "  set Scripts = no_such_pipeline.py\n end\nend\n",
                 "no_such_pipeline.py' does not exist");

  const std::string dir = OssifyTest::scratch_directory("catalyst_scripts");
  OssifyTest::write_file(dir + "/a.py", "# script-version: 2\n");
  OssifyTest::write_file(dir + "/b.py", "# script-version: 2\n");
  dealii::ParameterHandler prm;
  CaseParameters::declare_parameters(prm);
  CaseParameters parameters;
  parameters.read(
      prm,
      OssifyTest::write_file(dir + "/case.prm",
                             enable + "  set Scripts = a.py, b.py\n"
                                      "  set Interval = 3\n end\nend\n"));
  const auto &catalyst = parameters.output.catalyst;
  BOOST_TEST(catalyst.enable);
  BOOST_TEST(catalyst.interval == 3u);
  BOOST_REQUIRE(catalyst.scripts.size() == 2u);
  // relative to the parameter file, not to the working directory
  BOOST_TEST(catalyst.scripts[1] ==
             std::filesystem::absolute(dir + "/b.py").lexically_normal());
}

// Fixations: chosen by name; their springs land on the proximal end; what
// cannot carry a lumped fixation is named.
BOOST_AUTO_TEST_CASE(fixation_parameters)
{
  const auto parameters = parse_case(
      "fixation_ok",
      "subsection Fixation\n set Type = external-fixator\n"
      " set Dynamisation day = 42\n set Dynamised stiffness factor = 0.3\n"
      " subsection external-fixator\n  set Axial stiffness = 800\n end\n"
      "end\n"
      "subsection Boundary conditions\n"
      " set Prescribed displacement =\n set Total force = proximal: 0 0 -500\n"
      "end\n");
  const auto &support =
      parameters.boundary_conditions.elastic_support.at(Boundary::proximal);
  BOOST_TEST(support[2] == 800.);
  BOOST_TEST(support[0] == 500.);
  BOOST_TEST(parameters.fixation.fixation->stability() == "relative stability");
  BOOST_TEST(parameters.fixation.stiffness_factor(41) == 1.);
  BOOST_TEST(parameters.fixation.stiffness_factor(42) == 0.3);

  check_rejected("fixation_unknown",
                 "subsection Fixation\n set Type = plaster\nend\n",
                 "Type");
  check_rejected("fixation_explicit_no_sleeve",
                 "subsection Fixation\n set Type = cast\n"
                 " set Representation = explicit\nend\n",
                 "Soft tissue thickness");
  check_rejected("fixation_explicit_tapered_plate",
                 "subsection Geometry\n subsection Parametric bone\n"
                 "  set Periosteal callus taper = 0.5\n end\nend\n"
                 "subsection Fixation\n set Type = locking-bridge-plate\n"
                 " set Representation = explicit\nend\n",
                 "Periosteal callus taper");
  // explicit preload: the plate between the screws nearest the gap (8 mm,
  // 4.5 mm screws) is pre-shortened, beyond the cortex
  const auto explicit_preload =
      parse_case("fixation_explicit_preload",
                 "subsection Fixation\n set Type = compression-plate\n"
                 " set Representation = explicit\n"
                 " subsection compression-plate\n"
                 "  set Pre-shortening = 0.01\n end\nend\n");
  BOOST_REQUIRE(explicit_preload.boundary_conditions.prestrain.has_value());
  const auto &part = *explicit_preload.boundary_conditions.prestrain;
  BOOST_TEST(part.z_min == -5.75);
  BOOST_TEST(part.z_max == 5.75);
  BOOST_TEST(part.min_radius == 13.);
  BOOST_TEST(part.shortening == 0.01);
  BOOST_TEST(part.force == 0.);
  BOOST_CHECK(part.region == Region::implant);
  BOOST_TEST(explicit_preload.boundary_conditions.preload.empty());
  check_rejected("fixation_explicit_preload_no_room",
                 "subsection Fixation\n set Type = compression-plate\n"
                 " set Representation = explicit\n"
                 " subsection compression-plate\n"
                 "  set Screw positions = -2, 2\n  set Screw diameter = 6\n"
                 "  set Pre-shortening = 0.01\n end\nend\n",
                 "Screw positions");
  check_rejected("fixation_explicit_load_regions",
                 "subsection Fixation\n set Type = intramedullary-nail\n"
                 " set Representation = explicit\nend\n"
                 "subsection Boundary conditions\n"
                 " set Load-bearing regions = implant\nend\n",
                 "Load-bearing regions");
  // explicit dynamisation scales the implant: accepted, no springs
  const auto dynamised =
      parse_case("fixation_explicit_dynamised",
                 "subsection Fixation\n set Type = intramedullary-nail\n"
                 " set Representation = explicit\n"
                 " set Dynamisation day = 30\n"
                 " set Dynamised stiffness factor = 0.5\nend\n");
  BOOST_TEST(dynamised.fixation.stiffness_factor(30) == 0.5);
  BOOST_TEST(dynamised.boundary_conditions.elastic_support.empty());
  check_rejected("fixation_explicit_dynamised_to_nothing",
                 "subsection Fixation\n set Type = intramedullary-nail\n"
                 " set Representation = explicit\n"
                 " set Dynamisation day = 30\n"
                 " set Dynamised stiffness factor = 0\nend\n",
                 "Dynamised stiffness factor");
  // half models: explicit plates and shells only
  const auto half =
      parse_case("fixation_half",
                 "subsection Fixation\n set Type = locking-bridge-plate\n"
                 " set Representation = explicit\n set Half model = true\n"
                 "end\n");
  BOOST_TEST(half.boundary_conditions.symmetry.size() == 1u);
  BOOST_TEST(half.geometry.gmsh.boundary_map.at(4) == "symmetry");
  check_rejected("fixation_half_lumped",
                 "subsection Fixation\n set Type = locking-bridge-plate\n"
                 " set Half model = true\nend\n",
                 "Half model");
  check_rejected("fixation_half_fixator",
                 "subsection Fixation\n set Type = external-fixator\n"
                 " set Representation = explicit\n set Half model = true\n"
                 "end\n",
                 "is not symmetric about a plane");
  check_rejected("fixation_proximal_held",
                 "subsection Fixation\n set Type = cast\nend\n"
                 "subsection Boundary conditions\n set Total force =\n"
                 " set Fixed = distal: xyz, proximal: xyz\nend\n",
                 "proximal end is held");
  check_rejected("fixation_twice",
                 "subsection Fixation\n set Type = cast\nend\n"
                 "subsection Boundary conditions\n"
                 " set Prescribed displacement =\n"
                 " set Total force = proximal: 0 0 -500\n"
                 " set Elastic support = proximal: 1 1 1\nend\n",
                 "remove 'Elastic support'");
  // a preload in N is the pre-shortening F / k
  const auto preload = parse_case(
      "fixation_preload_force",
      "subsection Fixation\n set Type = compression-plate\n"
      " subsection compression-plate\n  set Axial stiffness = 200000\n"
      "  set Preload force = 600\n end\nend\n"
      "subsection Boundary conditions\n"
      " set Prescribed displacement =\n set Total force = proximal: 0 0 -500\n"
      "end\n");
  BOOST_TEST(preload.boundary_conditions.preload.at(Boundary::proximal)[2] ==
                 -600.,
             boost::test_tools::tolerance(1e-12));
  check_rejected("fixation_preload_twice",
                 "subsection Fixation\n set Type = compression-plate\n"
                 " subsection compression-plate\n"
                 "  set Pre-shortening = 0.01\n  set Preload force = 600\n"
                 " end\nend\n",
                 "not both");
  check_rejected("fixation_bending_alone",
                 "subsection Fixation\n set Type = external-fixator\n"
                 " subsection external-fixator\n"
                 "  set Bending stiffness = 1e6\n end\nend\n"
                 "subsection Boundary conditions\n"
                 " set Prescribed displacement =\n"
                 " set Total force = proximal: 0 0 -500\nend\n",
                 "Torsional stiffness");

  // bending and torsion together become a rotational support
  const auto rotational = parse_case(
      "fixation_rotational",
      "subsection Fixation\n set Type = external-fixator\n"
      " subsection external-fixator\n"
      "  set Bending stiffness = 2e6\n  set Torsional stiffness = 1e6\n"
      " end\nend\n"
      "subsection Boundary conditions\n"
      " set Prescribed displacement =\n set Total force = proximal: 0 0 -500\n"
      "end\n");
  const auto &springs =
      rotational.boundary_conditions.rotational_support.at(Boundary::proximal);
  BOOST_TEST(springs[0] == 2e6);
  BOOST_TEST(springs[1] == 2e6);
  BOOST_TEST(springs[2] == 1e6);
}

BOOST_AUTO_TEST_SUITE_END()
