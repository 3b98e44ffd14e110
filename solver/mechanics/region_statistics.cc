#include "mechanics/region_statistics.h"

#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_values.h>

namespace Ossify
{
  std::map<Region, RegionStrainStatistics>
  compute_region_statistics(
      const ElasticitySolver                          &mechanics,
      const QuadraturePointData<MechanicalPointState> &states)
  {
    // Sums per region id: volume, four integrals, and a maximum.
    const unsigned int  n_regions = region_names().size() + 1;
    std::vector<double> sums(5 * n_regions, 0.), maxima(n_regions, 0.);

    const dealii::FE_Q<3> fe(1);
    dealii::FEValues<3>   fe_values(
        fe, mechanics.quadrature(), dealii::update_JxW_values);
    for (const auto &cell : mechanics.dof_handler().active_cell_iterators())
      if (cell->is_locally_owned() && cell->material_id() < n_regions)
      {
        fe_values.reinit(dealii::Triangulation<3>::cell_iterator(cell));
        double *s = &sums[5 * cell->material_id()];
        for (const unsigned int q : fe_values.quadrature_point_indices())
        {
          const StrainMeasures &m   = states(cell, q).measures;
          const double          JxW = fe_values.JxW(q);
          s[0] += JxW;
          s[1] += m.octahedral_shear_strain * JxW;
          s[2] += m.hydrostatic_pressure * JxW;
          s[3] += m.max_abs_principal_strain() * JxW;
          maxima[cell->material_id()] =
              std::max(maxima[cell->material_id()], m.octahedral_shear_strain);
        }
      }
    const MPI_Comm comm = mechanics.dof_handler().get_communicator();
    MPI_Allreduce(
        MPI_IN_PLACE, sums.data(), sums.size(), MPI_DOUBLE, MPI_SUM, comm);
    MPI_Allreduce(
        MPI_IN_PLACE, maxima.data(), maxima.size(), MPI_DOUBLE, MPI_MAX, comm);

    std::map<Region, RegionStrainStatistics> result;
    for (unsigned int id = 1; id < n_regions; ++id)
      if (sums[5 * id] > 0)
      {
        const double           volume = sums[5 * id];
        RegionStrainStatistics r;
        // the whole body's volume in a half or quarter model
        r.volume                        = volume * mechanics.mirror_images();
        r.mean_octahedral_shear_strain  = sums[5 * id + 1] / volume;
        r.mean_hydrostatic_pressure     = sums[5 * id + 2] / volume;
        r.mean_max_abs_principal        = sums[5 * id + 3] / volume;
        r.max_octahedral_shear_strain   = maxima[id];
        result[static_cast<Region>(id)] = r;
      }
    return result;
  }
} // namespace Ossify
