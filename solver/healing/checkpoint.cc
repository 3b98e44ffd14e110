#include "healing/checkpoint.h"

#include "base/input_error.h"

#include <deal.II/base/mpi.h>

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <type_traits>

namespace Ossify
{
  using namespace dealii;
  namespace fs = std::filesystem;

  // TissueState goes to disk as raw bytes; that is only sound while it
  // holds no pointers. Its size is part of the fingerprint, so a changed
  // layout is refused rather than misread.
  static_assert(std::is_trivially_copyable_v<TissueState>);

  namespace
  {
    template <typename T>
    void
    put(std::ostream &out, const T &value)
    {
      out.write(reinterpret_cast<const char *>(&value), sizeof(T));
    }

    template <typename T>
    T
    get(std::istream &in)
    {
      T value{};
      in.read(reinterpret_cast<char *>(&value), sizeof(T));
      return value;
    }

    std::uint32_t
    crc_of(const std::string &bytes)
    {
      uLong             crc  = crc32(0L, Z_NULL, 0);
      const auto       *data = reinterpret_cast<const Bytef *>(bytes.data());
      std::size_t       left = bytes.size();
      const std::size_t step = 1u << 30; // crc32 takes a 32-bit length
      while (left > 0)
      {
        const auto n = static_cast<uInt>(std::min(left, step));
        crc          = crc32(crc, data, n);
        data += n;
        left -= n;
      }
      return static_cast<std::uint32_t>(crc);
    }

    std::string
    hex(const std::uint64_t value, const int width)
    {
      std::ostringstream out;
      out << std::hex << std::setw(width) << std::setfill('0') << value;
      return out.str();
    }

    /// splitmix64's finaliser: spreads every input bit over the result, so
    /// that summing cell hashes (order-independent) stays a good hash
    std::uint64_t
    mix(std::uint64_t x)
    {
      x ^= x >> 30;
      x *= 0xbf58476d1ce4e5b9ULL;
      x ^= x >> 27;
      x *= 0x94d049bb133111ebULL;
      return x ^ (x >> 31);
    }

    std::uint64_t
    hash_bytes(std::uint64_t h, const std::string &bytes)
    {
      for (const unsigned char c : bytes) // FNV-1a
        h = (h ^ c) * 0x100000001b3ULL;
      return h;
    }

    std::string
    cells_name(const unsigned int rank)
    {
      return "cells_" + std::to_string(rank) + ".bin";
    }

    std::string
    parameters_text(const std::vector<std::string> &parameters)
    {
      std::string text;
      for (const std::string &line : parameters)
        text += line + '\n';
      return text;
    }

    /// "path = value" lines as a map from path to value
    std::map<std::string, std::string>
    parameter_map(const std::vector<std::string> &lines)
    {
      std::map<std::string, std::string> map;
      for (const std::string &line : lines)
      {
        const auto eq = line.find(" = ");
        if (eq == std::string::npos)
          map[line] = "";
        else
          map[line.substr(0, eq)] = line.substr(eq + 3);
      }
      return map;
    }

    std::string
    trim(const std::string &text)
    {
      const auto begin = text.find_first_not_of(" \t\r\n");
      if (begin == std::string::npos)
        return "";
      const auto end = text.find_last_not_of(" \t\r\n");
      return text.substr(begin, end - begin + 1);
    }

    /// Writes @p bytes to @p file; the reason if that failed, else "".
    std::string
    write_file(const std::string &file, const std::string &bytes)
    {
      std::ofstream out(file, std::ios::binary | std::ios::trunc);
      if (!out)
        return "cannot create it";
      out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
      out.close(); // the last buffer is written here: check after it
      return out ? "" : "the write failed (disk full or a file-size limit?)";
    }
  } // namespace

  bool
  restartable_parameter(const std::string &path)
  {
    static const std::set<std::string> free_entries = {
        "Output directory",
        "Healing/Number of days",
        "Healing/Checkpoint interval",
        "Healing/Output interval",
        "Healing/Preconditioner reuse days"};
    return free_entries.count(path) > 0 || path.rfind("Output/", 0) == 0 ||
           path.rfind("Linear solver/", 0) == 0;
  }

  CheckpointFingerprint
  fingerprint_of(const parallel::distributed::Triangulation<3> &mesh,
                 const ParameterHandler                        &prm,
                 const unsigned int                             degree,
                 const unsigned int n_quadrature_points)
  {
    CheckpointFingerprint fingerprint;
    fingerprint.n_cells = mesh.n_global_active_cells();

    std::uint64_t sum = 0;
    for (const auto &cell : mesh.active_cell_iterators())
      if (cell->is_locally_owned())
      {
        std::ostringstream key;
        key << cell->id().to_string() << ' '
            << static_cast<unsigned int>(cell->material_id());
        for (const unsigned int v : cell->vertex_indices())
          for (unsigned int d = 0; d < 3; ++d)
            key << ' ' << std::llround(cell->vertex(v)[d] * 1e6);
        sum += mix(hash_bytes(0xcbf29ce484222325ULL, key.str()));
      }
    std::uint64_t total = 0;
    MPI_Allreduce(
        &sum, &total, 1, MPI_UINT64_T, MPI_SUM, mesh.get_communicator());
    fingerprint.mesh_hash = hex(total, 16);

    fingerprint.layout = "degree " + std::to_string(degree) + " points " +
                         std::to_string(n_quadrature_points) +
                         " tissue_state_bytes " +
                         std::to_string(sizeof(TissueState)) + " tissues " +
                         std::to_string(n_tissues);

    // every entry with its full path, from the parameter tree as read
    std::ostringstream text;
    prm.print_parameters(text, ParameterHandler::ShortPRM);
    std::istringstream       in(text.str());
    std::vector<std::string> sections;
    std::string              line;
    while (std::getline(in, line))
    {
      line = trim(line);
      if (line.rfind("subsection ", 0) == 0)
        sections.push_back(trim(line.substr(11)));
      else if (line == "end")
      {
        if (!sections.empty())
          sections.pop_back();
      }
      else if (line.rfind("set ", 0) == 0)
      {
        const auto  eq   = line.find('=');
        std::string path = trim(line.substr(4, eq - 4));
        for (auto s = sections.rbegin(); s != sections.rend(); ++s)
          path = *s + "/" + path;
        if (!restartable_parameter(path))
          fingerprint.parameters.push_back(
              path + " = " +
              (eq == std::string::npos ? "" : trim(line.substr(eq + 1))));
      }
    }
    std::sort(fingerprint.parameters.begin(), fingerprint.parameters.end());
    return fingerprint;
  }

  Checkpoint::Checkpoint(const std::string &output_directory,
                         const MPI_Comm     communicator)
      : directory(output_directory + "/checkpoint")
      , communicator(communicator)
  {
  }

  void
  Checkpoint::write(const CheckpointHeader                        &header,
                    const CheckpointData                          &data,
                    const CheckpointFingerprint                   &fingerprint,
                    const parallel::distributed::Triangulation<3> &mesh) const
  {
    const unsigned int rank    = Utilities::MPI::this_mpi_process(communicator);
    const unsigned int n_ranks = Utilities::MPI::n_mpi_processes(communicator);
    const std::string  staging = directory + ".new";

    // A failure anywhere is decided on all ranks and leaves no staging
    // directory behind: the last complete checkpoint stays the one to
    // restart from.
    const auto fail_everywhere =
        [&](const std::string &file, const std::string &reason)
    {
      const std::string message =
          Utilities::MPI::broadcast(communicator, file + '\n' + reason, 0);
      MPI_Barrier(communicator);
      if (rank == 0)
      {
        std::error_code code;
        fs::remove_all(staging, code);
      }
      const auto split = message.find('\n');
      throw OutputError(message.substr(0, split),
                        message.substr(split + 1) +
                            " (the checkpoint of the last complete day, if "
                            "any, is unchanged in '" +
                            directory + "')");
    };

    std::string reason;
    if (rank == 0)
    {
      std::error_code code;
      fs::remove_all(staging, code);
      fs::create_directories(staging, code);
      if (code)
        reason = code.message();
    }
    if (Utilities::MPI::broadcast(communicator, reason, 0) != "")
      fail_everywhere(staging, reason);

    // this rank's cells
    std::ostringstream cells;
    for (const auto &cell : mesh.active_cell_iterators())
      if (cell->is_locally_owned())
      {
        const CellId id     = cell->id();
        const auto  &points = data.tissue.at(id);
        const auto  &stem   = data.stem_cells.at(id);
        put(cells, id.to_binary<3>());
        put(cells, static_cast<unsigned int>(points.size()));
        for (const TissueState &s : points)
          put(cells, s);
        put(cells, static_cast<unsigned int>(stem.size()));
        cells.write(reinterpret_cast<const char *>(stem.data()),
                    stem.size() * sizeof(double));
      }
    const std::string bytes = cells.str();
    reason = write_file(staging + "/" + cells_name(rank), bytes);
    std::array<std::uint64_t, 3> mine = {
        {crc_of(bytes), bytes.size(), reason.empty() ? 1u : 0u}};
    std::vector<std::uint64_t> all(3 * n_ranks);
    MPI_Allgather(mine.data(),
                  3,
                  MPI_UINT64_T,
                  all.data(),
                  3,
                  MPI_UINT64_T,
                  communicator);
    for (unsigned int r = 0; r < n_ranks; ++r)
      if (all[3 * r + 2] == 0)
        fail_everywhere(staging + "/" + cells_name(r),
                        r == rank ? reason : "the write failed");

    // rank 0: the records, the fingerprint's parameters, and last the
    // header that names and checks them all
    std::string failed_file;
    if (rank == 0)
    {
      std::ostringstream head;
      head << std::setprecision(17) << "format_version "
           << Checkpoint::format_version << "\ncase_name " << header.case_name
           << "\nnext_day " << header.next_day << "\nwall_seconds "
           << header.wall_seconds << "\nn_ranks " << n_ranks << "\nn_cells "
           << fingerprint.n_cells << "\nmesh_hash " << fingerprint.mesh_hash
           << "\nlayout " << fingerprint.layout << '\n';
      for (unsigned int r = 0; r < n_ranks; ++r)
        head << "file " << cells_name(r) << ' ' << hex(all[3 * r], 8) << ' '
             << all[3 * r + 1] << '\n';
      const std::map<std::string, std::string> texts = {
          {"records.txt", data.outcomes.serialise()},
          {"parameters.txt", parameters_text(fingerprint.parameters)}};
      for (const auto &[name, text] : texts)
      {
        head << "file " << name << ' ' << hex(crc_of(text), 8) << ' '
             << text.size() << '\n';
        if (reason.empty() && failed_file.empty())
        {
          reason = write_file(staging + "/" + name, text);
          if (!reason.empty())
            failed_file = staging + "/" + name;
        }
      }
      if (failed_file.empty())
      {
        std::string text = head.str();
        text += "header_crc32 " + hex(crc_of(text), 8) + '\n';
        reason = write_file(staging + "/header.txt", text);
        if (!reason.empty())
          failed_file = staging + "/header.txt";
      }
    }
    if (Utilities::MPI::broadcast(communicator, failed_file, 0) != "")
      fail_everywhere(failed_file, reason);

    // replace the old checkpoint only now that the new one is complete,
    // and keep it as .old until the new one is in place
    MPI_Barrier(communicator);
    if (rank == 0)
    {
      std::error_code   code;
      const std::string old = directory + ".old";
      fs::remove_all(old, code);
      if (fs::exists(directory))
        fs::rename(directory, old, code);
      if (!code)
        fs::rename(staging, directory, code);
      if (code)
        reason = "cannot move it to '" + directory + "': " + code.message();
      else
        fs::remove_all(old, code);
    }
    if (Utilities::MPI::broadcast(communicator, reason, 0) != "")
      fail_everywhere(staging, reason);
  }

  namespace
  {
    /// The whole of @p file; InputError naming it if it cannot be read.
    std::string
    read_file(const std::string &file)
    {
      std::ifstream in(file, std::ios::binary);
      if (!in)
        throw InputError("--restart: '" + file +
                         "' is missing or cannot be read; the checkpoint is "
                         "incomplete");
      std::ostringstream bytes;
      bytes << in.rdbuf();
      if (in.bad())
        throw InputError("--restart: '" + file + "' cannot be read");
      return bytes.str();
    }
  } // namespace

  CheckpointHeader
  Checkpoint::read_header() const
  {
    const std::string file = directory + "/header.txt";
    if (!fs::exists(file) && fs::exists(directory + ".old/header.txt"))
      throw InputError("--restart: '" + directory + "' is missing but '" +
                       directory +
                       ".old' exists: writing the last checkpoint was "
                       "interrupted; rename '" +
                       directory + ".old' to '" + directory +
                       "' to restart from the one before");
    if (fs::exists(directory) && !fs::is_regular_file(file))
      throw InputError("--restart: '" + file +
                       "' is missing or not a file; the checkpoint in '" +
                       directory + "' is incomplete");
    if (!fs::is_regular_file(file))
      throw InputError("--restart: there is no checkpoint in '" + directory +
                       "'; run the case without --restart first (with "
                       "'Healing/Checkpoint interval' > 0)");
    const std::string text = read_file(file);

    // the header checks itself: its last line is the crc32 of the rest
    const std::string key       = "header_crc32 ";
    const auto        last      = text.rfind(key);
    const bool        versioned = text.rfind("format_version ", 0) == 0;
    if (!versioned && last == std::string::npos)
      throw InputError("--restart: '" + file +
                       "' was written by an earlier Ossify (checkpoint "
                       "format 1, without checksums) or is not a checkpoint "
                       "header; this version reads format " +
                       std::to_string(format_version) +
                       " only: rerun the case without --restart");
    if (last == std::string::npos || (last > 0 && text[last - 1] != '\n') ||
        trim(text.substr(last + key.size())) !=
            hex(crc_of(text.substr(0, last)), 8))
      throw InputError("--restart: '" + file +
                       "' is damaged (its crc32 does not match its content)");

    CheckpointHeader   header;
    std::istringstream in(text.substr(0, last));
    std::string        line;
    while (std::getline(in, line))
    {
      std::istringstream entry(line);
      std::string        name;
      entry >> name;
      if (name == "format_version")
        entry >> header.format_version;
      else if (name == "case_name")
        entry >> header.case_name;
      else if (name == "next_day")
        entry >> header.next_day;
      else if (name == "wall_seconds")
        entry >> header.wall_seconds;
      else if (name == "n_ranks")
        entry >> header.n_ranks;
      else if (name == "n_cells")
        entry >> header.n_cells;
      else if (name == "mesh_hash")
        entry >> header.mesh_hash;
      else if (name == "layout")
        header.layout = trim(line.substr(name.size()));
      else if (name == "file")
      {
        std::string   file_name, crc;
        std::uint64_t size = 0;
        entry >> file_name >> crc >> size;
        header.files[file_name] = {
            static_cast<std::uint32_t>(std::strtoul(crc.c_str(), nullptr, 16)),
            size};
      }
      else
        entry.setstate(std::ios::failbit);
      if (entry.fail())
        throw InputError("--restart: '" + file + "' is damaged (at entry '" +
                         name + "')");
    }
    if (header.format_version != format_version)
      throw InputError("--restart: '" + file + "' is of checkpoint format " +
                       std::to_string(header.format_version) +
                       "; this version of Ossify reads format " +
                       std::to_string(format_version) +
                       " only: rerun the case without --restart");
    if (header.n_ranks == 0 || header.files.size() != header.n_ranks + 2)
      throw InputError("--restart: '" + file +
                       "' is damaged (it lists the wrong files)");
    return header;
  }

  RestartPoint
  Checkpoint::read(const parallel::distributed::Triangulation<3> &mesh,
                   const CheckpointFingerprint &expected) const
  {
    RestartPoint      restart{read_header(), {}};
    CheckpointHeader &header = restart.header;
    CheckpointData   &data   = restart.data;

    // A file's bytes, checked against the header before any is used.
    const auto verified = [&](const std::string &name)
    {
      const std::string file  = directory + "/" + name;
      const auto        entry = header.files.find(name);
      if (entry == header.files.end())
        throw InputError("--restart: '" + directory +
                         "/header.txt' does not list '" + name +
                         "'; the checkpoint is damaged");
      const std::string bytes = read_file(file);
      if (bytes.size() != entry->second.second)
        throw InputError("--restart: '" + file + "' has " +
                         std::to_string(bytes.size()) + " bytes, the header " +
                         "says " + std::to_string(entry->second.second) +
                         "; it is truncated or damaged");
      if (crc_of(bytes) != entry->second.first)
        throw InputError("--restart: '" + file +
                         "' is damaged (its crc32 does not match the "
                         "header's)");
      return bytes;
    };

    // 1. the run it belongs to: parameters, mesh, layout
    {
      std::istringstream       in(verified("parameters.txt"));
      std::vector<std::string> saved;
      std::string              line;
      while (std::getline(in, line))
        saved.push_back(line);
      const auto then = parameter_map(saved);
      const auto now  = parameter_map(expected.parameters);
      for (const auto &[path, value] : now)
      {
        const auto old = then.find(path);
        if (old == then.end() || old->second != value)
          throw InputError(
              "--restart: the checkpoint in '" + directory + "' was written " +
              (old == then.end()
                   ? "without parameter '" + path + "'"
                   : "with '" + path + " = " + old->second + "'") +
              ", this case has '" + path + " = " + value +
              "'. A restart may change only the number of days, the "
              "checkpoint and output intervals, the output and the linear "
              "solver; run the changed case without --restart");
      }
      for (const auto &[path, value] : then)
        if (now.count(path) == 0)
          throw InputError("--restart: the checkpoint in '" + directory +
                           "' was written with parameter '" + path + " = " +
                           value +
                           "', which this version of Ossify does not know; "
                           "run the case without --restart");
    }
    if (header.n_cells != expected.n_cells)
      throw InputError(
          "--restart: the checkpoint in '" + directory +
          "' was written for a mesh of " + std::to_string(header.n_cells) +
          " cells, this case has " + std::to_string(expected.n_cells) +
          "; the geometry or refinement has changed");
    if (header.mesh_hash != expected.mesh_hash)
      throw InputError("--restart: the checkpoint in '" + directory +
                       "' was written for another mesh (same number of "
                       "cells, other vertices or regions): the mesh file or "
                       "geometry has changed");
    if (header.layout != expected.layout)
      throw InputError("--restart: the checkpoint in '" + directory +
                       "' holds its state as '" + header.layout +
                       "', this case and build need '" + expected.layout +
                       "'; the finite element degree or the Ossify build "
                       "has changed");

    // 2. the cells: every rank picks its own out of all files
    std::set<CellId> owned;
    for (const auto &cell : mesh.active_cell_iterators())
      if (cell->is_locally_owned())
        owned.insert(cell->id());
    for (unsigned int r = 0; r < header.n_ranks; ++r)
    {
      const std::string  file = directory + "/" + cells_name(r);
      std::istringstream in(verified(cells_name(r)));
      const auto         damaged = [&file]()
      {
        return InputError("--restart: '" + file +
                          "' does not hold what its header says; the "
                          "checkpoint is damaged");
      };
      while (in.peek() != std::char_traits<char>::eof())
      {
        const auto   binary   = get<CellId::binary_type>(in);
        const auto   n_points = get<unsigned int>(in);
        const CellId id(binary);
        if (!in || n_points == 0 || n_points > 1000)
          throw damaged();
        std::vector<TissueState> points(n_points);
        for (TissueState &s : points)
          s = get<TissueState>(in);
        const auto n_stem = get<unsigned int>(in);
        if (!in || n_stem > 1000)
          throw damaged();
        std::vector<double> stem(n_stem);
        in.read(reinterpret_cast<char *>(stem.data()),
                stem.size() * sizeof(double));
        if (!in)
          throw damaged();
        if (owned.count(id))
        {
          data.tissue[id]     = std::move(points);
          data.stem_cells[id] = std::move(stem);
        }
      }
    }
    // decided on all ranks: one that stopped alone would leave the others
    // waiting
    if (Utilities::MPI::min(data.tissue.size() == owned.size() ? 1 : 0,
                            communicator) == 0)
      throw InputError("--restart: the checkpoint in '" + directory +
                       "' does not cover this mesh (cells differ)");

    // 3. the records: days 0 .. next_day - 1, each once and in order
    const std::string file = directory + "/records.txt";
    try
    {
      data.outcomes = OutcomeTable::deserialise(verified("records.txt"));
    }
    catch (const std::runtime_error &e)
    {
      throw InputError("--restart: '" + file + "' is damaged (" + e.what() +
                       ")");
    }
    if (!data.outcomes.empty() && data.outcomes(0, "day") != 0)
      throw InputError("--restart: '" + file +
                       "' does not begin with day 0; the records are not "
                       "continuous");
    if (data.outcomes.n_rows() != header.next_day)
      throw InputError("--restart: '" + file + "' holds " +
                       std::to_string(data.outcomes.n_rows()) +
                       " days, the checkpoint continues at day " +
                       std::to_string(header.next_day) +
                       "; the records are incomplete");
    return restart;
  }
} // namespace Ossify
