#ifndef OSSIFY_MECHANICS_SYMMETRY_H
#define OSSIFY_MECHANICS_SYMMETRY_H

#include "geometry/regions.h"
#include "mechanics/mechanics_parameters.h"

#include <deal.II/base/tensor.h>

#include <map>
#include <utility>
#include <vector>

namespace Ossify
{
  /**
   * The symmetry planes of a half (one plane) or quarter (two planes)
   * model. The mesh is then one part of the body, whose mirror images in
   * the planes make the whole; loads are given for the whole body and
   * areas, forces and stiffnesses are reported for it. This class knows
   * the planes and how a quantity of the meshed part becomes the whole
   * body's; the operators that integrate over the mesh ask it.
   */
  class MirrorSymmetry
  {
  public:
    /// Adds the plane of @p boundary, normal to @p axis at @p position
    /// [mm]. Throws InputError if a plane normal to that axis exists.
    void add_plane(Boundary boundary, unsigned int axis, double position);

    /// How many copies of the mesh make the whole body: 2 per plane.
    unsigned int
    images() const
    {
      return 1u << planes_.size();
    }

    bool
    empty() const
    {
      return planes_.empty();
    }

    /// (normal axis, position [mm]) of each plane.
    const std::vector<std::pair<unsigned int, double>> &
    planes() const
    {
      return planes_;
    }

    /// Symmetry boundary -> the displacement component normal to it, which
    /// the plane holds.
    const std::map<Boundary, unsigned int> &
    held_components() const
    {
      return normal_axis;
    }

    /// The force on the whole body's boundary from the force @p part on
    /// the boundary of the meshed part, @p boundary: the sum of its mirror
    /// images, leaving out those in the boundary's own plane if it is a
    /// symmetry boundary (the force the other half exerts through it).
    dealii::Tensor<1, 3> whole_body_force(const dealii::Tensor<1, 3> &part,
                                          Boundary boundary) const;

    /// The factor from an area of @p boundary on the mesh to the whole
    /// body's: a symmetry plane is its own image in its plane and is
    /// repeated by the others only.
    double area_factor(Boundary boundary) const;

    /// Throws InputError, naming the parameter, for a load that a plane
    /// would mirror into a different one (a component antisymmetric about
    /// it), and for a rotational support, which couples a whole face.
    void check_loads_are_symmetric(const BoundaryConditionParameters &bc) const;

  private:
    std::vector<std::pair<unsigned int, double>> planes_;
    std::map<Boundary, unsigned int>             normal_axis;
  };
} // namespace Ossify

#endif
