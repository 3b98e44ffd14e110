#include "healing/checkpoint.h"

#include "base/input_error.h"

#include <deal.II/base/mpi.h>

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
  // holds no pointers.
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

    void
    write_volumes(std::ostream &out, const CallusVolumes &v)
    {
      for (const double t : v.tissue)
        out << ' ' << t;
      out << ' ' << v.endochondral_bone << ' ' << v.direct_bone << ' '
          << v.total;
    }

    /// Reads one number; unlike operator>>, also "nan" and "inf", which
    /// the records hold for unloaded days.
    double
    read_number(std::istream &in)
    {
      std::string token;
      if (!(in >> token))
        return 0;
      char        *end   = nullptr;
      const double value = std::strtod(token.c_str(), &end);
      if (end == token.c_str() || *end != '\0')
        in.setstate(std::ios::failbit);
      return value;
    }

    CallusVolumes
    read_volumes(std::istream &in)
    {
      CallusVolumes v;
      for (double &t : v.tissue)
        t = read_number(in);
      v.endochondral_bone = read_number(in);
      v.direct_bone       = read_number(in);
      v.total             = read_number(in);
      return v;
    }

    std::string
    cells_file(const std::string &dir, const unsigned int rank)
    {
      return dir + "/cells_" + std::to_string(rank) + ".bin";
    }

    /// Decided on all ranks: a failure on one must stop all of them.
    void
    check_everywhere(const bool ok, const std::string &what, MPI_Comm comm)
    {
      if (Utilities::MPI::min(ok ? 1 : 0, comm) == 0)
        throw ComputationError("writing the checkpoint failed: " + what);
    }
  } // namespace

  std::string
  region_list(const std::set<Region> &regions)
  {
    std::string list;
    for (const Region region : regions)
      list += (list.empty() ? "" : ",") +
              region_name(static_cast<types::material_id>(region));
    return list;
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
                    const parallel::distributed::Triangulation<3> &mesh) const
  {
    const unsigned int rank    = Utilities::MPI::this_mpi_process(communicator);
    const std::string  staging = directory + ".new";
    if (rank == 0)
    {
      std::error_code code;
      fs::remove_all(staging, code);
      fs::create_directories(staging, code);
    }
    MPI_Barrier(communicator);

    {
      std::ofstream out(cells_file(staging, rank), std::ios::binary);
      for (const auto &cell : mesh.active_cell_iterators())
        if (cell->is_locally_owned())
        {
          const CellId id     = cell->id();
          const auto  &points = data.tissue.at(id);
          const auto  &stem   = data.stem_cells.at(id);
          const auto  &stim   = data.stimulus.at(id);
          const auto   binary = id.to_binary<3>();
          put(out, binary);
          put(out, static_cast<unsigned int>(points.size()));
          for (const TissueState &s : points)
            put(out, s);
          put(out, static_cast<unsigned int>(stem.size()));
          out.write(reinterpret_cast<const char *>(stem.data()),
                    stem.size() * sizeof(double));
          put(out, static_cast<unsigned int>(stim.size()));
          out.write(reinterpret_cast<const char *>(stim.data()),
                    stim.size() * sizeof(double));
        }
      out.close(); // the last buffer is written here: check after it
      check_everywhere(
          static_cast<bool>(out), cells_file(staging, rank), communicator);
    }

    bool ok = true;
    if (rank == 0)
    {
      std::ofstream records(staging + "/records.txt");
      records << std::setprecision(17);
      for (const DayRecord &r : data.records)
      {
        records << r.day << ' ' << r.load_factor << ' ' << r.ifm_axial << ' '
                << r.ifm_shear << ' ' << r.ifm_reference << ' ' << r.stiffness
                << ' ' << r.stiffness_ratio << ' ' << r.bridged << ' '
                << r.bridged_periosteal << ' ' << r.bridged_endosteal << ' '
                << r.bridged_gap << ' ' << r.iterations << ' '
                << r.wall_seconds;
        write_volumes(records, r.callus);
        records << ' ' << r.volumes.size();
        for (const auto &[region, volumes] : r.volumes)
        {
          records << ' ' << static_cast<unsigned int>(region);
          write_volumes(records, volumes);
        }
        for (const double angle : r.ifm_rotation)
          records << ' ' << angle;
        for (const double k : r.rotational_stiffness)
          records << ' ' << k;
        records << '\n';
      }
      std::ofstream head(staging + "/header.txt");
      head << std::setprecision(17) << "case_name " << header.case_name
           << "\nnext_day " << header.next_day << "\nwall_seconds "
           << header.wall_seconds << "\nn_ranks "
           << Utilities::MPI::n_mpi_processes(communicator) << "\nn_cells "
           << mesh.n_global_active_cells() << "\nrule " << header.rule
           << "\nevolving_regions " << header.evolving_regions << '\n';
      records.close();
      head.close();
      ok = static_cast<bool>(records) && static_cast<bool>(head);
    }
    check_everywhere(
        Utilities::MPI::broadcast(communicator, ok, 0), staging, communicator);

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
      ok = !code;
      if (ok)
        fs::remove_all(old, code);
    }
    check_everywhere(Utilities::MPI::broadcast(communicator, ok, 0),
                     "cannot move " + staging + " to " + directory,
                     communicator);
  }

  CheckpointHeader
  Checkpoint::read_header() const
  {
    if (!fs::exists(directory + "/header.txt") &&
        fs::exists(directory + ".old/header.txt"))
      throw InputError("--restart: '" + directory + "' is missing but '" +
                       directory +
                       ".old' exists: writing the last checkpoint was "
                       "interrupted; rename '" +
                       directory + ".old' to '" + directory +
                       "' to restart from the one before");
    std::ifstream in(directory + "/header.txt");
    if (!in)
      throw InputError("--restart: there is no checkpoint in '" + directory +
                       "'; run the case without --restart first (with "
                       "'Healing/Checkpoint interval' > 0)");
    CheckpointHeader header;
    std::string      key;
    while (in >> key)
    {
      if (key == "case_name")
        in >> header.case_name;
      else if (key == "next_day")
        in >> header.next_day;
      else if (key == "wall_seconds")
        in >> header.wall_seconds;
      else if (key == "n_ranks")
        in >> header.n_ranks;
      else if (key == "n_cells")
        in >> header.n_cells;
      else if (key == "rule")
        in >> header.rule;
      else if (key == "evolving_regions")
        in >> header.evolving_regions;
      else
        in.setstate(std::ios::failbit);
      if (in.fail())
        throw InputError("--restart: '" + directory +
                         "/header.txt' is damaged (at entry '" + key + "')");
    }
    return header;
  }

  CheckpointData
  Checkpoint::read(const parallel::distributed::Triangulation<3> &mesh) const
  {
    const CheckpointHeader header = read_header();
    if (header.n_cells != mesh.n_global_active_cells())
      throw InputError("--restart: the checkpoint in '" + directory +
                       "' was written for a mesh of " +
                       std::to_string(header.n_cells) +
                       " cells, this case has " +
                       std::to_string(mesh.n_global_active_cells()) +
                       "; the geometry or refinement has changed");

    std::map<CellId, bool> owned;
    for (const auto &cell : mesh.active_cell_iterators())
      if (cell->is_locally_owned())
        owned[cell->id()] = true;

    CheckpointData data;
    for (unsigned int r = 0; r < header.n_ranks; ++r)
    {
      std::ifstream in(cells_file(directory, r), std::ios::binary);
      if (!in)
        throw InputError("--restart: '" + cells_file(directory, r) +
                         "' is missing; the checkpoint is incomplete");
      while (in.peek() != std::char_traits<char>::eof())
      {
        const auto   binary = get<CellId::binary_type>(in);
        const CellId id(binary);
        const auto   n_points = get<unsigned int>(in);
        if (!in || n_points == 0 || n_points > 1000)
          throw InputError("--restart: '" + cells_file(directory, r) +
                           "' is truncated or damaged");
        std::vector<TissueState> points(n_points);
        for (TissueState &s : points)
          s = get<TissueState>(in);
        const auto n_stem = get<unsigned int>(in);
        if (!in || n_stem > 1000)
          throw InputError("--restart: '" + cells_file(directory, r) +
                           "' is truncated or damaged");
        std::vector<double> stem(n_stem);
        in.read(reinterpret_cast<char *>(stem.data()),
                stem.size() * sizeof(double));
        const auto n_stimulus = get<unsigned int>(in);
        if (!in || n_stimulus != n_points)
          throw InputError("--restart: '" + cells_file(directory, r) +
                           "' is truncated or damaged");
        std::vector<double> stimulus(n_stimulus);
        in.read(reinterpret_cast<char *>(stimulus.data()),
                stimulus.size() * sizeof(double));
        if (!in)
          throw InputError("--restart: '" + cells_file(directory, r) +
                           "' is truncated");
        if (owned.count(id))
        {
          data.tissue[id]     = std::move(points);
          data.stem_cells[id] = std::move(stem);
          data.stimulus[id]   = std::move(stimulus);
        }
      }
    }
    // decided on all ranks: one that stopped alone would leave the others
    // waiting
    if (Utilities::MPI::min(data.tissue.size() == owned.size() ? 1 : 0,
                            communicator) == 0)
      throw InputError("--restart: the checkpoint in '" + directory +
                       "' does not cover this mesh (cells differ)");

    std::ifstream records(directory + "/records.txt");
    std::string   line;
    while (std::getline(records, line))
    {
      std::istringstream in(line);
      DayRecord          r{};
      in >> r.day;
      r.load_factor     = read_number(in);
      r.ifm_axial       = read_number(in);
      r.ifm_shear       = read_number(in);
      r.ifm_reference   = read_number(in);
      r.stiffness       = read_number(in);
      r.stiffness_ratio = read_number(in);
      in >> r.bridged >> r.bridged_periosteal >> r.bridged_endosteal >>
          r.bridged_gap >> r.iterations;
      r.wall_seconds        = read_number(in);
      r.callus              = read_volumes(in);
      std::size_t n_regions = 0;
      in >> n_regions;
      for (std::size_t k = 0; k < n_regions; ++k)
      {
        unsigned int region = 0;
        in >> region;
        r.volumes[static_cast<Region>(region)] = read_volumes(in);
      }
      // rotations: absent from checkpoints written before they were kept
      if (!(in >> std::ws).eof())
      {
        for (double &angle : r.ifm_rotation)
          angle = read_number(in);
        for (double &k : r.rotational_stiffness)
          k = read_number(in);
      }
      if (!in)
        throw InputError("--restart: '" + directory +
                         "/records.txt' is damaged");
      data.records.push_back(r);
    }
    return data;
  }
} // namespace Ossify
