#ifndef OSSIFY_IO_FIELD_OUTPUT_H
#define OSSIFY_IO_FIELD_OUTPUT_H

#include "base/quadrature_point_data.h"
#include "mechanics/elasticity.h"

#include <deal.II/base/parameter_handler.h>
#include <deal.II/lac/vector.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace Ossify
{
  /// Section "Output/Catalyst": in-situ visualisation with ParaView.
  struct CatalystParameters
  {
    bool enable = false;
    /// absolute paths of the Catalyst Python pipelines
    std::vector<std::string> scripts;
    /// days between two calls of the pipelines; the last day always runs
    unsigned int interval = 7;

    static void declare_parameters(dealii::ParameterHandler &prm);
    /// Script paths are relative to @p prm_directory. Throws InputError for
    /// a missing script, or when this build has no Catalyst.
    void parse_parameters(dealii::ParameterHandler &prm,
                          const std::string        &prm_directory);
  };

  /// Section "Output".
  struct OutputParameters
  {
    bool               write_fields;
    unsigned int       files_per_step;
    CatalystParameters catalyst;

    static void declare_parameters(dealii::ParameterHandler &prm);
    void        parse_parameters(dealii::ParameterHandler &prm,
                                 const std::string        &prm_directory);
  };

  /// Extra cell-wise fields a caller adds to a step (e.g. tissue fractions).
  struct CellField
  {
    std::string           name;
    dealii::Vector<float> values; ///< one value per active cell
  };

  class InSituVisualisation;

  /**
   * The cell-wise fields every output shows: the cell averages of the strain
   * measures, pressure, von Mises stress and Young's modulus, the region and
   * the owning MPI rank. Only locally owned cells are filled.
   */
  std::vector<CellField> mechanical_cell_fields(
      const ElasticitySolver                          &mechanics,
      const QuadraturePointData<MechanicalPointState> &states);

  /**
   * Writes the fields of each output step as one .pvtu record whose data
   * lie in at most "Files per step" .vtu files (MPI-IO groups, so that many
   * ranks do not make many files), and keeps solution.pvd, the time series
   * ParaView opens, up to date after every step.
   */
  class FieldOutput
  {
  public:
    FieldOutput(const std::string      &output_directory,
                const OutputParameters &parameters,
                MPI_Comm                communicator);
    ~FieldOutput();

    /// Continues the series of an earlier run: keeps the records of
    /// solution.pvd before day @p first_day.
    void resume(unsigned int first_day);

    /// Whether day @p day has Catalyst work to do (every "Interval" days).
    bool catalyst_due(unsigned int day) const;

    /**
     * Writes displacement and the mechanical_cell_fields() plus
     * @p extra_fields: as VTK files if @p write_files (and "Write fields"
     * is on), and to the Catalyst pipelines if they are enabled and
     * catalyst_due(@p day) or @p last_day.
     */
    void write(unsigned int                                     day,
               const ElasticitySolver                          &mechanics,
               const QuadraturePointData<MechanicalPointState> &states,
               const std::vector<CellField>                    &extra_fields,
               bool                                             write_files,
               bool                                             last_day);

  private:
    std::string                                 directory;
    OutputParameters                            parameters;
    MPI_Comm                                    communicator;
    std::vector<std::pair<double, std::string>> records;
    std::unique_ptr<InSituVisualisation>        catalyst;
  };
} // namespace Ossify

#endif
