#include "mechanics/mechanics_parameters.h"

#include "base/input_error.h"
#include "base/parameter_utilities.h"

#include <deal.II/base/utilities.h>

#include <algorithm>
#include <map>
#include <set>

namespace Ossify
{
  using dealii::ParameterHandler;
  using dealii::Patterns::Double;
  using dealii::Patterns::Integer;
  using dealii::Patterns::Selection;

  void
  FiniteElementParameters::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Finite element");
    prm.declare_entry("Polynomial degree",
                      "1",
                      Integer(1, 2),
                      "Degree of the Lagrange (FE_Q) displacement elements "
                      "[-]: 1 (trilinear) or 2 (triquadratic).");
    prm.leave_subsection();
  }

  void
  FiniteElementParameters::parse_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Finite element");
    degree = prm.get_integer("Polynomial degree");
    prm.leave_subsection();
  }

  void
  LinearSolverParameters::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Linear solver");
    prm.declare_entry("Method",
                      "cg",
                      Selection("cg|gmres"),
                      "Krylov method (PETSc KSP): cg for the symmetric "
                      "positive definite elasticity system, gmres as a "
                      "fallback.");
    prm.declare_entry("Preconditioner",
                      "gamg",
                      Selection("boomeramg|gamg|jacobi"),
                      "gamg: PETSc smoothed aggregation with the six rigid-"
                      "body modes and Chebyshev/Jacobi smoothing (the default: "
                      "its V-cycle costs a third of BoomerAMG's, and it "
                      "halves the solve time of a healing run; "
                      "docs/benchmarks.md); boomeramg: hypre algebraic "
                      "multigrid with nodal block size 3 and HMIS coarsening; "
                      "jacobi: diagonal scaling (tests only).");
    prm.declare_entry("Relative tolerance",
                      "1e-8",
                      Double(1e-14, 1e-1),
                      "Stop when the preconditioned residual norm falls below "
                      "this fraction of the right-hand side norm [-].");
    prm.declare_entry("Absolute tolerance",
                      "1e-30",
                      Double(0.0, 1.0),
                      "Absolute residual norm at which to stop [N].");
    prm.declare_entry("Maximum iterations",
                      "2000",
                      Integer(1, 100000),
                      "Iterations after which the solve counts as failed [-].");
    prm.declare_entry("AMG strong threshold",
                      "0.5",
                      Double(0.0, 0.99),
                      "Strength-of-connection threshold of the AMG "
                      "coarsening [-]; 0.5 suits 3-D elasticity.");
    prm.leave_subsection();
  }

  void
  LinearSolverParameters::parse_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Linear solver");
    method               = prm.get("Method");
    preconditioner       = prm.get("Preconditioner");
    relative_tolerance   = prm.get_double("Relative tolerance");
    absolute_tolerance   = prm.get_double("Absolute tolerance");
    max_iterations       = prm.get_integer("Maximum iterations");
    amg_strong_threshold = prm.get_double("AMG strong threshold");
    prm.leave_subsection();
  }

  namespace
  {
    const char *bc_section = "Boundary conditions";

    dealii::Tensor<1, 3>
    parse_vector(const std::string &text, const std::string &parameter)
    {
      const auto words = dealii::Utilities::split_string_list(text, ' ');
      std::vector<double> values;
      for (const auto &word : words)
        if (!word.empty())
          values.push_back(dealii::Utilities::string_to_double(word));
      if (values.size() != 3)
        throw InputError(bc_section,
                         parameter,
                         "expected three components 'x y z', got '" + text +
                             "'");
      return dealii::Tensor<1, 3>({values[0], values[1], values[2]});
    }

    /// @p vector (read from @p text) if its magnitude is at most @p limit
    /// [@p unit]; the bound and its reason are in the parameter's
    /// documentation.
    dealii::Tensor<1, 3>
    bounded(const dealii::Tensor<1, 3> &vector,
            const std::string          &text,
            const std::string          &parameter,
            const double                limit,
            const std::string          &unit)
    {
      if (!(vector.norm() <= limit))
        throw InputError(bc_section,
                         parameter,
                         "'" + text + "' has a magnitude of " +
                             dealii::Utilities::to_string(vector.norm()) + " " +
                             unit + "; at most " +
                             dealii::Utilities::to_string(limit) + " " + unit +
                             " are allowed (see the parameter's "
                             "documentation)");
      return vector;
    }

    // Pattern for "name: a b c, name: a b c".
    dealii::Patterns::Map
    vector_map_pattern()
    {
      return dealii::Patterns::Map(Selection(boundary_selection()),
                                   dealii::Patterns::List(Double(), 3, 3, " "),
                                   0,
                                   dealii::Patterns::Map::max_int_value,
                                   ",");
    }
  } // namespace

  void
  BoundaryConditionParameters::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Boundary conditions");
    prm.declare_entry(
        "Fixed",
        "distal: xyz",
        dealii::Patterns::Map(Selection(boundary_selection()),
                              dealii::Patterns::Anything(),
                              0,
                              dealii::Patterns::Map::max_int_value,
                              ","),
        "Boundaries whose listed displacement components are "
        "held at zero, as 'boundary: components, ...' with "
        "components any of x, y, z (e.g. 'distal: xyz, "
        "proximal: xy'). Boundaries: " +
            boundary_selection());
    prm.declare_entry("Prescribed displacement",
                      "",
                      vector_map_pattern(),
                      "Boundaries moved rigidly by a given displacement "
                      "vector, as 'boundary: ux uy uz, ...' [mm]. All three "
                      "components are prescribed. At most 100 mm in "
                      "magnitude: the mechanics are linear and small-strain, "
                      "and a bone segment is at most 1000 mm long.");
    prm.declare_entry("Total force",
                      "proximal: 0 0 -500",
                      vector_map_pattern(),
                      "Total force on a boundary, spread as a uniform "
                      "traction over its area, as 'boundary: Fx Fy Fz, ...' "
                      "[N]. Default: 500 N axial compression, as in many "
                      "ovine studies (mechanobiology.md 4). At most 50 kN "
                      "per boundary: gait loads a long bone with a few "
                      "times body weight (mechanobiology.md 4), so a larger "
                      "force is a typing error, not a load case.");
    prm.declare_entry("Total moment",
                      "",
                      vector_map_pattern(),
                      "Moment on a boundary about the centroid of its "
                      "load-bearing faces, as 'boundary: Mx My Mz, ...' "
                      "[N mm] in global axes: the in-plane components bend "
                      "(normal traction linear across the face), the normal "
                      "one twists (shear traction growing with the distance "
                      "from the centroid). The face must be a plane normal "
                      "to x, y or z. Scaled by the load schedule like "
                      "'Total force', with which it combines (e.g. "
                      "'proximal: 0 0 -500' and 'proximal: 5000 0 0' for "
                      "axial load with bending about x). At most 1e6 N mm "
                      "(1 kN m) per boundary, an order of magnitude above "
                      "the moments of gait on a long bone.");
    prm.declare_entry(
        "Load-bearing regions",
        "cortical, implant",
        dealii::Patterns::List(Selection(region_selection()),
                               0,
                               dealii::Patterns::List::max_int_value,
                               ","),
        "Regions through whose boundary faces 'Total force' and 'Elastic "
        "support' act, and over which the mean end displacement (construct "
        "stiffness) is measured: the load of a long bone passes through its "
        "cortex, not through the marrow at the cut. A boundary without such "
        "faces uses all its faces; empty means all faces everywhere.");
    prm.declare_entry("Elastic support",
                      "",
                      vector_map_pattern(),
                      "Springs that tie a boundary to the ground, as "
                      "'boundary: kx ky kz, ...' with the total stiffness "
                      "per direction [N/mm] spread uniformly over the face. "
                      "With the distal end held, a support on the proximal "
                      "end acts in parallel with the fracture: a lumped "
                      "fixation (a cast or brace ~80-300 N/mm axial, an "
                      "external fixator ~1000 N/mm; mechanobiology.md 4). "
                      "May share a boundary with 'Total force'.");
    prm.declare_entry(
        "Rotational support",
        "",
        vector_map_pattern(),
        "Bending and torsional stiffness of the springs of 'Elastic "
        "support' on a boundary, as 'boundary: kx ky kz, ...' about the "
        "global axes through the centroid of its load-bearing faces "
        "[N mm/rad]; the component along the face normal is torsion. "
        "Without it, uniform springs give what the face's own second "
        "moments give (k_axial I / A). With it, a spring on the face's "
        "best-fit rotation adds (or takes off) the difference; needs an "
        "'Elastic support' on the same boundary and a plane face normal to "
        "x, y or z, symmetric about its in-plane axes.");
    prm.declare_entry(
        "Symmetry",
        "",
        dealii::Patterns::List(Selection(boundary_selection()),
                               0,
                               dealii::Patterns::List::max_int_value,
                               ","),
        "Planes of symmetry of a half or quarter model, on which the "
        "normal displacement is zero (planes normal to x, y or z; at most "
        "one per axis). The mesh is then one half (quarter) of the body: "
        "'Total force', 'Total moment' and 'Elastic support' are given for "
        "the whole body, and forces, stiffnesses, areas and volumes are "
        "reported for it. Loads the mirror image would reverse (a force "
        "normal to a plane, a moment about an axis in it) are refused, as "
        "is 'Rotational support'.");
    prm.leave_subsection();
  }

  namespace
  {
    /// "boundary: k1 k2 k3, ..." of a support entry; stiffnesses must be
    /// positive or (unless @p positive) zero.
    std::map<Boundary, dealii::Tensor<1, 3>>
    parse_supports(ParameterHandler  &prm,
                   const std::string &entry,
                   const bool         positive)
    {
      std::map<Boundary, dealii::Tensor<1, 3>> supports;
      for (const auto &[name, vector] :
           split_map(prm.get(entry), ",", bc_section, entry))
      {
        const auto b = boundary_from_name(name, "Boundary conditions/" + entry);
        supports[b]  = parse_vector(vector, entry);
        for (unsigned int d = 0; d < 3; ++d)
          if (positive ? !(supports[b][d] > 0) : !(supports[b][d] >= 0))
            throw InputError(
                bc_section,
                entry,
                std::string("stiffnesses must ") +
                    (positive ? "be positive" : "not be negative") + ", got '" +
                    vector + "'");
      }
      return supports;
    }
  } // namespace

  void
  BoundaryConditionParameters::parse_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Boundary conditions");
    fixed.clear();
    for (const auto &[name, components] :
         split_map(prm.get("Fixed"), ",", bc_section, "Fixed"))
    {
      std::array<bool, 3> mask = {{false, false, false}};
      for (const char c : components)
        if (c == 'x' || c == 'y' || c == 'z')
          mask[c - 'x'] = true;
        else if (!std::isspace(static_cast<unsigned char>(c)))
          throw InputError(bc_section,
                           "Fixed",
                           "component list '" + components + "' of '" + name +
                               "' may only contain x, y and z");
      if (!(mask[0] || mask[1] || mask[2]))
        throw InputError(
            bc_section, "Fixed", "boundary '" + name + "' lists no component");
      fixed[boundary_from_name(name, "Boundary conditions/Fixed")] = mask;
    }
    displacement.clear();
    for (const auto &[name, vector] :
         split_map(prm.get("Prescribed displacement"),
                   ",",
                   bc_section,
                   "Prescribed displacement"))
      displacement[boundary_from_name(
          name, "Boundary conditions/Prescribed displacement")] =
          bounded(parse_vector(vector, "Prescribed displacement"),
                  vector,
                  "Prescribed displacement",
                  100,
                  "mm");
    force.clear();
    for (const auto &[name, vector] :
         split_map(prm.get("Total force"), ",", bc_section, "Total force"))
      force[boundary_from_name(name, "Boundary conditions/Total force")] =
          bounded(parse_vector(vector, "Total force"),
                  vector,
                  "Total force",
                  5e4,
                  "N");
    load_bearing_regions.clear();
    for (const auto &name : dealii::Utilities::split_string_list(
             prm.get("Load-bearing regions"), ','))
      load_bearing_regions.insert(
          region_from_name(name, "Boundary conditions/Load-bearing regions"));
    elastic_support = parse_supports(prm, "Elastic support", false);
    moment.clear();
    for (const auto &[name, vector] :
         split_map(prm.get("Total moment"), ",", bc_section, "Total moment"))
      moment[boundary_from_name(name, "Boundary conditions/Total moment")] =
          bounded(parse_vector(vector, "Total moment"),
                  vector,
                  "Total moment",
                  1e6,
                  "N mm");
    rotational_support = parse_supports(prm, "Rotational support", true);
    symmetry.clear();
    for (const auto &name :
         dealii::Utilities::split_string_list(prm.get("Symmetry"), ','))
      symmetry.push_back(
          boundary_from_name(name, "Boundary conditions/Symmetry"));
    prm.leave_subsection();
  }

  void
  BoundaryConditionParameters::check() const
  {
    std::map<Boundary, std::string> used;
    const auto claim = [&](const Boundary b, const std::string &kind)
    {
      const auto [it, inserted] = used.emplace(b, kind);
      if (!inserted)
        throw InputError(bc_section,
                         kind,
                         "boundary '" +
                             boundary_name(static_cast<unsigned int>(b)) +
                             "' already has a '" + it->second +
                             "' condition; give each boundary one kind");
    };
    for (const auto &entry : fixed)
      claim(entry.first, "Fixed");
    for (const auto &entry : displacement)
      claim(entry.first, "Prescribed displacement");
    for (const auto &entry : force)
      claim(entry.first, "Total force");
    for (const auto b : symmetry)
      claim(b, "Symmetry");
    // supports and moments act on a free end: never on a held boundary
    const auto refuse_held = [&](const auto        &entries,
                                 const std::string &kind,
                                 const std::string &what)
    {
      for (const auto &entry : entries)
        if (fixed.count(entry.first) || displacement.count(entry.first) ||
            std::find(symmetry.begin(), symmetry.end(), entry.first) !=
                symmetry.end())
          throw InputError(
              bc_section,
              kind,
              "boundary '" +
                  boundary_name(static_cast<unsigned int>(entry.first)) +
                  "' is held (fixed, displaced or symmetric); " + what);
    };
    refuse_held(elastic_support,
                "Elastic support",
                "a support may only share a boundary with 'Total force'");
    refuse_held(moment,
                "Total moment",
                "a moment may only share a boundary with 'Total force' and "
                "supports");
    for (const auto &entry : rotational_support)
      if (!elastic_support.count(entry.first))
        throw InputError(
            bc_section,
            "Rotational support",
            "boundary '" +
                boundary_name(static_cast<unsigned int>(entry.first)) +
                "' has no 'Elastic support': the rotational stiffness "
                "shapes the springs of that support, so give both");
    if (fixed.empty() && displacement.empty())
      throw InputError(bc_section,
                       "Fixed",
                       "no boundary is fixed or displaced, so the body could "
                       "move freely; fix at least one boundary (e.g. 'distal: "
                       "xyz')");
  }
} // namespace Ossify
