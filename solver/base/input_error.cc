#include "base/input_error.h"

namespace Ossify
{
  InputError::InputError(const std::string &message)
      : std::runtime_error(message)
  {
  }

  InputError::InputError(const std::string &section,
                         const std::string &parameter,
                         const std::string &message)
      : std::runtime_error("section '" + section + "', parameter '" +
                           parameter + "': " + message)
  {
  }

  ComputationError::ComputationError(const std::string &message)
      : std::runtime_error(message)
  {
  }
} // namespace Ossify
