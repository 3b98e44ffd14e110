#include "fixation/explicit_geometry.h"

#include "base/input_error.h"
#include "geometry/geometry_parameters.h"
#include "geometry/regions.h"

#include <deal.II/base/mpi.h>
#include <deal.II/base/utilities.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

namespace Ossify
{
  using namespace dealii;

  namespace
  {
    std::string
    number(const double value)
    {
      std::ostringstream out;
      out << std::setprecision(12) << value;
      return out.str();
    }

    std::string
    template_script()
    {
      return std::string(OSSIFY_SOURCE_DIR) + "/meshes/fixation_construct.py";
    }

    /// The template's command line without its output file.
    std::vector<std::string>
    template_arguments(const ExplicitFixation         &model,
                       const ParametricBoneParameters &bone)
    {
      // "--option=value": argparse would take a value such as "-24,-16"
      // for an option of its own
      // the numbering the mesh must carry is the solver's
      std::vector<std::string> args = {"--device=" + model.device,
                                       "--labels=" + labels_json()};
      const std::vector<std::pair<std::string, double>> bone_options = {
          {"--length", bone.segment_length},
          {"--outer-radius", bone.outer_radius},
          {"--inner-radius", bone.inner_radius},
          {"--gap", bone.gap_width},
          {"--callus-thickness", bone.periosteal_callus_thickness},
          {"--callus-length", bone.periosteal_callus_length},
          {"--callus-taper", bone.periosteal_callus_taper},
          {"--endosteal-length", bone.endosteal_callus_length},
          {"--soft-tissue", bone.soft_tissue_thickness},
          {"--cells-around",
           static_cast<double>(bone.cells_around_circumference)},
          {"--radial-cortex", static_cast<double>(bone.radial_cells_cortex)},
          {"--radial-callus", static_cast<double>(bone.radial_cells_callus)},
          {"--cells-across-gap", static_cast<double>(bone.cells_across_gap)},
          {"--axial-cell", bone.axial_cell_size}};
      for (const auto &[option, value] : bone_options)
        args.push_back(option + "=" + number(value));
      for (const auto &[option, value] : model.options)
        args.push_back(value.empty() ? option : option + "=" + value);
      return args;
    }

    std::string
    quoted(const std::string &word)
    {
      std::string result = "'";
      for (const char c : word)
        result += c == '\'' ? std::string("'\\''") : std::string(1, c);
      return result + "'";
    }

    /// FNV-1a: a stable name for a parameter set (std::hash may differ
    /// between builds).
    std::string
    fingerprint(const std::string &text)
    {
      std::uint64_t hash = 1469598103934665603ull;
      for (const unsigned char c : text)
      {
        hash ^= c;
        hash *= 1099511628211ull;
      }
      std::ostringstream out;
      out << std::hex << std::setw(16) << std::setfill('0') << hash;
      return out.str();
    }
  } // namespace

  void
  declare_implant_material(ParameterHandler  &prm,
                           const std::string &default_material)
  {
    prm.declare_entry("Implant material",
                      default_material,
                      Patterns::Selection("titanium|stainless-steel"),
                      "Material of the meshed implant in the explicit "
                      "representation: titanium (Ti-6Al-4V, E = 110 GPa, nu "
                      "= 0.34) or stainless-steel (316L, E = 200 GPa, nu = "
                      "0.3); the issue 'Fixation library' and handbook "
                      "values.");
  }

  void
  parse_implant_material(ParameterHandler &prm, ExplicitFixation &model)
  {
    if (prm.get("Implant material") == "titanium")
    {
      model.youngs_modulus  = 110000;
      model.poissons_ratio  = 0.34;
      model.material_source = "Ti-6Al-4V, typical handbook value";
    }
    else
    {
      model.youngs_modulus  = 200000;
      model.poissons_ratio  = 0.3;
      model.material_source = "316L stainless steel, typical handbook value";
    }
  }

  void
  declare_plate_geometry(ParameterHandler  &prm,
                         const std::string &screw_positions,
                         const std::string &source)
  {
    prm.declare_entry("Plate length",
                      "70",
                      Patterns::Double(1, 1000),
                      "Length of the plate along the bone in the explicit "
                      "representation [mm]; it must fit on the segment. " +
                          source);
    prm.declare_entry("Plate width",
                      "13.5",
                      Patterns::Double(1, 100),
                      "Width of the plate [mm], rounded to whole cells "
                      "around the bone, symmetric about the plate's "
                      "mid-plane (at least the two cells either side of it "
                      "when 'Cells around circumference' / 4 is even, else "
                      "the one centred on it). Narrow 4.5 mm plates are "
                      "~13.5 mm wide (typical, check).");
    prm.declare_entry("Plate thickness",
                      "4",
                      Patterns::Double(0.1, 50),
                      "Thickness of the plate on the periosteum [mm] "
                      "(typical narrow plates 4-5 mm, check).");
    prm.declare_entry("Screw positions",
                      screw_positions,
                      Patterns::Anything(),
                      "Axial positions of the screws [mm], comma separated, "
                      "z = 0 at the gap; the working length is the distance "
                      "between the two screws nearest the gap. Screws are "
                      "monocortical (the near cortex), as long as their "
                      "diameter, and around the bone the cells either side "
                      "of the plate's mid-plane. " +
                          source);
    prm.declare_entry("Screw diameter",
                      "4.5",
                      Patterns::Double(0.5, 20),
                      "Diameter of the screws [mm]: the axial extent of "
                      "their cells (4.5 mm cortex screws, AO standard).");
  }

  ExplicitFixation
  parse_plate_geometry(ParameterHandler &prm)
  {
    ExplicitFixation model;
    model.device                   = "plate";
    model.needs_cylindrical_callus = true;
    model.mirror_symmetric         = true;
    model.options = {{"--plate-length", prm.get("Plate length")},
                     {"--plate-width", prm.get("Plate width")},
                     {"--plate-thickness", prm.get("Plate thickness")},
                     {"--screws", prm.get("Screw positions")},
                     {"--screw-diameter", prm.get("Screw diameter")}};
    return model;
  }

  void
  declare_cast_geometry(ParameterHandler  &prm,
                        const std::string &thickness,
                        const std::string &modulus,
                        const std::string &source)
  {
    prm.declare_entry("Shell thickness",
                      thickness,
                      Patterns::Double(0.1, 50),
                      "Thickness of the shell around the soft-tissue sleeve "
                      "(Geometry/Parametric bone/Soft tissue thickness) in "
                      "the explicit representation [mm]. " +
                          source);
    prm.declare_entry("Shell modulus",
                      modulus,
                      Patterns::Double(1, 1e6),
                      "Young's modulus of the shell [MPa]. " + source);
    prm.declare_entry("Shell Poisson's ratio",
                      "0.3",
                      Patterns::Double(0, 0.49),
                      "Poisson's ratio of the shell [-] (an assumption).");
  }

  ExplicitFixation
  parse_cast_geometry(ParameterHandler &prm)
  {
    ExplicitFixation model;
    model.device            = "cast";
    model.needs_soft_tissue = true;
    model.mirror_symmetric  = true;
    model.options         = {{"--cast-thickness", prm.get("Shell thickness")}};
    model.youngs_modulus  = prm.get_double("Shell modulus");
    model.poissons_ratio  = prm.get_double("Shell Poisson's ratio");
    model.material_source = "shell modulus of the device (an assumption)";
    return model;
  }

  std::string
  fixation_mesh_file(const ExplicitFixation         &model,
                     const ParametricBoneParameters &bone)
  {
    std::string key;
    for (const auto &word : template_arguments(model, bone))
      key += word + '\n';
    // the template's own text: a changed template makes new meshes
    std::ifstream      script(template_script());
    std::ostringstream text;
    text << script.rdbuf();
    key += text.str();

    const char           *cache = std::getenv("OSSIFY_MESH_CACHE");
    std::filesystem::path directory =
        cache && *cache
            ? std::filesystem::path(cache)
            : std::filesystem::temp_directory_path() / "ossify-fixation-meshes";
    return (directory / (model.device + "-" + fingerprint(key) + ".msh"))
        .string();
  }

  std::string
  generate_fixation_mesh(const ExplicitFixation         &model,
                         const ParametricBoneParameters &bone,
                         const std::string              &section,
                         MPI_Comm                        communicator)
  {
    const std::string mesh_file = fixation_mesh_file(model, bone);
    std::string       failure;
    std::error_code   exists_error;
    if (Utilities::MPI::this_mpi_process(communicator) == 0 &&
        !std::filesystem::exists(mesh_file, exists_error))
    {
      std::error_code directory_error;
      std::filesystem::create_directories(
          std::filesystem::path(mesh_file).parent_path(), directory_error);
      // written under a private name and renamed: concurrent runs of the
      // same case never read a half-written mesh
      const std::string partial = mesh_file.substr(0, mesh_file.size() - 4) +
                                  ".part" + std::to_string(::getpid()) + ".msh";
      const std::string log = partial + ".log";
      std::string       command =
          quoted(OSSIFY_MESH_PYTHON) + " " + quoted(template_script());
      for (const auto &word : template_arguments(model, bone))
        command += " " + quoted(word);
      command += " -o " + quoted(partial) + " > " + quoted(log) + " 2>&1";
      const int          status = std::system(command.c_str());
      std::ostringstream output;
      {
        std::ifstream log_file(log);
        output << log_file.rdbuf();
      }
      std::error_code ignored;
      if (directory_error)
        failure = "cannot create the mesh cache directory of '" + mesh_file +
                  "': " + directory_error.message() +
                  " (set OSSIFY_MESH_CACHE to a writable directory)";
      else if (status != 0 || !std::filesystem::exists(partial, ignored))
      {
        failure = Utilities::trim(output.str());
        if (failure.empty())
          failure = "the mesh template failed (exit status " +
                    std::to_string(status) + ") running: " + command;
      }
      else
      {
        std::error_code rename_error;
        std::filesystem::rename(partial, mesh_file, rename_error);
        if (rename_error)
          failure = "cannot store the mesh as '" + mesh_file +
                    "': " + rename_error.message();
      }
      std::filesystem::remove(partial, ignored);
      std::filesystem::remove(log, ignored);
    }
    failure = Utilities::MPI::broadcast(communicator, failure, 0);
    if (!failure.empty())
      throw InputError(section,
                       "Representation",
                       "the explicit mesh of this device could not be made "
                       "(meshes/fixation_construct.py, python3-gmsh): " +
                           failure);
    // every rank reads the mesh: on several nodes the cache must be shared
    const bool readable = static_cast<bool>(std::ifstream(mesh_file));
    if (Utilities::MPI::min(readable ? 1 : 0, communicator) == 0)
      throw InputError(section,
                       "Representation",
                       "the explicit mesh '" + mesh_file +
                           "' made on rank 0 cannot be read on every rank; "
                           "set OSSIFY_MESH_CACHE to a directory that all "
                           "nodes share");
    return mesh_file;
  }
} // namespace Ossify
