"""Reading what `ossify run` writes: statistics.txt and healing.csv."""
import csv
import math
import os


def read_statistics(path):
    """The figures of a statistics.txt as {name: float} (NaN for 'nan').

    `path` is the file or the run's output directory. Comments (#) and
    blank lines are skipped; a line that is not `name value` raises
    ValueError naming the file and the line.
    """
    if os.path.isdir(path):
        path = os.path.join(path, "statistics.txt")
    values = {}
    with open(path) as f:
        for number, line in enumerate(f, 1):
            words = line.split("#", 1)[0].split()
            if not words:
                continue
            try:
                if len(words) != 2:
                    raise ValueError
                values[words[0]] = float(words[1])
            except ValueError:
                raise ValueError(f"{path}:{number}: expected 'name value', "
                                 f"got '{line.strip()}'") from None
    return values


def read_healing_csv(path):
    """The columns of a healing.csv as {column: [float per day]}.

    `path` is the file or the run's output directory. Raises ValueError if
    the file has no rows or a cell is not a number.
    """
    if os.path.isdir(path):
        path = os.path.join(path, "healing.csv")
    with open(path) as f:
        rows = list(csv.DictReader(f))
    if not rows:
        raise ValueError(f"{path} has no rows")
    columns = {}
    for key in rows[0]:
        try:
            columns[key] = [float(r[key]) for r in rows]
        except (TypeError, ValueError):
            raise ValueError(f"{path}: column '{key}' holds a value that is "
                             "not a number") from None
    return columns


def is_day(value):
    """True for a union day that was reached (statistics give -1 or NaN
    when it was not)."""
    return value is not None and not math.isnan(value) and value >= 0
