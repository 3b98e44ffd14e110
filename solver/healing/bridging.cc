#include "healing/bridging.h"

#include <deal.II/base/mpi.h>
#include <deal.II/grid/grid_tools.h>

namespace Ossify
{
  using namespace dealii;

  bool
  bony_bridge_exists(const DistributedMesh     &mesh,
                     const std::vector<double> &cell_modulus,
                     const double               threshold,
                     const std::set<Region>    &bridging_regions)
  {
    using Cell          = DistributedMesh::active_cell_iterator;
    const auto cortical = static_cast<types::material_id>(Region::cortical);
    const auto passable = [&](const Cell &cell)
    {
      return cell->material_id() == cortical ||
             (bridging_regions.count(
                  static_cast<Region>(cell->material_id())) &&
              cell_modulus[cell->active_cell_index()] >= threshold);
    };

    std::vector<char> reached(mesh.n_active_cells(), 0);
    for (const auto &cell : mesh.active_cell_iterators())
      if (cell->is_locally_owned() && cell->material_id() == cortical &&
          cell->center()[2] > 0)
        reached[cell->active_cell_index()] = 1;

    const auto neighbour_reached = [&](const Cell &cell)
    {
      for (const unsigned int f : cell->face_indices())
      {
        if (cell->at_boundary(f))
          continue;
        const auto neighbor = cell->neighbor(f);
        if (neighbor->has_children())
        {
          for (unsigned int sf = 0; sf < cell->face(f)->n_children(); ++sf)
            if (reached[cell->neighbor_child_on_subface(f, sf)
                            ->active_cell_index()])
              return true;
        }
        else if (reached[neighbor->active_cell_index()])
          return true;
      }
      return false;
    };

    const auto exchange = [&]()
    {
      GridTools::exchange_cell_data_to_ghosts<char, DistributedMesh>(
          mesh,
          [&](const Cell &cell) -> std_cxx17::optional<char>
          { return reached[cell->active_cell_index()]; },
          [&](const Cell &cell, const char value)
          { reached[cell->active_cell_index()] = value; });
    };
    // the seeds must be visible to the neighbouring ranks before the first
    // sweep, or a front that starts at a partition boundary never moves
    exchange();
    bool changed_anywhere = true;
    while (changed_anywhere)
    {
      bool changed = false;
      for (bool sweep_changed = true; sweep_changed;)
      {
        sweep_changed = false;
        for (const auto &cell : mesh.active_cell_iterators())
          if (cell->is_locally_owned() && !reached[cell->active_cell_index()] &&
              passable(cell) && neighbour_reached(cell))
          {
            reached[cell->active_cell_index()] = 1;
            sweep_changed = changed = true;
          }
      }
      exchange();
      changed_anywhere =
          Utilities::MPI::logical_or(changed, mesh.get_communicator());
    }

    bool bridged = false;
    for (const auto &cell : mesh.active_cell_iterators())
      if (cell->is_locally_owned() && cell->material_id() == cortical &&
          cell->center()[2] < 0 && reached[cell->active_cell_index()])
        bridged = true;
    return Utilities::MPI::logical_or(bridged, mesh.get_communicator());
  }
} // namespace Ossify
