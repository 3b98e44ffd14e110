#ifndef OSSIFY_IO_FIELD_OUTPUT_H
#define OSSIFY_IO_FIELD_OUTPUT_H

#include "base/quadrature_point_data.h"
#include "mechanics/elasticity.h"

#include <deal.II/base/parameter_handler.h>
#include <deal.II/lac/vector.h>

#include <string>
#include <utility>
#include <vector>

namespace Ossify
{
  /// Section "Output".
  struct OutputParameters
  {
    bool         write_fields;
    unsigned int files_per_step;

    static void declare_parameters(dealii::ParameterHandler &prm);
    void        parse_parameters(dealii::ParameterHandler &prm);
  };

  /// Extra cell-wise fields a caller adds to a step (e.g. tissue fractions).
  struct CellField
  {
    std::string           name;
    dealii::Vector<float> values; ///< one value per active cell
  };

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

    /// Writes displacement, the cell averages of the strain measures,
    /// Young's modulus, region and MPI rank, plus @p extra_fields.
    void write(double                                           time,
               const ElasticitySolver                          &mechanics,
               const QuadraturePointData<MechanicalPointState> &states,
               const std::vector<CellField> &extra_fields = {});

  private:
    std::string                                 directory;
    OutputParameters                            parameters;
    MPI_Comm                                    communicator;
    std::vector<std::pair<double, std::string>> records;
  };
} // namespace Ossify

#endif
