#include "tissue/tissue_types.h"

#include "base/input_error.h"

#include <deal.II/base/utilities.h>

namespace Ossify
{
  const std::array<std::string, n_tissues> &
  tissue_names()
  {
    static const std::array<std::string, n_tissues> names = {"granulation",
                                                             "fibrous",
                                                             "cartilage",
                                                             "woven_bone",
                                                             "lamellar_bone",
                                                             "marrow",
                                                             "cortical_bone",
                                                             "soft_tissue",
                                                             "implant"};
    return names;
  }

  const std::string &
  tissue_name(const Tissue tissue)
  {
    return tissue_names()[static_cast<unsigned int>(tissue)];
  }

  std::string
  tissue_selection()
  {
    std::string result;
    for (const auto &name : tissue_names())
      result += (result.empty() ? "" : "|") + name;
    return result;
  }

  Tissue
  tissue_from_name(const std::string &name, const std::string &context)
  {
    const std::string trimmed = dealii::Utilities::trim(name);
    for (unsigned int i = 0; i < n_tissues; ++i)
      if (tissue_names()[i] == trimmed)
        return static_cast<Tissue>(i);
    std::string valid;
    for (const auto &n : tissue_names())
      valid += (valid.empty() ? "" : ", ") + n;
    throw InputError(context + ": unknown tissue '" + name +
                     "'; valid tissues are " + valid);
  }
} // namespace Ossify
