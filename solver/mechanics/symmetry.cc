#include "mechanics/symmetry.h"

#include "base/input_error.h"

#include <string>

namespace Ossify
{
  namespace
  {
    std::string
    name_of(const Boundary b)
    {
      return boundary_name(static_cast<dealii::types::boundary_id>(b));
    }

    const char axis_name[] = "xyz";
  } // namespace

  void
  MirrorSymmetry::add_plane(const Boundary     boundary,
                            const unsigned int axis,
                            const double       position)
  {
    for (const auto &plane : planes_)
      if (plane.first == axis)
        throw InputError("Boundary conditions",
                         "Symmetry",
                         "two symmetry boundaries are normal to the same "
                         "axis (" +
                             name_of(boundary) +
                             " and another); a half or quarter model has "
                             "at most one plane per axis");
    planes_.emplace_back(axis, position);
    normal_axis[boundary] = axis;
  }

  dealii::Tensor<1, 3>
  MirrorSymmetry::whole_body_force(const dealii::Tensor<1, 3> &part,
                                   const Boundary              boundary) const
  {
    const auto         own         = normal_axis.find(boundary);
    const unsigned int except_axis = own == normal_axis.end() ? 3 : own->second;
    dealii::Tensor<1, 3> sum;
    for (unsigned int image = 0; image < images(); ++image)
    {
      dealii::Tensor<1, 3> force = part;
      bool                 skip  = false;
      for (unsigned int m = 0; m < planes_.size(); ++m)
        if (image & (1u << m))
        {
          skip |= planes_[m].first == except_axis;
          force[planes_[m].first] *= -1;
        }
      if (!skip)
        sum += force;
    }
    return sum;
  }

  double
  MirrorSymmetry::area_factor(const Boundary boundary) const
  {
    return normal_axis.count(boundary) ? images() / 2 : images();
  }

  void
  MirrorSymmetry::check_loads_are_symmetric(
      const BoundaryConditionParameters &bc) const
  {
    for (const auto &[axis, position] : planes_)
    {
      const std::string plane = std::string("the symmetry plane normal to ") +
                                axis_name[axis] +
                                ": a half or quarter model carries only "
                                "loads its mirror image repeats";
      for (const auto &[b, force] : bc.force)
        if (force[axis] != 0)
          throw InputError("Boundary conditions",
                           "Total force",
                           "the " + std::string(1, axis_name[axis]) +
                               " component on '" + name_of(b) +
                               "' would be mirrored into the opposite "
                               "force by " +
                               plane + "; set it to 0 or mesh the whole body");
      for (const auto &[b, moment] : bc.moment)
        for (unsigned int d = 0; d < 3; ++d)
          if (d != axis && moment[d] != 0)
            throw InputError(
                "Boundary conditions",
                "Total moment",
                "the moment about " + std::string(1, axis_name[d]) + " on '" +
                    name_of(b) +
                    "' would be mirrored into the opposite "
                    "moment by " +
                    plane + " (only the moment about " + axis_name[axis] +
                    " is allowed); set it to 0 or mesh the "
                    "whole body");
      for (const auto &[b, u] : bc.displacement)
        if (u[axis] != 0)
          throw InputError("Boundary conditions",
                           "Prescribed displacement",
                           "the " + std::string(1, axis_name[axis]) +
                               " component on '" + name_of(b) +
                               "' is not repeated by " + plane +
                               "; set it to 0 or mesh the whole body");
      for (const auto &[b, force] : bc.preload)
        if (force[axis] != 0)
          throw InputError("Fixation",
                           "Type",
                           "the fixation's preload on '" + name_of(b) +
                               "' is not repeated by " + plane);
    }
    if (!planes_.empty() && !bc.rotational_support.empty())
      throw InputError("Boundary conditions",
                       "Rotational support",
                       "is not available in a half or quarter model (a "
                       "'Symmetry' boundary): the rotation spring couples "
                       "the whole face; mesh the whole body");
  }
} // namespace Ossify
