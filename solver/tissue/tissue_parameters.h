#ifndef OSSIFY_TISSUE_TISSUE_PARAMETERS_H
#define OSSIFY_TISSUE_TISSUE_PARAMETERS_H

#include "geometry/regions.h"
#include "tissue/tissue_types.h"

#include <deal.II/base/parameter_handler.h>

#include <array>
#include <map>
#include <string>

namespace Ossify
{
  /// Linear elastic and flow properties of one tissue phenotype.
  struct TissueProperties
  {
    double      youngs_modulus; ///< [MPa]
    double      poissons_ratio; ///< [-]
    double      permeability;   ///< [m^4/(N s)]
    std::string source;         ///< literature source of the values
  };

  /**
   * Section "Tissue materials": one subsection per tissue. The defaults are
   * Lacroix & Prendergast 2002 (J Biomech 35:1163), see
   * materials/lacroix_prendergast_2002.prm.
   */
  struct TissueMaterialParameters
  {
    std::array<TissueProperties, n_tissues> tissues;

    static void declare_parameters(dealii::ParameterHandler &prm);
    void        parse_parameters(dealii::ParameterHandler &prm);

    const TissueProperties &
    operator[](const Tissue tissue) const
    {
      return tissues[static_cast<unsigned int>(tissue)];
    }
  };

  /// Section "Regions": the tissue each region starts with.
  struct RegionParameters
  {
    std::map<Region, Tissue> initial_tissue;

    static void declare_parameters(dealii::ParameterHandler &prm);
    void        parse_parameters(dealii::ParameterHandler &prm);

    /// Throws InputError if @p id has no initial tissue.
    Tissue tissue_of(dealii::types::material_id id) const;
  };
} // namespace Ossify

#endif
