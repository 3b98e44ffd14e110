#ifndef OSSIFY_TISSUE_TISSUE_TYPES_H
#define OSSIFY_TISSUE_TISSUE_TYPES_H

#include <array>
#include <string>

namespace Ossify
{
  /**
   * The tissue phenotypes of a healing fracture. Callus tissue moves between
   * the first five; marrow and cortical bone are the intact tissues; soft
   * tissue and implant are fixed materials.
   */
  enum class Tissue : unsigned int
  {
    granulation = 0,
    fibrous,
    cartilage,
    woven_bone,
    lamellar_bone,
    marrow,
    cortical_bone,
    soft_tissue,
    implant
  };

  constexpr unsigned int n_tissues = 9;

  /// Names as used in parameter files, indexed by Tissue.
  const std::array<std::string, n_tissues> &tissue_names();

  const std::string &tissue_name(Tissue tissue);

  /// "granulation|fibrous|..." for Patterns::Selection.
  std::string tissue_selection();

  /// Throws InputError naming @p context and the valid names.
  Tissue tissue_from_name(const std::string &name, const std::string &context);
} // namespace Ossify

#endif
