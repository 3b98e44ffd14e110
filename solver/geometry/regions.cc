#include "geometry/regions.h"

#include "base/input_error.h"

#include <deal.II/base/utilities.h>

namespace Ossify
{
  namespace
  {
    std::string
    join(const std::vector<std::string> &names, const std::string &separator)
    {
      std::string result;
      for (const auto &name : names)
        result += (result.empty() ? "" : separator) + name;
      return result;
    }
  } // namespace

  const std::vector<std::string> &
  region_names()
  {
    static const std::vector<std::string> names = {"cortical",
                                                   "marrow",
                                                   "gap",
                                                   "periosteal_callus",
                                                   "endosteal_callus",
                                                   "soft_tissue",
                                                   "implant"};
    return names;
  }

  const std::vector<std::string> &
  boundary_names()
  {
    static const std::vector<std::string> names = {
        "other", "distal", "proximal", "outer", "symmetry"};
    return names;
  }

  std::string
  region_name(const dealii::types::material_id id)
  {
    if (id >= 1 && id <= region_names().size())
      return region_names()[id - 1];
    return "unknown(" + std::to_string(id) + ")";
  }

  std::string
  boundary_name(const dealii::types::boundary_id id)
  {
    if (id < boundary_names().size())
      return boundary_names()[id];
    return "unknown(" + std::to_string(id) + ")";
  }

  std::string
  labels_json()
  {
    std::string regions, boundaries;
    for (unsigned int i = 0; i < region_names().size(); ++i)
      regions += std::string(i > 0 ? ", " : "") + "\"" + region_names()[i] +
                 "\": " + std::to_string(i + 1);
    for (unsigned int i = 0; i < boundary_names().size(); ++i)
      boundaries += std::string(i > 0 ? ", " : "") + "\"" +
                    boundary_names()[i] + "\": " + std::to_string(i);
    return "{\"regions\": {" + regions + "}, \"boundaries\": {" + boundaries +
           "}}";
  }

  Region
  region_from_name(const std::string &name, const std::string &context)
  {
    const auto &names = region_names();
    for (unsigned int i = 0; i < names.size(); ++i)
      if (names[i] == dealii::Utilities::trim(name))
        return static_cast<Region>(i + 1);
    throw InputError(context + ": unknown region '" + name +
                     "'; valid regions are " + join(names, ", "));
  }

  Boundary
  boundary_from_name(const std::string &name, const std::string &context)
  {
    const auto &names = boundary_names();
    for (unsigned int i = 0; i < names.size(); ++i)
      if (names[i] == dealii::Utilities::trim(name))
        return static_cast<Boundary>(i);
    throw InputError(context + ": unknown boundary '" + name +
                     "'; valid boundaries are " + join(names, ", "));
  }

  std::string
  region_selection()
  {
    return join(region_names(), "|");
  }

  std::string
  boundary_selection()
  {
    return join(boundary_names(), "|");
  }

  bool
  is_callus(const dealii::types::material_id id)
  {
    return id == static_cast<dealii::types::material_id>(Region::gap) ||
           id == static_cast<dealii::types::material_id>(
                     Region::periosteal_callus) ||
           id == static_cast<dealii::types::material_id>(
                     Region::endosteal_callus);
  }
} // namespace Ossify
