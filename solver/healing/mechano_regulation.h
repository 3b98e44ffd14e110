#ifndef OSSIFY_HEALING_MECHANO_REGULATION_H
#define OSSIFY_HEALING_MECHANO_REGULATION_H

#include "base/registry.h"
#include "healing/tissue_state.h"
#include "mechanics/strain_measures.h"

#include <deal.II/base/parameter_handler.h>

#include <memory>
#include <string>

namespace Ossify
{
  /// What a rule sees at one point.
  struct RuleInput
  {
    const StrainMeasures &measures;
    /// fluid velocity relative to the solid [um/s]; NaN when the mechanics
    /// is not poroelastic
    double             fluid_velocity;
    const TissueState &state;
    /// largest bone fraction among the face neighbours of the point's cell
    /// (cell means) [-]; filled only for rules that need_neighbours()
    double neighbour_max_bone = 0;
    /// largest perfusion among the face neighbours [-], likewise
    double neighbour_max_perfusion = 0;
    /// edge length of the point's cell [mm], for rules whose processes
    /// spread from cell to cell and must scale with it to stay mesh
    /// independent
    double cell_size = 1;
    /// whether the point lies in the fracture gap between the fragment
    /// ends, where contact and gap (primary) healing happen
    bool in_fracture_gap = false;
  };

  /// The phenotype a point's mechanical environment asks for.
  enum class Differentiation
  {
    none,         ///< no stimulus: the tissue stays as it is
    resorption,   ///< tissue is removed (back to granulation / marrow)
    fibrous,      ///< fibrous / connective tissue
    cartilage,    ///< cartilage
    endochondral, ///< endochondral ossification: cartilage forms and the
                  ///< cartilage present calcifies into woven bone
    woven_bone,   ///< immature bone (intramembranous, or ossifying cartilage)
    lamellar_bone ///< mature bone
  };

  std::string differentiation_name(Differentiation d);

  /**
   * A mechano-regulation rule: maps the local mechanical stimulus to the
   * tissue that should form. It does not know about materials or rates;
   * the healing simulation turns its answer into tissue change.
   *
   * To add a rule, write one .cc file with a class derived from this one,
   * a static declare_parameters(prm) and a constructor from the
   * ParameterHandler (both inside the rule's own subsection), and end it
   * with OSSIFY_REGISTER_RULE(Class, "name", "description").
   */
  class MechanoRegulationRule
  {
  public:
    virtual ~MechanoRegulationRule() = default;

    virtual Differentiation evaluate(const RuleInput &input) const = 0;

    /// A scalar value of the stimulus for output (rule specific, [-]).
    virtual double stimulus(const RuleInput &input) const = 0;

    /// Rules that need the fluid velocity refuse to run on elastic
    /// mechanics.
    virtual bool
    needs_fluid_velocity() const
    {
      return false;
    }

    /// Rules that read the neighbour fields of RuleInput.
    virtual bool
    needs_neighbours() const
    {
      return false;
    }

    /**
     * Rules that model several processes at once (the fuzzy-logic rule:
     * angiogenesis, ossification, chondrogenesis and destruction, each to
     * its own degree) change the tissue, and its perfusion, themselves and
     * return true. @p rate is the healing "Differentiation rate" [1/day],
     * one day per call. The default returns false: the simulation then
     * applies evaluate().
     */
    virtual bool
    update_tissue(const RuleInput & /*input*/,
                  const double /*rate*/,
                  TissueState & /*state*/) const
    {
      return false;
    }
  };

  using RuleRegistry = Registry<MechanoRegulationRule>;

  /// The rules registered so far, by name.
  RuleRegistry &rule_registry();

  /// "a|b|c" of the registered names.
  std::string rule_selection();

  /// Declares the subsection of every registered rule inside the current
  /// subsection of @p prm.
  void declare_rule_parameters(dealii::ParameterHandler &prm);

  /// Creates rule @p name from its subsection; throws InputError listing
  /// the valid names if there is none such.
  std::unique_ptr<MechanoRegulationRule>
  create_rule(const std::string &name, dealii::ParameterHandler &prm);
} // namespace Ossify

#define OSSIFY_REGISTER_RULE(Class, name, description)                         \
  namespace                                                                    \
  {                                                                            \
    [[maybe_unused]] const bool Class##_registered =                           \
        ::Ossify::rule_registry().add(                                         \
            name,                                                              \
            {description,                                                      \
             &Class::declare_parameters,                                       \
             [](dealii::ParameterHandler &prm)                                 \
             {                                                                 \
               return std::unique_ptr<::Ossify::MechanoRegulationRule>(        \
                   new Class(prm));                                            \
             }});                                                              \
  }

#endif
