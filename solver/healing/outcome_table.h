#ifndef OSSIFY_HEALING_OUTCOME_TABLE_H
#define OSSIFY_HEALING_OUTCOME_TABLE_H

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace Ossify
{
  /**
   * The healing outcomes: one row a day, one column an outcome, named with
   * its unit as in healing.csv ("ifm_axial_mm"). The day loop fills a row;
   * healing.csv, the checkpoint and the summary read the columns by name.
   * So a new outcome is one set() call where it is computed, and its
   * column is written, checkpointed and restored with the others.
   *
   * The first row defines the columns, in the order they are set; every
   * later row must set the same ones. (Which columns a run has depends only
   * on parameters that a checkpoint's fingerprint fixes, so a restarted run
   * continues with the columns it started with.)
   */
  class OutcomeTable
  {
  public:
    /// Starts the row of @p day (column "day"); days follow each other.
    void start_row(unsigned int day);

    /// Sets @p column of the row started last.
    void set(const std::string &column, double value);

    /// Closes the row; throws std::logic_error if it does not set exactly
    /// the columns of the first row.
    void finish_row();

    std::size_t
    n_rows() const
    {
      return rows.size();
    }

    bool
    empty() const
    {
      return rows.empty();
    }

    const std::vector<std::string> &
    columns() const
    {
      return names;
    }

    bool has_column(const std::string &column) const;

    /// The value of @p column in row @p row; throws std::out_of_range
    /// naming a column that does not exist.
    double operator()(std::size_t row, const std::string &column) const;

    /// The value of @p column in the last finished row.
    double last(const std::string &column) const;

    /// The first day for which @p condition(row) holds; -1 if none does.
    double
    first_day(const std::function<bool(std::size_t row)> &condition) const;

    /// The column names joined by commas, with a newline.
    std::string csv_header() const;

    /// Row @p row as a healing.csv line (8 significant digits, "nan" for
    /// days an outcome is not measured), with a newline.
    std::string csv_row(std::size_t row) const;

    /// All rows at full precision (17 digits), after a line of the column
    /// names, for a checkpoint: deserialise() gives the same table back.
    std::string serialise() const;

    /// The table of serialise()'s @p text; throws std::runtime_error
    /// naming the line of text that is damaged.
    static OutcomeTable deserialise(const std::string &text);

  private:
    std::size_t column_index(const std::string &column) const;

    std::vector<std::string>           names;
    std::map<std::string, std::size_t> index;
    std::vector<std::vector<double>>   rows;
    std::vector<double>                open_row;
    std::vector<bool>                  open_row_set;
    bool                               row_open = false;
  };
} // namespace Ossify

#endif
