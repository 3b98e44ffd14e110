#ifndef OSSIFY_BASE_QUADRATURE_POINT_DATA_H
#define OSSIFY_BASE_QUADRATURE_POINT_DATA_H

#include <deal.II/grid/tria.h>

#include <vector>

namespace Ossify
{
  /**
   * A value of type T at every quadrature point of every active cell,
   * addressed by (cell, q). Storage is indexed by the active cell index so
   * that lookups cost nothing; entries of cells this process does not own
   * are simply unused.
   */
  template <typename T>
  class QuadraturePointData
  {
  public:
    void
    reinit(const dealii::Triangulation<3> &mesh,
           const unsigned int              n_q_points,
           const T                        &initial = T())
    {
      n_q = n_q_points;
      data.assign(mesh.n_active_cells() * n_q_points, initial);
    }

    template <typename CellIterator>
    T &
    operator()(const CellIterator &cell, const unsigned int q)
    {
      return data[cell->active_cell_index() * n_q + q];
    }

    template <typename CellIterator>
    const T &
    operator()(const CellIterator &cell, const unsigned int q) const
    {
      return data[cell->active_cell_index() * n_q + q];
    }

    unsigned int
    n_quadrature_points() const
    {
      return n_q;
    }

    bool
    empty() const
    {
      return data.empty();
    }

  private:
    unsigned int   n_q = 0;
    std::vector<T> data;
  };
} // namespace Ossify

#endif
