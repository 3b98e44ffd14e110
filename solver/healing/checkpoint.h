#ifndef OSSIFY_HEALING_CHECKPOINT_H
#define OSSIFY_HEALING_CHECKPOINT_H

#include "base/quadrature_point_data.h"
#include "healing/outcome_table.h"
#include "healing/tissue_state.h"

#include <deal.II/base/parameter_handler.h>
#include <deal.II/distributed/tria.h>
#include <deal.II/grid/cell_id.h>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace Ossify
{
  /**
   * What a checkpoint must agree with for a run to continue from it: the
   * mesh, the layout of the state in the files, and every parameter that
   * shapes the state. A restart may change only how long the run goes on
   * and how it is solved and written (see restartable_parameter()).
   */
  struct CheckpointFingerprint
  {
    std::size_t n_cells = 0;
    /// order-independent hash of every active cell's id, region and
    /// vertices (to 1e-6 mm), the same on any number of ranks
    std::string mesh_hash;
    /// finite element degree, quadrature points per cell, the size of the
    /// binary tissue state and the number of tissues
    std::string layout;
    /// "Section/Subsection/Name = value" of every parameter that a
    /// restart must not change, sorted
    std::vector<std::string> parameters;
  };

  /// The fingerprint of a case set up on @p mesh (collective).
  CheckpointFingerprint
  fingerprint_of(const dealii::parallel::distributed::Triangulation<3> &mesh,
                 const dealii::ParameterHandler                        &prm,
                 unsigned int                                           degree,
                 unsigned int n_quadrature_points);

  /// Whether a restart may change the parameter at @p path ("Section/Name"):
  /// the number of days, the checkpoint and output intervals, the output
  /// directory and settings, and the linear solver.
  bool restartable_parameter(const std::string &path);

  /// Where a healing run stopped.
  struct CheckpointHeader
  {
    unsigned int format_version = 0;
    std::string  case_name;
    unsigned int next_day     = 0; ///< the first day still to compute
    double       wall_seconds = 0; ///< run time up to the checkpoint [s]
    unsigned int n_ranks      = 1; ///< ranks that wrote it
    std::size_t  n_cells      = 0; ///< global active cells of the mesh
    std::string  mesh_hash{};
    std::string  layout{};
    /// crc32 and size [bytes] of every other file of the checkpoint
    std::map<std::string, std::pair<std::uint32_t, std::uint64_t>> files{};
  };

  /// What a checkpoint holds besides the header.
  struct CheckpointData
  {
    /// the tissue state at the quadrature points of each cell
    std::map<dealii::CellId, std::vector<TissueState>> tissue;
    /// the stem-cell concentration at the DoFs of each cell
    std::map<dealii::CellId, std::vector<double>> stem_cells;
    /// the healing outcomes of days 0 .. next_day - 1
    OutcomeTable outcomes;
  };

  /// A checkpoint read, verified and accepted: what a restart starts from.
  struct RestartPoint
  {
    CheckpointHeader header;
    CheckpointData   data;
  };

  /**
   * Saves and restores the state of a healing run in
   * <output directory>/checkpoint/, so that a long run can continue after
   * it was stopped, or be extended by more days, on any number of ranks:
   * each rank writes its own cells keyed by their CellId, and on restart
   * every rank picks its cells out of all files.
   *
   * A checkpoint cannot lie: its header carries a format version, the
   * fingerprint of the run and a crc32 and size of every file, and itself
   * ends with its own crc32. Reading checks all of them, and the records'
   * days, before anything is used, and refuses a mismatch with one message
   * naming the file and what differs. A new checkpoint is written to a
   * staging directory beside the old one and replaces it only when
   * complete; a failed write removes the staging directory and leaves the
   * old checkpoint as it was.
   */
  class Checkpoint
  {
  public:
    /// The format written; older or newer ones are refused. 3: the records
    /// end with the virtual mechanical test's stiffness. 4: the records are
    /// the outcome table, its column names first; no stimulus (each day
    /// computes its own before its output).
    static constexpr unsigned int format_version = 4;

    Checkpoint(const std::string &output_directory, MPI_Comm communicator);

    /// Writes the locally owned part of @p data (collective). Throws
    /// OutputError naming the file if a write fails.
    void
    write(const CheckpointHeader                                &header,
          const CheckpointData                                  &data,
          const CheckpointFingerprint                           &fingerprint,
          const dealii::parallel::distributed::Triangulation<3> &mesh) const;

    /// Reads and checks the header; throws InputError if there is no
    /// checkpoint or the header is damaged or of another format.
    CheckpointHeader read_header() const;

    /// Reads the cells of @p mesh that this rank owns, and the records,
    /// after checking every file against the header and the header against
    /// @p expected (collective). Throws InputError on any mismatch.
    RestartPoint
    read(const dealii::parallel::distributed::Triangulation<3> &mesh,
         const CheckpointFingerprint                           &expected) const;

    /// The checkpoint directory.
    const std::string &
    path() const
    {
      return directory;
    }

  private:
    std::string directory;
    MPI_Comm    communicator;
  };
} // namespace Ossify

#endif
