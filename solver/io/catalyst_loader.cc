// Opens the Catalyst adaptor module (io/catalyst_adaptor.cc, built as
// libossify_catalyst) when a case enables Catalyst, and only then.
//
// Why a module: linked into libossify_core, ParaView puts about 440 shared
// libraries in every process's global symbol scope. Open MPI then resolves
// each of the components it opens in MPI_Init against all of them: 1.2 s
// of every start-up, for --help, every test and every study case, whether
// Catalyst is on or not (docs/benchmarks.md, "Process start-up").
#include "base/input_error.h"
#include "io/in_situ.h"

#include <deal.II/base/mpi.h>

#include <dlfcn.h>

#include <filesystem>

namespace Ossify
{
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
    using Factory = InSituVisualisation *(*)(const CatalystParameters &,
                                             const std::string &,
                                             MPI_Comm);

    /// The module lies beside libossify_core, wherever that was loaded from.
    std::string
    module_path()
    {
      Dl_info info;
      if (dladdr(reinterpret_cast<void *>(&catalyst_available), &info) == 0 ||
          info.dli_fname == nullptr)
        return OSSIFY_CATALYST_MODULE;
      return (std::filesystem::path(info.dli_fname).parent_path() /
              OSSIFY_CATALYST_MODULE)
          .string();
    }

    /// The module's factory, opened once per process, on every rank; the
    /// empty string on success, else why not.
    std::string
    load_factory(Factory &factory)
    {
      static Factory     loaded = nullptr;
      static std::string error;
      if (loaded == nullptr && error.empty())
      {
        const std::string path = module_path();
        // RTLD_GLOBAL: the Python extension modules ParaView imports take
        // the interpreter's symbols from the global scope. The module is
        // never closed: the interpreter cannot be unloaded.
        void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_GLOBAL);
        if (handle == nullptr)
          error = "the Catalyst module '" + path +
                  "' cannot be loaded: " + dlerror();
        else if ((loaded = reinterpret_cast<Factory>(dlsym(
                      handle, "ossify_create_catalyst_adaptor"))) == nullptr)
          error = "the Catalyst module '" + path +
                  "' has no entry point ossify_create_catalyst_adaptor; it "
                  "is not from this build of Ossify";
      }
      factory = loaded;
      return error;
    }
  } // namespace

  std::unique_ptr<InSituVisualisation>
  create_catalyst_adaptor(const CatalystParameters &parameters,
                          const std::string        &output_directory,
                          const MPI_Comm            communicator)
  {
    Factory           factory = nullptr;
    const std::string error   = load_factory(factory);
    // Every rank must know before any enters Catalyst's collective set-up.
    const bool loaded_everywhere =
        dealii::Utilities::MPI::min(error.empty() ? 1u : 0u, communicator) ==
        1u;
    if (!loaded_everywhere)
      throw InputError(
          "Output/Catalyst",
          "Enable",
          (error.empty() ? std::string("the Catalyst module cannot be loaded "
                                       "on every rank")
                         : error) +
              "; rebuild Ossify (cmake --build), or set 'Enable = false'");
    return std::unique_ptr<InSituVisualisation>(
        factory(parameters, output_directory, communicator));
  }
} // namespace Ossify
