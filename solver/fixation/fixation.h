#ifndef OSSIFY_FIXATION_FIXATION_H
#define OSSIFY_FIXATION_FIXATION_H

#include "base/registry.h"
#include "fixation/explicit_geometry.h"
#include "geometry/geometry_parameters.h"
#include "mechanics/mechanics_parameters.h"
#include "tissue/tissue_parameters.h"

#include <deal.II/base/parameter_handler.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace Ossify
{
  /**
   * What a fixation adds to the mechanics in its lumped representation:
   * springs between the two fragments (the proximal end face and the held
   * distal end), and for compression plating a pre-shortening that
   * presses the fragments together.
   */
  struct LumpedFixation
  {
    double axial_stiffness = 0; ///< [N/mm]
    double shear_stiffness = 0; ///< per transverse direction [N/mm]
    /// pre-shortening of the axial spring [mm]: a compression plate
    /// tensioned against the bone pushes the fragments together by up to
    /// this much (the force on the proximal end is axial stiffness x it)
    double pre_shortening = 0;
    /// or the preload as a force [N]: the pre-shortening F / k
    double preload_force = 0;
    /// about each transverse axis and about the bone axis [N mm/rad];
    /// 0: what uniform axial / shear springs on the end face give
    double bending_stiffness   = 0;
    double torsional_stiffness = 0;
  };

  /**
   * A fixation device (cast, brace, plate, nail, external fixator). Each
   * one is a .cc file in solver/fixation/fixations/ with a class derived
   * from this one, a static declare_parameters(prm) and a constructor from
   * the ParameterHandler (inside its own subsection "Fixation/<name>"),
   * ending with OSSIFY_REGISTER_FIXATION(Class, "name", "description").
   */
  class Fixation
  {
  public:
    virtual ~Fixation() = default;

    /// The construct as springs between the fragments.
    virtual LumpedFixation lumped() const = 0;

    /// AO category: "absolute stability" or "relative stability".
    virtual std::string stability() const = 0;

    /// The device as meshed implant around the bone; devices without an
    /// explicit representation return nothing.
    virtual std::optional<ExplicitFixation>
    explicit_model() const
    {
      return std::nullopt;
    }
  };

  /**
   * Most devices are two springs: declares "Axial stiffness" and "Shear
   * stiffness" [N/mm] with the device's defaults and the source of each.
   */
  void declare_spring_parameters(dealii::ParameterHandler &prm,
                                 const std::string        &axial_default,
                                 const std::string        &axial_source,
                                 const std::string        &shear_default,
                                 const std::string        &shear_source);

  /// Reads what declare_spring_parameters() declared.
  LumpedFixation parse_spring_parameters(dealii::ParameterHandler &prm);

  /// A device given by its springs and, where a template exists, its
  /// explicit geometry (set by the derived class's constructor).
  class SpringFixation : public Fixation
  {
  public:
    SpringFixation(dealii::ParameterHandler &prm, std::string stability)
        : springs(parse_spring_parameters(prm))
        , category(std::move(stability))
    {
    }

    LumpedFixation
    lumped() const override
    {
      return springs;
    }

    std::string
    stability() const override
    {
      return category;
    }

    std::optional<ExplicitFixation>
    explicit_model() const override
    {
      return geometry;
    }

  protected:
    LumpedFixation                  springs;
    std::string                     category;
    std::optional<ExplicitFixation> geometry;
  };

  using FixationRegistry = Registry<Fixation>;

  /// The fixation devices registered so far, by name.
  FixationRegistry &fixation_registry();

  /**
   * Section "Fixation": which device holds the fracture, in which
   * representation, and its dynamisation. Applied to the boundary
   * conditions: the lumped springs act between the proximal end face and
   * the held distal end.
   */
  struct FixationParameters
  {
    std::string               type; ///< "none" or a registered name
    std::string               representation;
    unsigned int              dynamisation_day;   ///< 0: never
    double                    dynamised_factor;   ///< stiffness factor after it
    bool                      half_model = false; ///< explicit only
    std::shared_ptr<Fixation> fixation;           ///< null for "none"
    LumpedFixation            springs;

    static void declare_parameters(dealii::ParameterHandler &prm);
    void        parse_parameters(dealii::ParameterHandler &prm);

    /// Lumped: adds the springs and the preload to @p bc; throws
    /// InputError when the boundary conditions cannot carry a lumped
    /// fixation. Explicit: checks that nothing lumped-only is asked for.
    void apply(BoundaryConditionParameters &bc) const;

    /// Explicit: switches the geometry to the device's generated mesh
    /// (fixation_mesh_file()), gives the implant tissue the device's
    /// material and lets loads act through the cortex only (the ends of a
    /// nail or cast are not loaded); a half model adds the symmetry
    /// plane. Nothing for 'lumped'.
    void apply_explicit(GeometryParameters          &geometry,
                        TissueMaterialParameters    &tissues,
                        BoundaryConditionParameters &bc) const;

    bool
    is_explicit() const
    {
      return fixation && representation == "explicit";
    }
    /// the device's template options (explicit only)
    std::optional<ExplicitFixation> explicit_model;

    /// Factor of the spring stiffness (lumped) or of the implant's
    /// Young's modulus (explicit) on @p day (dynamisation).
    double
    stiffness_factor(const unsigned int day) const
    {
      return dynamisation_day > 0 && day >= dynamisation_day ? dynamised_factor
                                                             : 1.;
    }

    /// What the device does to the mechanics on one day.
    struct Day
    {
      /// factor of the lumped springs and preloads [-]
      double support_factor = 1;
      /// factor of the Young's modulus of explicit implant cells [-]
      double implant_modulus_factor = 1;
    };

    /// The device on @p day: dynamisation softens the springs of a lumped
    /// device, or the implant of an explicit one.
    Day
    on_day(const unsigned int day) const
    {
      Day today;
      if (is_explicit())
        today.implant_modulus_factor = stiffness_factor(day);
      else
        today.support_factor = stiffness_factor(day);
      return today;
    }
  };
} // namespace Ossify

#define OSSIFY_REGISTER_FIXATION(Class, name, description)                     \
  namespace                                                                    \
  {                                                                            \
    [[maybe_unused]] const bool Class##_registered =                           \
        ::Ossify::fixation_registry().add(                                     \
            name,                                                              \
            {description,                                                      \
             &Class::declare_parameters,                                       \
             [](dealii::ParameterHandler &prm) {                               \
               return std::unique_ptr<::Ossify::Fixation>(new Class(prm));     \
             }});                                                              \
  }

#endif
