// The ParaView Catalyst adaptor on the legacy vtkCP API (the one Debian's
// ParaView 5.11 ships). Each rank converts its own cells to a
// vtkUnstructuredGrid; the Python pipelines run in parallel on the pieces.
#include "base/input_error.h"
#include "io/in_situ.h"

#include <deal.II/base/mpi.h>

#include <vtkCPDataDescription.h>
#include <vtkCPInputDataDescription.h>
#include <vtkCPProcessor.h>
#include <vtkCPPythonPipeline.h>
#include <vtkCellData.h>
#include <vtkCellType.h>
#include <vtkDoubleArray.h>
#include <vtkFloatArray.h>
#include <vtkMPI.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkPoints.h>
#include <vtkSmartPointer.h>
#include <vtkUnstructuredGrid.h>

#include <filesystem>
#include <unordered_map>

namespace Ossify
{
  using namespace dealii;

  bool
  catalyst_available()
  {
    return true;
  }

  std::string
  catalyst_build_hint()
  {
    return "";
  }

  namespace
  {
    /// The channel name the pipelines' TrivialProducer must be registered
    /// with.
    constexpr const char *channel = "grid";

    /// deal.II numbers hexahedron vertices lexicographically, VTK
    /// counter-clockwise per face.
    constexpr unsigned int vtk_vertex_order[8] = {0, 1, 3, 2, 4, 5, 7, 6};

    vtkSmartPointer<vtkUnstructuredGrid>
    local_grid(const ElasticitySolver       &mechanics,
               const std::vector<CellField> &cell_fields)
    {
      const auto &dofs         = mechanics.dof_handler();
      const auto &displacement = mechanics.displacement();

      auto              grid = vtkSmartPointer<vtkUnstructuredGrid>::New();
      vtkNew<vtkPoints> points;
      points->SetDataTypeToDouble();
      vtkNew<vtkDoubleArray> point_displacement;
      point_displacement->SetName("displacement");
      point_displacement->SetNumberOfComponents(3);

      std::vector<vtkSmartPointer<vtkFloatArray>> arrays;
      for (const CellField &field : cell_fields)
      {
        arrays.push_back(vtkSmartPointer<vtkFloatArray>::New());
        arrays.back()->SetName(field.name.c_str());
      }

      // points are shared between the cells of this rank
      std::unordered_map<unsigned int, vtkIdType> point_of_vertex;
      for (const auto &cell : dofs.active_cell_iterators())
        if (cell->is_locally_owned())
        {
          vtkIdType ids[8];
          for (unsigned int k = 0; k < 8; ++k)
          {
            const unsigned int v = vtk_vertex_order[k];
            const auto [it, is_new] =
                point_of_vertex.try_emplace(cell->vertex_index(v), 0);
            if (is_new)
            {
              const Point<3> &x = cell->vertex(v);
              it->second        = points->InsertNextPoint(x[0], x[1], x[2]);
              double u[3];
              for (unsigned int c = 0; c < 3; ++c)
                u[c] = displacement(cell->vertex_dof_index(v, c));
              point_displacement->InsertNextTuple(u);
            }
            ids[k] = it->second;
          }
          grid->InsertNextCell(VTK_HEXAHEDRON, 8, ids);
          const unsigned int index = cell->active_cell_index();
          for (unsigned int f = 0; f < cell_fields.size(); ++f)
            arrays[f]->InsertNextValue(cell_fields[f].values[index]);
        }
      grid->SetPoints(points);
      grid->GetPointData()->AddArray(point_displacement);
      for (const auto &array : arrays)
        grid->GetCellData()->AddArray(array);
      return grid;
    }

    class CatalystAdaptor : public InSituVisualisation
    {
    public:
      CatalystAdaptor(const CatalystParameters &parameters,
                      const std::string        &output_directory,
                      const MPI_Comm            communicator)
          : communicator(communicator)
      {
        const std::string working_directory = output_directory + "/catalyst";
        std::string       error;
        if (Utilities::MPI::this_mpi_process(communicator) == 0)
        {
          std::error_code code;
          std::filesystem::create_directories(working_directory, code);
          if (code)
            error = code.message();
        }
        error = Utilities::MPI::broadcast(communicator, error, 0);
        if (!error.empty())
          throw ComputationError("cannot create the Catalyst directory '" +
                                 working_directory + "': " + error);

        vtkMPICommunicatorOpaqueComm opaque(&this->communicator);
        const int                    initialised =
            processor->Initialize(opaque, working_directory.c_str());
        if (Utilities::MPI::min(initialised, communicator) == 0)
          throw ComputationError("ParaView Catalyst failed to initialise");
        for (const std::string &script : parameters.scripts)
        {
          auto pipeline =
              vtkCPPythonPipeline::CreateAndInitializePipeline(script.c_str());
          // a script that fails to load must fail on every rank alike; ask
          // all of them so that none waits for the others
          const bool loaded =
              Utilities::MPI::min(pipeline ? 1 : 0, communicator) == 1;
          if (!loaded)
            throw InputError("Output/Catalyst",
                             "Scripts",
                             "the Catalyst pipeline '" + script +
                                 "' could not be loaded (the Python error is "
                                 "printed above); v2 scripts must start with "
                                 "'# script-version: 2'");
          processor->AddPipeline(pipeline);
        }
      }

      ~CatalystAdaptor() override
      {
        processor->Finalize();
      }

      void
      process(const unsigned int            day,
              const ElasticitySolver       &mechanics,
              const std::vector<CellField> &cell_fields,
              const bool                    last_day) override
      {
        vtkNew<vtkCPDataDescription> description;
        description->AddInput(channel);
        description->SetTimeData(day, day);
        if (last_day)
          description->ForceOutputOn();
        if (processor->RequestDataDescription(description) == 0)
          return;
        const auto grid = local_grid(mechanics, cell_fields);
        description->GetInputDescriptionByName(channel)->SetGrid(grid);
        // a pipeline may fail on one rank only (a writer on rank 0): all
        // ranks must stop together, or the others wait forever
        const int done = processor->CoProcess(description);
        if (Utilities::MPI::min(done, communicator) == 0)
          throw ComputationError("day " + std::to_string(day) +
                                 ": a ParaView Catalyst pipeline failed (its "
                                 "Python error is printed above)");
      }

    private:
      MPI_Comm               communicator;
      vtkNew<vtkCPProcessor> processor;
    };
  } // namespace

  std::unique_ptr<InSituVisualisation>
  create_catalyst_adaptor(const CatalystParameters &parameters,
                          const std::string        &output_directory,
                          const MPI_Comm            communicator)
  {
    return std::make_unique<CatalystAdaptor>(
        parameters, output_directory, communicator);
  }
} // namespace Ossify
