#ifndef OSSIFY_HEALING_CHECKPOINT_H
#define OSSIFY_HEALING_CHECKPOINT_H

#include "base/quadrature_point_data.h"
#include "healing/healing_simulation.h"
#include "healing/tissue_state.h"

#include <deal.II/distributed/tria.h>
#include <deal.II/grid/cell_id.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace Ossify
{
  /// Where a healing run stopped.
  struct CheckpointHeader
  {
    std::string  case_name;
    unsigned int next_day     = 0; ///< the first day still to compute
    double       wall_seconds = 0; ///< run time up to the checkpoint [s]
    unsigned int n_ranks      = 1; ///< ranks that wrote it
    std::size_t  n_cells      = 0; ///< global active cells of the mesh
    /// the rule and the evolving regions: a restart must not change them
    std::string rule;
    std::string evolving_regions;
  };

  /// "gap,periosteal_callus,..." for the header.
  std::string region_list(const std::set<Region> &regions);

  /// What a checkpoint holds besides the header.
  struct CheckpointData
  {
    /// the tissue state at the quadrature points of each cell
    std::map<dealii::CellId, std::vector<TissueState>> tissue;
    /// the stem-cell concentration at the DoFs of each cell
    std::map<dealii::CellId, std::vector<double>> stem_cells;
    /// the rule's stimulus at the quadrature points of each cell (output of
    /// the restart day shows the stimulus of the day before, as a straight
    /// run would)
    std::map<dealii::CellId, std::vector<double>> stimulus;
    /// the healing outcomes of the days computed so far
    std::vector<DayRecord> records;
  };

  /**
   * Saves and restores the state of a healing run in
   * <output directory>/checkpoint/, so that a long run can continue after
   * it was stopped, or be extended by more days, on any number of ranks:
   * each rank writes its own cells keyed by their CellId, and on restart
   * every rank picks its cells out of all files. A new checkpoint is
   * written beside the old one and replaces it only when complete.
   */
  class Checkpoint
  {
  public:
    Checkpoint(const std::string &output_directory, MPI_Comm communicator);

    /// Writes the locally owned part of @p data (collective).
    void
    write(const CheckpointHeader                                &header,
          const CheckpointData                                  &data,
          const dealii::parallel::distributed::Triangulation<3> &mesh) const;

    /// Reads the header; throws InputError if there is no checkpoint.
    CheckpointHeader read_header() const;

    /// Reads the cells of @p mesh that this rank owns, and the records.
    /// Throws InputError if the checkpoint does not fit the mesh.
    CheckpointData
    read(const dealii::parallel::distributed::Triangulation<3> &mesh) const;

  private:
    std::string directory;
    MPI_Comm    communicator;
  };
} // namespace Ossify

#endif
