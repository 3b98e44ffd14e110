// Compiled instead of catalyst_adaptor.cc when Ossify is built without
// ParaView: a case that asks for Catalyst must stop with a message saying
// how to get it, not run without its images.
#include "base/input_error.h"
#include "io/in_situ.h"

namespace Ossify
{
  bool
  catalyst_available()
  {
    return false;
  }

  std::string
  catalyst_build_hint()
  {
    return "this build of Ossify has no ParaView Catalyst; install "
           "paraview-dev python3-paraview libglew-dev libnetcdf-dev "
           "libutfcpp-dev liblz4-dev libdouble-conversion-dev (Debian 12) and "
           "reconfigure with cmake -DOSSIFY_WITH_CATALYST=ON, or set "
           "'Enable = false' in subsection Output/Catalyst";
  }

  std::unique_ptr<InSituVisualisation>
  create_catalyst_adaptor(const CatalystParameters &,
                          const std::string &,
                          MPI_Comm)
  {
    throw InputError("Output/Catalyst", "Enable", catalyst_build_hint());
  }
} // namespace Ossify
