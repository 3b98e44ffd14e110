#ifndef OSSIFY_BASE_PARAMETER_UTILITIES_H
#define OSSIFY_BASE_PARAMETER_UTILITIES_H

#include <deal.II/base/parameter_handler.h>

#include <string>
#include <utility>
#include <vector>

namespace Ossify
{
  /// @p path unchanged if absolute, else relative to @p directory.
  std::string resolve_path(const std::string &path,
                           const std::string &directory);

  /// Directory part of a file name ("." if none).
  std::string directory_of(const std::string &file_name);

  /**
   * Splits "a: x, b: y" (entries separated by @p separator, key and value
   * by ':') into trimmed pairs, keeping their order. Entries without ':'
   * get an empty value. The patterns have already validated the syntax.
   * A key given twice is refused with an InputError naming @p section and
   * @p parameter: which of the two values was meant cannot be guessed.
   */
  std::vector<std::pair<std::string, std::string>>
  split_map(const std::string &text,
            const std::string &separator,
            const std::string &section,
            const std::string &parameter);

  /**
   * Reads @p file_name into @p prm. Include statements ("include FILE")
   * are resolved relative to the including file and may only stand outside
   * subsections. Any problem (missing file, unknown entry, a value that
   * does not match its pattern) is rethrown as one InputError that names
   * the file and line.
   */
  void read_parameter_file(dealii::ParameterHandler &prm,
                           const std::string        &file_name);
} // namespace Ossify

#endif
