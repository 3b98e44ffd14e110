#ifndef OSSIFY_IO_IN_SITU_H
#define OSSIFY_IO_IN_SITU_H

#include "io/field_output.h"

#include <memory>
#include <string>
#include <vector>

namespace Ossify
{
  /**
   * In-situ visualisation: hands the distributed mesh and its fields to an
   * analysis pipeline while the simulation runs, each rank its own cells,
   * with nothing gathered to one rank.
   */
  class InSituVisualisation
  {
  public:
    virtual ~InSituVisualisation() = default;

    /// Processes one step: the mesh of @p mechanics, its displacement as a
    /// point field and @p cell_fields (one value per active cell, locally
    /// owned cells filled).
    virtual void process(unsigned int                  day,
                         const ElasticitySolver       &mechanics,
                         const std::vector<CellField> &cell_fields,
                         bool                          last_day) = 0;
  };

  /// Whether this build of Ossify has the ParaView Catalyst adaptor.
  bool catalyst_available();

  /// How to get a build with Catalyst, for error messages.
  std::string catalyst_build_hint();

  /**
   * The ParaView Catalyst adaptor running @p parameters.scripts, with the
   * working directory @p output_directory (pipelines write their extracts
   * and images there). Throws InputError in a build without Catalyst or
   * when a pipeline script cannot be loaded, and ComputationError when
   * Catalyst itself cannot be initialised.
   */
  std::unique_ptr<InSituVisualisation>
  create_catalyst_adaptor(const CatalystParameters &parameters,
                          const std::string        &output_directory,
                          MPI_Comm                  communicator);
} // namespace Ossify

#endif
