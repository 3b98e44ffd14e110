#ifndef OSSIFY_APP_CASE_SETUP_H
#define OSSIFY_APP_CASE_SETUP_H

#include "app/case_parameters.h"
#include "geometry/bone_mesh.h"
#include "healing/virtual_mechanical_test.h"
#include "mechanics/elasticity.h"

#include <deal.II/base/parameter_handler.h>

#include <memory>
#include <string>

namespace Ossify
{
  /**
   * A case read and set up, not yet solved: its parameters, the distributed
   * mesh and the mechanics with every quadrature point holding its region's
   * initial tissue. All input checks have run once the constructor returns,
   * so nothing has been written anywhere yet if it throws.
   */
  class CaseSetup
  {
  public:
    CaseSetup(const std::string &parameter_file, MPI_Comm communicator);

    dealii::ParameterHandler          prm;
    CaseParameters                    parameters;
    DistributedMesh                   mesh;
    std::unique_ptr<ElasticitySolver> mechanics;
    /// For a healing run that asks for it; else null.
    std::unique_ptr<VirtualMechanicalTest> virtual_test;
  };

  /// Young's modulus and Poisson's ratio of each region's initial tissue at
  /// every locally owned quadrature point of @p mechanics.
  void assign_initial_materials(ElasticitySolver     &mechanics,
                                const CaseParameters &parameters);
} // namespace Ossify

#endif
