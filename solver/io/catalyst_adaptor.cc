// The ParaView Catalyst adaptor on the legacy vtkCP API (the one Debian's
// ParaView 5.11 ships). Each rank converts its own cells to a
// vtkUnstructuredGrid; the Python pipelines run in parallel on the pieces.
//
// This file is the loadable module libossify_catalyst, opened by
// io/catalyst_loader.cc only when a case enables Catalyst: see there why.
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

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <unordered_map>

namespace Ossify
{
  using namespace dealii;

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

    /**
     * Catches what ParaView's Python writes to the standard error stream
     * (file descriptor 2) while it runs a pipeline: a failing script prints
     * a traceback of dozens of lines, on every rank. The traceback belongs
     * in run.log; the terminal gets one line that names the script.
     */
    class StderrCapture
    {
    public:
      StderrCapture()
      {
        std::cerr.flush();
        std::fflush(stderr);
        file  = std::tmpfile();
        saved = file ? dup(STDERR_FILENO) : -1;
        if (saved >= 0)
          dup2(fileno(file), STDERR_FILENO);
      }

      /// Restores the stream and returns what was written to it.
      std::string
      release()
      {
        std::string text;
        if (saved >= 0)
        {
          std::cerr.flush();
          std::fflush(stderr);
          dup2(saved, STDERR_FILENO);
          close(saved);
          saved = -1;
          std::rewind(file);
          char        buffer[4096];
          std::size_t n;
          while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0)
            text.append(buffer, n);
        }
        if (file)
          std::fclose(file);
        file = nullptr;
        return text;
      }

      ~StderrCapture()
      {
        release();
      }

    private:
      std::FILE *file  = nullptr;
      int        saved = -1;
    };

    /// "script.py, line 3: SyntaxError: '(' was never closed" from a
    /// Python traceback: the last frame in one of @p scripts and the
    /// exception line; "" if @p text holds no traceback.
    std::string
    python_error(const std::string              &text,
                 const std::vector<std::string> &scripts)
    {
      if (text.find("Traceback (most recent call last)") == std::string::npos)
      {
        // no Python exception, but VTK may have reported an error (a
        // writer that could not write): "... ERR| message"
        std::istringstream lines(text);
        std::string        line;
        while (std::getline(lines, line))
        {
          const auto at = line.find("ERR| ");
          if (at != std::string::npos)
            // without the terminal's colour codes
            return (scripts.size() == 1 ? scripts.front()
                                        : std::string("one of the pipelines")) +
                   ": a VTK filter or writer failed (a writer on a full disk "
                   "or past a file-size limit?): " +
                   std::regex_replace(
                       line.substr(at + 5), std::regex("\x1b\\[[0-9;]*m"), "");
        }
        return "";
      }
      static const std::regex frame(R"re(File "([^"]+)", line (\d+))re");
      static const std::regex exception(
          R"re(^([A-Za-z_][A-Za-z0-9_.]*(Error|Exception|Exit|Interrupt|Warning)|Exception)(:.*)?$)re");
      std::string        where, what;
      std::istringstream lines(text);
      std::string        line;
      while (std::getline(lines, line))
      {
        std::smatch match;
        if (std::regex_search(line, match, frame))
          for (const std::string &script : scripts)
          {
            std::error_code code;
            if (std::filesystem::equivalent(match[1].str(), script, code))
              where = script + ", line " + match[2].str();
          }
        if (std::regex_match(line, exception))
          what = line;
      }
      if (where.empty())
        where = scripts.size() == 1 ? scripts.front()
                                    : std::string("one of the pipelines");
      return where + ": " + (what.empty() ? "a Python error" : what);
    }

    class CatalystAdaptor : public InSituVisualisation
    {
    public:
      CatalystAdaptor(const CatalystParameters &parameters,
                      const std::string        &output_directory,
                      const MPI_Comm            communicator)
          : communicator(communicator)
          , scripts(parameters.scripts)
          , log_file(output_directory + "/run.log")
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

        // A script that calls sys.exit() would end the whole process
        // without a word: Python exits on an uncaught SystemExit unless it
        // runs in inspect mode, where it reports it like any exception.
        setenv("PYTHONINSPECT", "1", 0);
        vtkMPICommunicatorOpaqueComm opaque(&this->communicator);
        const int                    initialised =
            processor->Initialize(opaque, working_directory.c_str());
        if (Utilities::MPI::min(initialised, communicator) == 0)
          throw ComputationError("ParaView Catalyst failed to initialise");
        for (const std::string &script : parameters.scripts)
        {
          StderrCapture capture;
          auto          pipeline =
              vtkCPPythonPipeline::CreateAndInitializePipeline(script.c_str());
          const std::string python = to_log(capture.release());
          // a script that fails to load must fail on every rank alike; ask
          // all of them so that none waits for the others
          const bool loaded =
              Utilities::MPI::min(pipeline ? 1 : 0, communicator) == 1;
          // a legacy script that raises on import still gives a pipeline:
          // its Python error decides too (the same on every rank)
          if (!loaded || !python.empty())
            throw ComputationError(
                "the Catalyst pipeline '" + script +
                "' (section 'Output/Catalyst', parameter 'Scripts') could "
                "not be loaded" +
                (python.empty() ? "" : ": " + python) +
                ". Catalyst v2 scripts start with '# script-version: 2'. "
                "The Python messages are in " +
                log_file);
          processor->AddPipeline(pipeline);
        }
      }

      ~CatalystAdaptor() override
      {
        // pipelines that failed may print again as they are finalised; this
        // runs while an error unwinds, so no collective call: each rank's
        // text stays local, rank 0's goes to run.log
        StderrCapture capture;
        processor->Finalize();
        const std::string text = capture.release();
        if (!text.empty() &&
            Utilities::MPI::this_mpi_process(communicator) == 0)
          std::ofstream(log_file, std::ios::app)
              << "ParaView Catalyst, finalising:\n"
              << text << (text.back() == '\n' ? "" : "\n");
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
        const auto failure = [&](const std::string &python)
        {
          return ComputationError(
              "day " + std::to_string(day) +
              ": a ParaView Catalyst pipeline (section 'Output/Catalyst', "
              "parameter 'Scripts') failed: " +
              python + ". The Python messages are in " + log_file);
        };
        // a legacy (v1) script is imported here, and fails here
        StderrCapture asking;
        const bool    wanted = processor->RequestDataDescription(description);
        const std::string python_asking = to_log(asking.release());
        if (!python_asking.empty())
          throw failure(python_asking);
        if (!wanted)
          return;
        const auto grid = local_grid(mechanics, cell_fields);
        description->GetInputDescriptionByName(channel)->SetGrid(grid);
        // a pipeline may fail on one rank only (a writer on rank 0): all
        // ranks must stop together, or the others wait forever
        StderrCapture     running;
        const int         done   = processor->CoProcess(description);
        const std::string python = to_log(running.release());
        if (!python.empty())
          throw failure(python);
        const auto done_on = Utilities::MPI::all_gather(communicator, done);
        for (unsigned int rank = 0; rank < done_on.size(); ++rank)
          if (done_on[rank] == 0)
            // ParaView prints the Python errors of rank 0 only
            throw failure(
                (scripts.size() == 1 ? scripts.front()
                                     : std::string("one of the pipelines")) +
                ": failed on rank " + std::to_string(rank) +
                ", whose Python errors ParaView does not print (run on one "
                "rank to see it)");
      }

    private:
      /// Adds @p text (every rank's) to run.log, and returns the first
      /// Python error in it on any rank, the same on all of them.
      std::string
      to_log(const std::string &text) const
      {
        const auto texts = Utilities::MPI::gather(communicator, text, 0);
        if (Utilities::MPI::this_mpi_process(communicator) == 0)
        {
          std::ofstream log(log_file, std::ios::app);
          for (unsigned int rank = 0; rank < texts.size(); ++rank)
            if (!texts[rank].empty())
              log << "ParaView Catalyst, rank " << rank << ":\n"
                  << texts[rank] << (texts[rank].back() == '\n' ? "" : "\n");
        }
        for (const std::string &error : Utilities::MPI::all_gather(
                 communicator, python_error(text, scripts)))
          if (!error.empty())
            return error;
        return "";
      }

      MPI_Comm                 communicator;
      std::vector<std::string> scripts;
      std::string              log_file;
      vtkNew<vtkCPProcessor>   processor;
    };
  } // namespace
} // namespace Ossify

/// The module's one entry point, looked up by name with dlsym. It may
/// throw InputError or ComputationError: the module and libossify_core
/// share their C++ runtime, so exceptions cross the boundary as usual.
extern "C" Ossify::InSituVisualisation *
ossify_create_catalyst_adaptor(const Ossify::CatalystParameters &parameters,
                               const std::string &output_directory,
                               const MPI_Comm     communicator)
{
  return new Ossify::CatalystAdaptor(
      parameters, output_directory, communicator);
}
