#include "healing/outcome_table.h"

#include <cmath>
#include <cstdlib>
#include <iomanip>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace Ossify
{
  void
  OutcomeTable::start_row(const unsigned int day)
  {
    if (row_open)
      throw std::logic_error("OutcomeTable: the row of day " +
                             std::to_string(std::llround(open_row.at(0))) +
                             " was not finished");
    if (!rows.empty() && day != rows.back()[0] + 1)
      throw std::logic_error("OutcomeTable: day " + std::to_string(day) +
                             " does not follow day " +
                             std::to_string(std::llround(rows.back()[0])));
    row_open = true;
    open_row.assign(names.size(), std::numeric_limits<double>::quiet_NaN());
    open_row_set.assign(names.size(), false);
    set("day", day);
  }

  void
  OutcomeTable::set(const std::string &column, const double value)
  {
    if (!row_open)
      throw std::logic_error("OutcomeTable: '" + column +
                             "' set outside a row");
    const auto it = index.find(column);
    if (it != index.end())
    {
      if (open_row_set[it->second])
        throw std::logic_error("OutcomeTable: '" + column +
                               "' set twice in one row");
      open_row[it->second]     = value;
      open_row_set[it->second] = true;
      return;
    }
    // only the first row may add columns
    if (!rows.empty())
      throw std::logic_error("OutcomeTable: '" + column +
                             "' is not a column of the first row");
    index.emplace(column, names.size());
    names.push_back(column);
    open_row.push_back(value);
    open_row_set.push_back(true);
  }

  void
  OutcomeTable::finish_row()
  {
    if (!row_open)
      throw std::logic_error("OutcomeTable: no row to finish");
    for (std::size_t c = 0; c < names.size(); ++c)
      if (!open_row_set[c])
        throw std::logic_error("OutcomeTable: the row of day " +
                               std::to_string(std::llround(open_row[0])) +
                               " misses '" + names[c] + "'");
    rows.push_back(open_row);
    row_open = false;
  }

  bool
  OutcomeTable::has_column(const std::string &column) const
  {
    return index.count(column) > 0;
  }

  std::size_t
  OutcomeTable::column_index(const std::string &column) const
  {
    const auto it = index.find(column);
    if (it == index.end())
      throw std::out_of_range("OutcomeTable: no column '" + column + "'");
    return it->second;
  }

  double
  OutcomeTable::operator()(const std::size_t  row,
                           const std::string &column) const
  {
    return rows.at(row)[column_index(column)];
  }

  double
  OutcomeTable::last(const std::string &column) const
  {
    if (rows.empty())
      throw std::out_of_range("OutcomeTable: no rows");
    return rows.back()[column_index(column)];
  }

  double
  OutcomeTable::first_day(
      const std::function<bool(std::size_t row)> &condition) const
  {
    for (std::size_t r = 0; r < rows.size(); ++r)
      if (condition(r))
        return rows[r][0];
    return -1.;
  }

  std::string
  OutcomeTable::csv_header() const
  {
    std::string line;
    for (const auto &name : names)
      line += (line.empty() ? "" : ",") + name;
    return line + '\n';
  }

  std::string
  OutcomeTable::csv_row(const std::size_t row) const
  {
    std::ostringstream out;
    out << std::setprecision(8);
    const auto &values = rows.at(row);
    for (std::size_t c = 0; c < values.size(); ++c)
      out << (c > 0 ? "," : "") << values[c];
    out << '\n';
    return out.str();
  }

  std::string
  OutcomeTable::serialise() const
  {
    std::ostringstream out;
    for (std::size_t c = 0; c < names.size(); ++c)
      out << (c > 0 ? " " : "") << names[c];
    out << '\n' << std::setprecision(17);
    for (const auto &values : rows)
    {
      for (std::size_t c = 0; c < values.size(); ++c)
        out << (c > 0 ? " " : "") << values[c];
      out << '\n';
    }
    return out.str();
  }

  OutcomeTable
  OutcomeTable::deserialise(const std::string &text)
  {
    std::istringstream lines(text);
    std::string        line;
    OutcomeTable       table;
    if (!std::getline(lines, line))
      throw std::runtime_error("line 1: no column names");
    {
      std::istringstream words(line);
      std::string        name;
      while (words >> name)
      {
        if (!table.index.emplace(name, table.names.size()).second)
          throw std::runtime_error("line 1: column '" + name + "' twice");
        table.names.push_back(name);
      }
    }
    if (table.names.empty() || table.names[0] != "day")
      throw std::runtime_error("line 1: the first column is not 'day'");
    for (std::size_t number = 2; std::getline(lines, line); ++number)
    {
      std::istringstream  words(line);
      std::vector<double> values;
      std::string         word;
      while (words >> word)
      {
        // strtod, not >>: streams do not read back the "nan" they write
        char        *end   = nullptr;
        const double value = std::strtod(word.c_str(), &end);
        if (end != word.c_str() + word.size())
          throw std::runtime_error("line " + std::to_string(number) + ": '" +
                                   word + "' is not a number");
        values.push_back(value);
      }
      if (values.size() != table.names.size())
        throw std::runtime_error(
            "line " + std::to_string(number) + ": " +
            std::to_string(values.size()) + " values for " +
            std::to_string(table.names.size()) + " columns");
      if (!table.rows.empty() && values[0] != table.rows.back()[0] + 1)
        throw std::runtime_error("line " + std::to_string(number) + ": day " +
                                 std::to_string(values[0]) +
                                 " does not follow the day before");
      table.rows.push_back(std::move(values));
    }
    return table;
  }
} // namespace Ossify
