#include "base/parameter_utilities.h"

#include "base/input_error.h"

#include <deal.II/base/utilities.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace Ossify
{
  std::string
  resolve_path(const std::string &path, const std::string &directory)
  {
    const std::filesystem::path p(path);
    if (p.is_absolute() || directory.empty())
      return path;
    return (std::filesystem::path(directory) / p).lexically_normal().string();
  }

  std::string
  directory_of(const std::string &file_name)
  {
    const auto parent = std::filesystem::path(file_name).parent_path();
    return parent.empty() ? std::string(".") : parent.string();
  }

  std::vector<std::pair<std::string, std::string>>
  split_map(const std::string &text,
            const std::string &separator,
            const std::string &section,
            const std::string &parameter)
  {
    std::vector<std::pair<std::string, std::string>> result;
    std::set<std::string>                            keys;
    for (const auto &entry :
         dealii::Utilities::split_string_list(text, separator))
    {
      const auto        colon = entry.find(':');
      const std::string key   = dealii::Utilities::trim(entry.substr(0, colon));
      if (!keys.insert(key).second)
        throw InputError(section,
                         parameter,
                         "'" + key +
                             "' is given twice; give each entry once (which "
                             "value was meant cannot be guessed)");
      result.emplace_back(
          key,
          colon == std::string::npos
              ? std::string()
              : dealii::Utilities::trim(entry.substr(colon + 1)));
    }
    return result;
  }

  namespace
  {
    /// Deeper include chains are refused: no real case nests more than a
    /// few files, and a runaway chain would exhaust the stack.
    constexpr std::size_t max_include_depth = 64;

    std::string
    deal_ii_message(const dealii::ExceptionBase &exc)
    {
      std::ostringstream message;
      exc.print_info(message);
      // deal.II messages are indented and spread over lines: fold them.
      std::string folded;
      for (const auto &line :
           dealii::Utilities::split_string_list(message.str(), '\n'))
        if (!line.empty())
          folded += (folded.empty() ? "" : " ") + line;
      return folded;
    }

    bool
    starts_with_word(const std::string &line, const std::string &word)
    {
      return line.size() > word.size() &&
             line.compare(0, word.size(), word) == 0 &&
             std::isspace(static_cast<unsigned char>(line[word.size()]));
    }

    void
    read_recursively(dealii::ParameterHandler &prm,
                     const std::string        &file_name,
                     std::vector<std::string> &include_stack)
    {
      std::error_code error;
      if (std::filesystem::is_directory(file_name, error))
        throw InputError("parameter file '" + file_name +
                         "' is a directory; give a .prm file");
      std::ifstream file(file_name);
      if (!file)
        throw InputError("cannot open parameter file '" + file_name + "'");
      for (const auto &open : include_stack)
        if (open == file_name)
          throw InputError("parameter file '" + file_name +
                           "' includes itself (through " +
                           include_stack.back() + ")");
      if (include_stack.size() >= max_include_depth)
        throw InputError("parameter file '" + file_name + "' is included " +
                         std::to_string(include_stack.size()) +
                         " files deep (through '" + include_stack.back() +
                         "'); at most " + std::to_string(max_include_depth) +
                         " are allowed");
      include_stack.push_back(file_name);

      std::vector<std::string> lines;
      for (std::string line; std::getline(file, line);)
      {
        // deal.II would read a value only up to the NUL and go on
        if (line.find('\0') != std::string::npos)
          throw InputError(file_name + ", line " +
                           std::to_string(lines.size() + 1) +
                           ": contains a NUL byte; a parameter file is text");
        lines.push_back(line);
      }
      // an empty file would run every default: almost surely the wrong file
      if (std::all_of(lines.begin(),
                      lines.end(),
                      [](const std::string &line) {
                        return dealii::Utilities::trim(
                                   line.substr(0, line.find('#')))
                            .empty();
                      }))
        throw InputError("parameter file '" + file_name +
                         "' is empty (it has no 'set', 'subsection' or "
                         "'include' line); give a case file, e.g. one of "
                         "cases/");

      // Parse the file in segments between include statements. Lines that
      // belong to other segments are blanked so that deal.II's error
      // messages keep the right line numbers.
      const auto parse_segment =
          [&](const unsigned int begin, const unsigned int end)
      {
        std::ostringstream segment;
        for (unsigned int i = 0; i < lines.size(); ++i)
          segment << (i >= begin && i < end ? lines[i] : "") << '\n';
        std::istringstream input(segment.str());
        try
        {
          prm.parse_input(input, file_name, "", false);
        }
        catch (const dealii::ExceptionBase &exc)
        {
          throw InputError(deal_ii_message(exc));
        }
      };

      int          depth         = 0;
      unsigned int segment_begin = 0;
      for (unsigned int i = 0; i < lines.size(); ++i)
      {
        const std::string line =
            dealii::Utilities::trim(lines[i].substr(0, lines[i].find('#')));
        if (starts_with_word(line, "subsection"))
          ++depth;
        else if (line == "end")
          --depth;
        else if (starts_with_word(line, "include"))
        {
          const std::string where =
              file_name + ", line " + std::to_string(i + 1);
          if (depth != 0)
            throw InputError(where + ": 'include' may only stand outside all "
                                     "subsections");
          const std::string included = resolve_path(
              dealii::Utilities::trim(line.substr(7)), directory_of(file_name));
          if (std::filesystem::is_directory(included, error))
            throw InputError(where + ": included '" + included +
                             "' is a directory; include a .prm file");
          if (!std::ifstream(included))
            throw InputError(where + ": cannot open included file '" +
                             included +
                             "' (paths are relative to the including "
                             "file)");
          parse_segment(segment_begin, i);
          read_recursively(prm, included, include_stack);
          segment_begin = i + 1;
        }
      }
      parse_segment(segment_begin, lines.size());
      include_stack.pop_back();
    }
  } // namespace

  void
  read_parameter_file(dealii::ParameterHandler &prm,
                      const std::string        &file_name)
  {
    std::vector<std::string> include_stack;
    read_recursively(prm, file_name, include_stack);
  }
} // namespace Ossify
