#include "mechanics/fragment_modes.h"

#include "geometry/regions.h"

#include <deal.II/base/array_view.h>
#include <deal.II/base/mpi.h>
#include <deal.II/base/quadrature.h>
#include <deal.II/fe/fe_values.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <utility>

namespace Ossify
{
  using namespace dealii;

  std::map<types::global_dof_index, DofLocation>
  owned_dof_locations(const DoFHandler<3> &dofs)
  {
    const auto                          &fe         = dofs.get_fe();
    const IndexSet                       owned_dofs = dofs.locally_owned_dofs();
    FEValues<3>                          support(fe,
                        Quadrature<3>(fe.get_unit_support_points()),
                        update_quadrature_points);
    std::vector<types::global_dof_index> indices(fe.n_dofs_per_cell());
    std::map<types::global_dof_index, DofLocation> owned;
    for (const auto &cell : dofs.active_cell_iterators())
      if (cell->is_locally_owned())
      {
        support.reinit(cell);
        cell->get_dof_indices(indices);
        for (unsigned int i = 0; i < indices.size(); ++i)
          if (owned_dofs.is_element(indices[i]))
            owned[indices[i]] = {support.quadrature_point(i),
                                 fe.system_to_component_index(i).first};
      }
    return owned;
  }

  std::vector<PETScWrappers::MPI::Vector>
  fragment_rigid_body_modes(
      const DoFHandler<3>                                  &dofs,
      const AffineConstraints<double>                      &constraints,
      const std::map<types::global_dof_index, DofLocation> &owned,
      const IndexSet                                       &locally_owned_dofs,
      const MPI_Comm                                        communicator)
  {
    // The plane that separates the fragments: midway across the gap. From
    // the extreme vertices, not a sum, so that it is the same to the last
    // bit on any number of ranks (nodes can lie on it).
    const auto gap      = static_cast<types::material_id>(Region::gap);
    double     low_gap  = std::numeric_limits<double>::max();
    double     high_gap = std::numeric_limits<double>::lowest();
    for (const auto &cell : dofs.active_cell_iterators())
      if (cell->is_locally_owned() && cell->material_id() == gap)
        for (const auto v : cell->vertex_indices())
        {
          low_gap  = std::min(low_gap, cell->vertex(v)[2]);
          high_gap = std::max(high_gap, cell->vertex(v)[2]);
        }
    low_gap  = Utilities::MPI::min(low_gap, communicator);
    high_gap = Utilities::MPI::max(high_gap, communicator);
    if (!(low_gap <= high_gap))
      return {}; // no gap: an intact bone
    const double split = 0.5 * (low_gap + high_gap);
    const auto   side  = [split](const Point<3> &p)
    { return p[2] >= split ? 0u : 1u; };

    // each side's centroid and size, so that the rotations about it are
    // fields of the same magnitude as the translations
    std::vector<double> local_sums(8, 0.);
    for (const auto &[index, location] : owned)
      if (location.component == 0)
      {
        const unsigned int s = side(location.point);
        for (unsigned int d = 0; d < 3; ++d)
          local_sums[4 * s + d] += location.point[d];
        local_sums[4 * s + 3] += 1;
      }
    std::vector<double> sums(8);
    Utilities::MPI::sum(make_array_view(std::as_const(local_sums)),
                        communicator,
                        make_array_view(sums));
    std::array<Point<3>, 2> centre;
    for (unsigned int s = 0; s < 2; ++s)
      for (unsigned int d = 0; d < 3; ++d)
        centre[s][d] =
            sums[4 * s + 3] > 0 ? sums[4 * s + d] / sums[4 * s + 3] : 0.;
    double radius = 0;
    for (const auto &[index, location] : owned)
      radius = std::max(radius,
                        location.point.distance(centre[side(location.point)]));
    radius = std::max(Utilities::MPI::max(radius, communicator), 1e-300);

    std::vector<PETScWrappers::MPI::Vector> modes(
        12, PETScWrappers::MPI::Vector(locally_owned_dofs, communicator));
    for (const auto &[index, location] : owned)
    {
      if (constraints.is_constrained(index))
        continue;
      const unsigned int s = side(location.point);
      const unsigned int c = location.component;
      const Tensor<1, 3> r = (location.point - centre[s]) / radius;
      // translation along c
      modes[6 * s + c](index) = 1.;
      // rotation about axis a: (e_a x r)_c
      for (unsigned int a = 0; a < 3; ++a)
      {
        Tensor<1, 3> axis;
        axis[a]                     = 1.;
        modes[6 * s + 3 + a](index) = cross_product_3d(axis, r)[c];
      }
    }
    for (auto &mode : modes)
      mode.compress(VectorOperation::insert);
    return modes;
  }
} // namespace Ossify
