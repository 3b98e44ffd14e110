#include "tissue/tissue_parameters.h"

#include "base/input_error.h"
#include "base/parameter_utilities.h"

namespace Ossify
{
  using dealii::ParameterHandler;
  using dealii::Patterns::Double;

  namespace
  {
    struct DefaultTissue
    {
      const char *E;
      const char *nu;
      const char *k;
      const char *source;
    };

    // Lacroix & Prendergast 2002, J Biomech 35:1163, Table 1 (summarised in
    // mechanobiology.md 3.3); granulation to cortical bone. The soft-tissue
    // sleeve uses Simon et al. 2011 (CMBBE 14:79) connective tissue, the
    // implant titanium alloy Ti-6Al-4V.
    const DefaultTissue defaults[n_tissues] = {
        {"0.2", "0.167", "1e-14", "Lacroix & Prendergast 2002, Table 1"},
        {"2", "0.167", "1e-14", "Lacroix & Prendergast 2002, Table 1"},
        {"10", "0.167", "5e-15", "Lacroix & Prendergast 2002, Table 1"},
        {"1000",
         "0.3",
         "1e-13",
         "Lacroix & Prendergast 2002, Table 1 (immature bone)"},
        {"6000",
         "0.3",
         "3.7e-13",
         "Lacroix & Prendergast 2002, Table 1 (mature bone)"},
        {"2", "0.167", "1e-14", "Lacroix & Prendergast 2002, Table 1"},
        {"20000", "0.3", "1e-17", "Lacroix & Prendergast 2002, Table 1"},
        {"3", "0.3", "1e-14", "Simon et al. 2011, connective tissue"},
        {"110000", "0.34", "1e-20", "Ti-6Al-4V, typical handbook value"}};
  } // namespace

  void
  TissueMaterialParameters::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Tissue materials");
    for (unsigned int t = 0; t < n_tissues; ++t)
    {
      prm.enter_subsection(tissue_names()[t]);
      prm.declare_entry("Young's modulus",
                        defaults[t].E,
                        Double(1e-6, 1e7),
                        "Young's modulus of " + tissue_names()[t] + " [MPa].");
      prm.declare_entry("Poisson's ratio",
                        defaults[t].nu,
                        Double(-0.99, 0.499),
                        "Poisson's ratio of " + tissue_names()[t] +
                            " [-], below 0.5 (compressible).");
      prm.declare_entry("Permeability",
                        defaults[t].k,
                        Double(0.0, 1.0),
                        "Permeability of " + tissue_names()[t] +
                            " [m^4/(N s)], for poroelastic rules.");
      prm.declare_entry("Source",
                        defaults[t].source,
                        dealii::Patterns::Anything(),
                        "Literature source of these values (free text, "
                        "copied into the run log).");
      prm.leave_subsection();
    }
    prm.leave_subsection();
  }

  void
  TissueMaterialParameters::parse_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Tissue materials");
    for (unsigned int t = 0; t < n_tissues; ++t)
    {
      prm.enter_subsection(tissue_names()[t]);
      tissues[t].youngs_modulus = prm.get_double("Young's modulus");
      tissues[t].poissons_ratio = prm.get_double("Poisson's ratio");
      tissues[t].permeability   = prm.get_double("Permeability");
      tissues[t].source         = prm.get("Source");
      prm.leave_subsection();
    }
    prm.leave_subsection();
  }

  void
  RegionParameters::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Regions");
    prm.declare_entry(
        "Initial tissue",
        "cortical: cortical_bone, marrow: marrow, gap: granulation, "
        "periosteal_callus: granulation, endosteal_callus: granulation, "
        "soft_tissue: soft_tissue, implant: implant",
        dealii::Patterns::Map(dealii::Patterns::Selection(region_selection()),
                              dealii::Patterns::Selection(tissue_selection()),
                              1,
                              dealii::Patterns::Map::max_int_value,
                              ","),
        "Tissue each region holds at day 0, as 'region: tissue, ...'. "
        "Regions: " +
            region_selection() + ". Tissues: " + tissue_selection() +
            ". The callus regions start as granulation tissue (Lacroix & "
            "Prendergast 2002).");
    prm.leave_subsection();
  }

  void
  RegionParameters::parse_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Regions");
    initial_tissue.clear();
    for (const auto &[region, tissue] :
         split_map(prm.get("Initial tissue"), ",", "Regions", "Initial tissue"))
      initial_tissue[region_from_name(region, "Regions/Initial tissue")] =
          tissue_from_name(tissue, "Regions/Initial tissue");
    prm.leave_subsection();
  }

  Tissue
  RegionParameters::tissue_of(const dealii::types::material_id id) const
  {
    const auto it = initial_tissue.find(static_cast<Region>(id));
    if (it == initial_tissue.end())
      throw InputError("Regions",
                       "Initial tissue",
                       "the mesh has region '" + region_name(id) +
                           "' but no initial tissue is given for it");
    return it->second;
  }
} // namespace Ossify
