#include "base/input_error.h"

namespace Ossify
{
  namespace
  {
    /// Messages quote the user's values; a value of megabytes must not make
    /// a message of megabytes. Longer messages keep their start (where the
    /// problem is) and end (what is allowed) and say how much was cut.
    std::string
    readable(const std::string &message)
    {
      constexpr std::size_t head = 600, tail = 300;
      if (message.size() <= head + tail + 100)
        return message;
      return message.substr(0, head) + " [... " +
             std::to_string(message.size() - head - tail) +
             " characters cut ...] " + message.substr(message.size() - tail);
    }
  } // namespace

  InputError::InputError(const std::string &message)
      : std::runtime_error(readable(message))
  {
  }

  InputError::InputError(const std::string &section,
                         const std::string &parameter,
                         const std::string &message)
      : std::runtime_error(readable("section '" + section + "', parameter '" +
                                    parameter + "': " + message))
  {
  }

  ComputationError::ComputationError(const std::string &message)
      : std::runtime_error(readable(message))
  {
  }

  OutputError::OutputError(const std::string &file, const std::string &reason)
      : ComputationError("cannot write '" + file + "': " + reason)
  {
  }
} // namespace Ossify
