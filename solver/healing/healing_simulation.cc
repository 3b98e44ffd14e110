#include "healing/healing_simulation.h"

#include "base/input_error.h"
#include "base/phase_profile.h"
#include "healing/bridging.h"
#include "healing/checkpoint.h"

#include <deal.II/base/timer.h>
#include <deal.II/distributed/tria.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/grid/grid_tools.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <limits>
#include <sstream>

namespace Ossify
{
  using namespace dealii;

  namespace
  {
    /// Above this share of its region, the formed callus is taken to be
    /// limited by the region (the summary says so): a judgement, leaving
    /// room for the granulation tissue that stays at the region's edges.
    constexpr double filled_region_share = 0.9;

    Tissue
    tissue_for(const Differentiation d)
    {
      switch (d)
      {
      case Differentiation::resorption:
        return Tissue::granulation;
      case Differentiation::fibrous:
        return Tissue::fibrous;
      case Differentiation::cartilage:
        return Tissue::cartilage;
      case Differentiation::lamellar_bone:
        return Tissue::lamellar_bone;
      default:
        return Tissue::woven_bone;
      }
    }

    /// Sums the entries of @p values over all ranks, in place.
    void
    sum_in_place(std::vector<double> &values, const MPI_Comm comm)
    {
      MPI_Allreduce(MPI_IN_PLACE,
                    values.data(),
                    values.size(),
                    MPI_DOUBLE,
                    MPI_SUM,
                    comm);
    }

    /// @p value with 4 significant digits, as the summary prints numbers
    std::string
    significant(const double value)
    {
      std::ostringstream out;
      out << std::setprecision(4) << value;
      return out.str();
    }

    std::string
    percent(const double part, const double whole)
    {
      std::ostringstream out;
      out << std::fixed << std::setprecision(0)
          << (whole > 0 ? 100. * part / whole : 0.) << "%";
      return out.str();
    }
  } // namespace

  HealingSimulation::HealingSimulation(
      CaseSetup                    &setup,
      const std::string            &output_directory,
      RunLog                       &log,
      ConditionalOStream           &progress,
      ConditionalOStream           &details,
      const CheckpointFingerprint  &fingerprint,
      std::unique_ptr<RestartPoint> restart_point)
      : setup(setup)
      , parameters(setup.parameters)
      , mechanics(*setup.mechanics)
      , fingerprint(fingerprint)
      , restart_point(std::move(restart_point))
      , directory(output_directory)
      , log(log)
      , progress(progress)
      , details(details)
      , virtual_test(setup.virtual_test.get())
  {
    stem_cells = std::make_unique<StemCellDiffusion>(
        setup.mesh, parameters.healing.stem_cells);
    fields = std::make_unique<FieldOutput>(
        directory, parameters.output, setup.mesh.get_communicator());
  }

  HealingSimulation::~HealingSimulation() = default;

  void
  HealingSimulation::initialise_tissue()
  {
    const unsigned int n_q = mechanics.quadrature().size();
    tissue.reinit(setup.mesh, n_q);
    stimulus.reinit(setup.mesh, n_q, 0.);
    youngs_modulus.reinit(setup.mesh, n_q, 0.);
    for (const auto &cell : mechanics.dof_handler().active_cell_iterators())
      if (cell->is_locally_owned())
      {
        const Tissue initial =
            parameters.regions.tissue_of(cell->material_id());
        const bool evolving = parameters.healing.evolving_regions.count(
                                  static_cast<Region>(cell->material_id())) > 0;
        // tissues with their own blood supply perfuse the callus that
        // grows next to them (used by the fuzzy-logic rule)
        const bool perfused = initial == Tissue::marrow ||
                              initial == Tissue::cortical_bone ||
                              initial == Tissue::soft_tissue;
        for (unsigned int q = 0; q < n_q; ++q)
        {
          tissue(cell, q).set_pure(initial);
          tissue(cell, q).evolving  = evolving;
          tissue(cell, q).perfusion = !evolving && perfused ? 1. : 0.;
        }
      }
  }

  unsigned int
  HealingSimulation::restore_checkpoint(double &wall_seconds)
  {
    const CheckpointHeader &header = restart_point->header;
    CheckpointData         &data   = restart_point->data;
    const unsigned int      n_q    = tissue.n_quadrature_points();
    for (const auto &cell : setup.mesh.active_cell_iterators())
      if (cell->is_locally_owned())
      {
        const auto &points = data.tissue.at(cell->id());
        for (unsigned int q = 0; q < n_q; ++q)
          tissue(cell, q) = points[q];
      }
    stem_cells->load(data.stem_cells);
    outcomes = std::move(data.outcomes);
    fields->resume(header.next_day);
    wall_seconds = header.wall_seconds;
    log.line("restarted from the checkpoint of day " +
             std::to_string(header.next_day) + " (written on " +
             std::to_string(header.n_ranks) + " rank(s))");
    progress << "restarting at day " << header.next_day << " from " << directory
             << "/checkpoint" << std::endl;
    const unsigned int next_day = header.next_day;
    restart_point.reset(); // its copy of the state is no longer needed
    return next_day;
  }

  void
  HealingSimulation::save_checkpoint(const unsigned int next_day,
                                     const double       wall_seconds)
  {
    CheckpointData     data;
    const unsigned int n_q = tissue.n_quadrature_points();
    for (const auto &cell : setup.mesh.active_cell_iterators())
      if (cell->is_locally_owned())
      {
        auto &points = data.tissue[cell->id()];
        for (unsigned int q = 0; q < n_q; ++q)
          points.push_back(tissue(cell, q));
      }
    data.stem_cells = stem_cells->save();
    data.outcomes   = outcomes;
    Checkpoint(directory, setup.mesh.get_communicator())
        .write({Checkpoint::format_version,
                parameters.case_name,
                next_day,
                wall_seconds},
               data,
               fingerprint,
               setup.mesh);
    details << "    checkpoint written: day " << next_day << std::endl;
  }

  void
  HealingSimulation::update_materials(const double implant_factor)
  {
    const auto implant  = static_cast<types::material_id>(Region::implant);
    auto      &material = mechanics.material();
    for (const auto &cell : mechanics.dof_handler().active_cell_iterators())
      if (cell->is_locally_owned())
        for (unsigned int q = 0; q < material.n_quadrature_points(); ++q)
        {
          TissueState &state = tissue(cell, q);
          const double E =
              state.smoothed_modulus(parameters.healing.mixture.youngs_modulus(
                                         state, parameters.tissues),
                                     parameters.healing.smoothing_days) *
              (cell->material_id() == implant ? implant_factor : 1.);
          youngs_modulus(cell, q) = E;
          material(cell, q)       = IsotropicElasticity::from_youngs_modulus(
              E,
              parameters.healing.mixture.poissons_ratio(state,
                                                        parameters.tissues));
        }
  }

  double
  HealingSimulation::intact_stiffness()
  {
    // The same construct with the fracture healed: gap as cortex, the canal
    // as marrow, no periosteal callus (granulation is negligibly soft).
    auto &material = mechanics.material();
    for (const auto &cell : mechanics.dof_handler().active_cell_iterators())
      if (cell->is_locally_owned())
      {
        Tissue t = parameters.regions.tissue_of(cell->material_id());
        switch (static_cast<Region>(cell->material_id()))
        {
        case Region::gap:
          t = Tissue::cortical_bone;
          break;
        case Region::endosteal_callus:
          t = Tissue::marrow;
          break;
        case Region::periosteal_callus:
          t = Tissue::granulation;
          break;
        default:
          break;
        }
        const auto &p   = parameters.tissues[t];
        const auto  law = IsotropicElasticity::from_youngs_modulus(
            p.youngs_modulus, p.poissons_ratio);
        for (unsigned int q = 0; q < material.n_quadrature_points(); ++q)
          material(cell, q) = law;
      }
    mechanics.set_load_factor(1.);
    mechanics.solve();
    return mechanics.compute_quantities().axial_stiffness;
  }

  void
  HealingSimulation::run()
  {
    const MPI_Comm comm = setup.mesh.get_communicator();
    const auto    &h    = parameters.healing;
    Timer          timer(comm, true);
    PhaseProfile   profile;

    {
      PhaseProfile::Scope scope(profile, "intact construct (one solve)");
      intact_construct_stiffness = intact_stiffness();
    }
    log.line("intact construct axial stiffness: " +
             std::to_string(intact_construct_stiffness) + " N/mm");
    if (virtual_test)
    {
      // the material is still the intact bone's
      PhaseProfile::Scope scope(profile, "virtual mechanical test");
      virtual_test->set_intact(virtual_test_stiffness());
      log.line("virtual mechanical test, intact bone: " +
               std::to_string(virtual_test->over_gauge_length(
                   virtual_test->intact_segment_stiffness())) +
               " N m/deg over " + std::to_string(virtual_test->gauge_length()) +
               " mm");
    }
    initialise_tissue();
    stem_cells->setup(1.0);
    double             wall_offset = 0;
    const unsigned int start_day =
        restart_point ? restore_checkpoint(wall_offset) : 0;
    // until the run ends, summary.txt says that it has not: a run killed
    // or stopped by a full disk is never taken for a finished one
    write_summary_file("Healing run UNDER WAY or interrupted, case '" +
                       parameters.case_name + "': started on day " +
                       std::to_string(start_day) + " of " +
                       std::to_string(h.n_days) +
                       "; healing.csv holds the days completed so far. "
                       "This file is replaced by the summary when the run "
                       "ends.");
    {
      // a fresh file (a stale one of an earlier run is not this run's);
      // after a restart, the days the checkpoint holds
      std::string text;
      if (!outcomes.empty())
        text = outcomes.csv_header();
      for (std::size_t row = 0; row < outcomes.n_rows(); ++row)
        text += outcomes.csv_row(row);
      append_to_csv(text, true);
    }

    QuadraturePointData<MechanicalPointState> states;
    unsigned int last_rebuild_day = 0, rebuild_iterations = 0;
    unsigned int last_iterations = 0;
    unsigned int day             = start_day;
    try
    {
      for (; day <= h.n_days; ++day)
      {
        // the state at the start of a day: tissue after the previous day's
        // differentiation, before today's moduli enter the smoothing history
        if (h.checkpoint_interval > 0 && day > start_day &&
            (day % h.checkpoint_interval == 0 || day == h.n_days))
        {
          PhaseProfile::Scope scope(profile, "checkpoint");
          save_checkpoint(day, wall_offset + timer.wall_time());
        }
        const double load_factor = h.load_schedule.factor(day);
        mechanics.set_load_factor(load_factor);
        const FixationParameters::Day device = parameters.fixation.on_day(day);
        mechanics.set_support_factor(device.support_factor);
        {
          PhaseProfile::Scope scope(profile, "tissue moduli (smoothing)");
          update_materials(device.implant_modulus_factor);
        }
        ElasticityStatistics solve;
        try
        {
          // Keep the AMG hierarchy while it still works: rebuild when the
          // last solve needed more than 10 % more iterations than the one
          // right after the last rebuild, or after the configured interval.
          // (Measured on the coarse cast with GAMG: a set-up costs about a
          // quarter of a solve, 0.033 s against 0.146 s. A stale hierarchy's
          // excess recurs every day until the next rebuild, so 10 % more
          // iterations repay a rebuild within a few days. The rule counts
          // iterations, not seconds, so that a rerun takes the same path.)
          // Two iterations of slack keep a count of a few from rebuilding on
          // +-1 of noise.
          const bool reuse =
              day > start_day &&
              day - last_rebuild_day < h.preconditioner_reuse_days &&
              10 * last_iterations <= 11 * rebuild_iterations + 20;
          solve = mechanics.solve(reuse);
          // what happened, not what was asked: a kept hierarchy that failed
          // was rebuilt
          if (!solve.linear.reused_preconditioner)
          {
            last_rebuild_day   = day;
            rebuild_iterations = solve.linear.iterations;
          }
          last_iterations = solve.linear.iterations;
          profile.add("mechanics: assembly", solve.assembly_seconds);
          profile.add("mechanics: preconditioner set-up",
                      solve.linear.setup_seconds);
          profile.add("mechanics: Krylov solve", solve.linear.solve_seconds);
        }
        catch (const ComputationError &e)
        {
          throw ComputationError(
              "day " + std::to_string(day) +
              ", displacement field: " + e.what() +
              (day == start_day ? std::string()
                                : " Days up to " + std::to_string(day - 1) +
                                      " are in " + directory +
                                      "/healing.csv; summary.txt says where "
                                      "the run stopped."));
        }
        {
          PhaseProfile::Scope scope(profile, "strain and stress at the points");
          mechanics.evaluate_point_states(states);
        }
        // today's stimulus from today's strains, before today's output
        evaluate_stimulus(states);
        outcomes.start_row(day);
        {
          PhaseProfile::Scope scope(profile,
                                    "outcomes (IFM, stiffness, bridging)");
          record_day(load_factor, mechanics.compute_quantities());
        }
        if (virtual_test)
        {
          // measured every Interval days; nan (an empty test) on the others
          double stiffness = std::numeric_limits<double>::quiet_NaN();
          if (virtual_test->due(day, h.n_days))
          {
            PhaseProfile::Scope scope(profile, "virtual mechanical test");
            stiffness = virtual_test_stiffness();
          }
          outcomes.set("virtual_bending_Nm_per_deg",
                       virtual_test->over_gauge_length(stiffness));
          outcomes.set("virtual_bending_ratio",
                       stiffness / virtual_test->intact_segment_stiffness());
        }
        const double wall_seconds = wall_offset + timer.wall_time();
        outcomes.set("solver_iterations", solve.linear.iterations);
        outcomes.set("wall_s", wall_seconds);
        outcomes.finish_row();
        {
          PhaseProfile::Scope scope(profile, "output (healing.csv, fields)");
          // the columns are known once the first row is
          append_to_csv(
              (outcomes.n_rows() == 1 ? outcomes.csv_header() : std::string()) +
              outcomes.csv_row(outcomes.n_rows() - 1));
        }
        const auto today = [&](const std::string &column)
        { return outcomes.last(column); };
        const double callus = today("callus_volume_mm3");

        const double per_day =
            (wall_seconds - wall_offset) / (day - start_day + 1);
        const double       remaining = per_day * (h.n_days - day);
        std::ostringstream line;
        line << "day " << std::setw(3) << day << "/" << h.n_days
             << std::setprecision(3) << "  IFM " << std::setw(8)
             << today("ifm_axial_mm") << " mm  k " << std::setw(7)
             << today("stiffness_N_per_mm") << " N/mm ("
             << percent(today("stiffness_ratio"), 1.) << " intact)"
             << "  callus bone "
             << percent(today("callus_woven_bone_mm3") +
                            today("callus_lamellar_bone_mm3"),
                        callus)
             << " cart " << percent(today("callus_cartilage_mm3"), callus)
             << " fib " << percent(today("callus_fibrous_mm3"), callus)
             << (today("bridged") > 0 ? "  bridged" : "") << "  "
             << std::setprecision(3) << wall_seconds << " s, ~"
             << std::setprecision(2) << remaining / 60. << " min left";
        progress << line.str() << std::endl;

        details << "    mechanics: " << solve.linear.iterations
                << " CG iterations"
                << (solve.preload_iterations > 0
                        ? " (preload " +
                              std::to_string(solve.preload_iterations) + ")"
                        : std::string())
                << ", assembly " << solve.assembly_seconds << " s, AMG set-up "
                << solve.linear.setup_seconds
                << (solve.linear.reused_preconditioner ? " s (reused)" : " s")
                << (solve.linear.rebuilt_after_failure
                        ? " (rebuilt: the reused one failed)"
                        : "")
                << ", solve " << solve.linear.solve_seconds
                << " s; bridged via periosteal " << today("bridged_periosteal")
                << ", endosteal " << today("bridged_endosteal") << ", gap "
                << today("bridged_gap") << std::endl;
        const bool files_due = day % h.output_interval == 0 || day == h.n_days;
        if (files_due || fields->catalyst_due(day) || day == h.n_days)
        {
          PhaseProfile::Scope scope(profile, "output (healing.csv, fields)");
          write_fields(day, states, files_due);
        }
        if (day == h.n_days)
          break;

        {
          PhaseProfile::Scope scope(profile, "stem cells");
          const unsigned int  stem_cell_iterations = stem_cells->advance();
          details << "    stem cells: " << stem_cell_iterations
                  << " CG iterations" << std::endl;
          stem_cells->evaluate(mechanics.quadrature(), tissue);
        }
        PhaseProfile::Scope scope(profile,
                                  "tissue update (rule, neighbour exchange)");
        differentiate(states);
      }
      {
        PhaseProfile::Scope scope(profile, "summary and statistics");
        write_summary(wall_offset + timer.wall_time());
      }
    }
    catch (const ComputationError &e)
    {
      // what is complete stays, and says so; the run is not passed off as
      // finished
      write_stopped_summary(day, e.what());
      throw;
    }
    // Where the time went, for users and for issue-style profiling: in
    // run.log always, on the terminal with --verbose.
    const unsigned int n_days_run =
        outcomes.empty()
            ? 0
            : static_cast<unsigned int>(outcomes.last("day")) + 1 - start_day;
    log.line("profile of this process (" + std::to_string(n_days_run) +
             " days, rank 0's wall time):");
    details << "profile of this process (" << n_days_run << " days):\n";
    for (const std::string &line : profile.table(n_days_run))
    {
      log.line("  " + line);
      details << "  " << line << '\n';
    }
  }

  double
  HealingSimulation::virtual_test_stiffness()
  {
    // the implants are removed: their cells become as soft as the
    // granulation tissue they would leave behind
    const auto &granulation = parameters.tissues[Tissue::granulation];
    return virtual_test->segment_stiffness(
        mechanics.material(),
        static_cast<types::material_id>(Region::implant),
        IsotropicElasticity::from_youngs_modulus(granulation.youngs_modulus,
                                                 granulation.poissons_ratio));
  }

  HealingSimulation::NeighbourMaxima
  HealingSimulation::neighbour_maxima() const
  {
    const unsigned int  n_cells = setup.mesh.n_active_cells();
    const unsigned int  n_q     = tissue.n_quadrature_points();
    std::vector<double> bone(n_cells, 0.), perfusion(n_cells, 0.);
    using DistributedMesh = parallel::distributed::Triangulation<3>;
    using Cell            = typename DistributedMesh::active_cell_iterator;
    for (const auto &cell : setup.mesh.active_cell_iterators())
      if (cell->is_locally_owned())
        for (unsigned int q = 0; q < n_q; ++q)
        {
          const TissueState &s = tissue(cell, q);
          bone[cell->active_cell_index()] += s.bone_fraction() / n_q;
          perfusion[cell->active_cell_index()] += s.perfusion / n_q;
        }
    // the neighbours across a partition boundary are ghost cells
    GridTools::exchange_cell_data_to_ghosts<std::array<double, 2>,
                                            DistributedMesh>(
        setup.mesh,
        [&](const Cell &cell) -> std_cxx17::optional<std::array<double, 2>>
        {
          const unsigned int i = cell->active_cell_index();
          return std::array<double, 2>{{bone[i], perfusion[i]}};
        },
        [&](const Cell &cell, const std::array<double, 2> &value)
        {
          bone[cell->active_cell_index()]      = value[0];
          perfusion[cell->active_cell_index()] = value[1];
        });

    NeighbourMaxima              maxima{std::vector<double>(n_cells, 0.),
                           std::vector<double>(n_cells, 0.)};
    const std::vector<Boundary> &symmetry =
        parameters.boundary_conditions.symmetry;
    for (const auto &cell : setup.mesh.active_cell_iterators())
      if (cell->is_locally_owned())
      {
        const unsigned int i    = cell->active_cell_index();
        const auto         take = [&](const auto &neighbour)
        {
          const unsigned int j = neighbour->active_cell_index();
          maxima.bone[i]       = std::max(maxima.bone[i], bone[j]);
          maxima.perfusion[i]  = std::max(maxima.perfusion[i], perfusion[j]);
        };
        for (const unsigned int f : cell->face_indices())
        {
          if (cell->at_boundary(f))
          {
            // across a symmetry plane the neighbour is the cell's own
            // mirror image, so a half model spreads like the whole body
            if (std::count(symmetry.begin(),
                           symmetry.end(),
                           static_cast<Boundary>(cell->face(f)->boundary_id())))
              take(cell);
            continue;
          }
          const auto neighbour = cell->neighbor(f);
          if (neighbour->has_children())
            for (unsigned int sf = 0; sf < cell->face(f)->n_children(); ++sf)
              take(cell->neighbor_child_on_subface(f, sf));
          else
            take(neighbour);
        }
      }
    return maxima;
  }

  void
  HealingSimulation::evaluate_stimulus(
      const QuadraturePointData<MechanicalPointState> &states)
  {
    const auto &rule = *parameters.rule;
    for (const auto &cell : mechanics.dof_handler().active_cell_iterators())
      if (cell->is_locally_owned())
        for (unsigned int q = 0; q < tissue.n_quadrature_points(); ++q)
        {
          const TissueState &state = tissue(cell, q);
          if (!state.evolving)
            continue;
          const RuleInput input{states(cell, q).measures,
                                std::numeric_limits<double>::quiet_NaN(),
                                state};
          stimulus(cell, q) = rule.stimulus(input);
        }
  }

  void
  HealingSimulation::differentiate(
      const QuadraturePointData<MechanicalPointState> &states)
  {
    const auto     &h    = parameters.healing;
    const auto     &rule = *parameters.rule;
    NeighbourMaxima neighbours;
    if (rule.needs_neighbours())
      neighbours = neighbour_maxima();
    for (const auto &cell : mechanics.dof_handler().active_cell_iterators())
      if (cell->is_locally_owned())
        for (unsigned int q = 0; q < tissue.n_quadrature_points(); ++q)
        {
          TissueState &state = tissue(cell, q);
          if (!state.evolving)
            continue;
          RuleInput input{states(cell, q).measures,
                          std::numeric_limits<double>::quiet_NaN(),
                          state};
          input.in_fracture_gap = cell->material_id() ==
                                  static_cast<types::material_id>(Region::gap);
          if (rule.needs_neighbours())
          {
            const unsigned int i          = cell->active_cell_index();
            input.neighbour_max_bone      = neighbours.bone[i];
            input.neighbour_max_perfusion = neighbours.perfusion[i];
            // the shortest edge: a front entering a thin cell (the gap of
            // a compression plate) crosses it along that edge
            input.cell_size = cell->minimum_vertex_distance();
          }
          // differentiation needs cells: the rate scales with the local
          // stem-cell concentration (one day per iteration)
          const double rate = h.differentiation_rate * state.stem_cells;
          if (rule.update_tissue(input, rate, state))
          {
            state.mature_bone(h.maturation_rate);
            continue;
          }
          const Differentiation target = rule.evaluate(input);
          const double          amount = rate;
          if (target == Differentiation::endochondral)
          {
            // the soft tissue turns into cartilage while the cartilage
            // already there calcifies (Claes & Heigele 1999)
            state.ossify_cartilage(amount);
            state.form_cartilage(amount);
          }
          else if (target != Differentiation::none)
            state.move_towards(tissue_for(target), amount);
          state.mature_bone(h.maturation_rate);
        }
  }

  void
  HealingSimulation::record_day(const double                load_factor,
                                const MechanicalQuantities &q)
  {
    const auto &h = parameters.healing;
    outcomes.set("load_factor", load_factor);
    outcomes.set("ifm_axial_mm", q.axial_ifm());
    outcomes.set("ifm_shear_mm", q.shear_ifm());
    // |axial IFM| under the reference load; unloaded days count for no
    // criterion
    outcomes.set("ifm_reference_mm",
                 load_factor > 0 ? std::abs(q.axial_ifm()) / load_factor
                                 : std::numeric_limits<double>::quiet_NaN());
    outcomes.set("stiffness_N_per_mm", q.axial_stiffness);
    outcomes.set("stiffness_ratio",
                 intact_construct_stiffness > 0
                     ? q.axial_stiffness / intact_construct_stiffness
                     : 0.);

    // volumes: per region [tissues..., endochondral, direct, total]
    const unsigned int  width = n_tissues + 3;
    const unsigned int  n_ids = region_names().size() + 1;
    std::vector<double> sums(width * n_ids, 0.);
    std::vector<double> cell_modulus(setup.mesh.n_active_cells(), 0.);
    const FE_Q<3>       fe(1);
    FEValues<3> fe_values(fe, mechanics.quadrature(), update_JxW_values);
    for (const auto &cell : mechanics.dof_handler().active_cell_iterators())
      if (cell->is_locally_owned())
      {
        fe_values.reinit(Triangulation<3>::cell_iterator(cell));
        double modulus = 0;
        for (const unsigned int k : fe_values.quadrature_point_indices())
        {
          modulus += youngs_modulus(cell, k) / fe_values.n_quadrature_points;
          const TissueState &s = tissue(cell, k);
          if (!s.evolving)
            continue;
          double *row = &sums[width * cell->material_id()];
          for (unsigned int t = 0; t < n_tissues; ++t)
            row[t] += s.fractions[t] * fe_values.JxW(k);
          row[n_tissues] += s.endochondral_bone * fe_values.JxW(k);
          row[n_tissues + 1] += s.direct_bone * fe_values.JxW(k);
          row[n_tissues + 2] += fe_values.JxW(k);
        }
        cell_modulus[cell->active_cell_index()] = modulus;
      }
    sum_in_place(sums, setup.mesh.get_communicator());
    // the whole body's volumes in a half or quarter model
    for (double &sum : sums)
      sum *= mechanics.mirror_images();
    const double threshold = h.bridging_modulus;
    const auto   bridged   = [&](const std::set<Region> &regions) {
      return bony_bridge_exists(setup.mesh, cell_modulus, threshold, regions);
    };
    outcomes.set("bridged", bridged(h.evolving_regions));
    outcomes.set("bridged_periosteal", bridged({Region::periosteal_callus}));
    outcomes.set("bridged_endosteal", bridged({Region::endosteal_callus}));
    outcomes.set("bridged_gap", bridged({Region::gap}));

    // the callus: all evolving regions together
    std::vector<double> callus(width, 0.);
    for (const Region region : h.evolving_regions)
      for (unsigned int k = 0; k < width; ++k)
        callus[k] += sums[width * static_cast<unsigned int>(region) + k];
    for (unsigned int t = 0; t < n_tissues; ++t)
      outcomes.set("callus_" + tissue_names()[t] + "_mm3", callus[t]);
    outcomes.set("callus_endochondral_bone_mm3", callus[n_tissues]);
    outcomes.set("callus_direct_bone_mm3", callus[n_tissues + 1]);
    outcomes.set("callus_volume_mm3", callus[n_tissues + 2]);
    for (const Region region : h.evolving_regions)
    {
      const double *row = &sums[width * static_cast<unsigned int>(region)];
      const auto    of  = [&](const Tissue t)
      { return row[static_cast<unsigned int>(t)]; };
      const std::string name =
          region_name(static_cast<types::material_id>(region));
      outcomes.set(name + "_bone_mm3",
                   of(Tissue::woven_bone) + of(Tissue::lamellar_bone));
      outcomes.set(name + "_cartilage_mm3", of(Tissue::cartilage));
      outcomes.set(name + "_fibrous_mm3", of(Tissue::fibrous));
      outcomes.set(name + "_volume_mm3", row[n_tissues + 2]);
    }

    // rotations mean something only under an applied moment
    if (!parameters.boundary_conditions.moment.empty())
    {
      for (unsigned int d = 0; d < 3; ++d)
        outcomes.set(std::string("ifm_rotation_") + char('x' + d) + "_deg",
                     q.interfragmentary_rotation[d] * 180. / M_PI);
      for (unsigned int d = 0; d < 3; ++d)
        outcomes.set(std::string("rotational_stiffness_") + char('x' + d) +
                         "_Nm_per_deg",
                     q.rotational_stiffness[d] * M_PI / 180. / 1000.);
    }
  }

  void
  HealingSimulation::write_fields(
      const unsigned int                               day,
      const QuadraturePointData<MechanicalPointState> &states,
      const bool                                       write_files)
  {
    const unsigned int     n_cells = setup.mesh.n_active_cells();
    const unsigned int     n_q     = tissue.n_quadrature_points();
    std::vector<CellField> extra;
    for (unsigned int t = 0; t < n_tissues; ++t)
      extra.push_back(
          {"fraction_" + tissue_names()[t], Vector<float>(n_cells)});
    extra.push_back({"dominant_tissue", Vector<float>(n_cells)});
    extra.push_back({"stimulus", Vector<float>(n_cells)});
    extra.push_back({"stem_cells", Vector<float>(n_cells)});
    extra.push_back({"endochondral_share", Vector<float>(n_cells)});
    for (const auto &cell : mechanics.dof_handler().active_cell_iterators())
      if (cell->is_locally_owned())
      {
        const unsigned int i = cell->active_cell_index();
        TissueState        mean;
        double             endo = 0, direct = 0;
        for (unsigned int q = 0; q < n_q; ++q)
        {
          const TissueState &s = tissue(cell, q);
          for (unsigned int t = 0; t < n_tissues; ++t)
          {
            extra[t].values[i] += s.fractions[t] / n_q;
            mean.fractions[t] += s.fractions[t] / n_q;
          }
          extra[n_tissues + 1].values[i] += stimulus(cell, q) / n_q;
          extra[n_tissues + 2].values[i] += s.stem_cells / n_q;
          endo += s.endochondral_bone;
          direct += s.direct_bone;
        }
        extra[n_tissues].values[i] = static_cast<float>(mean.dominant_tissue());
        extra[n_tissues + 3].values[i] =
            endo + direct > 0 ? endo / (endo + direct) : 0.;
      }
    fields->write(day,
                  mechanics,
                  states,
                  extra,
                  write_files,
                  day == parameters.healing.n_days);
  }

  void
  HealingSimulation::append_to_csv(const std::string &text, const bool fresh)
  {
    const std::string file = directory + "/healing.csv";
    bool              ok   = true;
    if (Utilities::MPI::this_mpi_process(setup.mesh.get_communicator()) == 0)
    {
      if (fresh)
      {
        csv.close();
        csv.clear();
        csv.open(file, std::ios::out | std::ios::trunc);
        csv_complete_bytes = 0;
      }
      csv << text << std::flush; // flushed daily: a run can be followed
      ok = static_cast<bool>(csv);
      if (ok)
        csv_complete_bytes += text.size();
      else
      {
        // keep what is whole: a row cut by a full disk is not a result
        csv.close();
        std::error_code code;
        std::filesystem::resize_file(file, csv_complete_bytes, code);
      }
    }
    if (!Utilities::MPI::broadcast(setup.mesh.get_communicator(), ok, 0))
      throw OutputError(file,
                        "the write failed (disk full or a file-size "
                        "limit?); the rows before it are complete");
  }

  void
  HealingSimulation::write_summary(const double wall_seconds)
  {
    const auto &h      = parameters.healing;
    const auto  column = [&](const std::string &name, const std::size_t row)
    { return outcomes(row, name); };
    const auto last = [&](const std::string &name)
    { return outcomes.last(name); };
    const std::size_t n_rows         = outcomes.n_rows();
    const double      union_bridging = outcomes.first_day(
        [&](const std::size_t r) { return column("bridged", r) > 0; });
    // the reference is the first day with a load; unloaded days (NaN)
    // count for no criterion
    double reference_ifm = std::numeric_limits<double>::quiet_NaN();
    for (std::size_t r = 0; r < n_rows; ++r)
      if (std::isfinite(column("ifm_reference_mm", r)))
      {
        reference_ifm = column("ifm_reference_mm", r);
        break;
      }
    const double union_ifm = outcomes.first_day(
        [&](const std::size_t r)
        {
          const double ifm = column("ifm_reference_mm", r);
          return column("day", r) > 0 && std::isfinite(ifm) &&
                 ifm <= h.union_ifm_fraction * reference_ifm;
        });
    const double union_stiffness = outcomes.first_day(
        [&](const std::size_t r)
        {
          return column("load_factor", r) > 0 &&
                 column("stiffness_ratio", r) >= h.union_stiffness_fraction;
        });

    // the virtual mechanical test: NaN days have no test, and never count
    const double union_virtual_test =
        virtual_test ? outcomes.first_day(
                           [&](const std::size_t r)
                           {
                             return column("virtual_bending_Nm_per_deg", r) >=
                                    h.virtual_test.union_stiffness;
                           })
                     : -1.;

    double       peak_cartilage = 0, peak_cartilage_share = 0;
    unsigned int peak_day = 0;
    for (std::size_t r = 0; r < n_rows; ++r)
      if (column("callus_cartilage_mm3", r) > peak_cartilage)
      {
        peak_cartilage       = column("callus_cartilage_mm3", r);
        const double callus  = column("callus_volume_mm3", r);
        peak_cartilage_share = callus > 0 ? peak_cartilage / callus : 0;
        peak_day             = static_cast<unsigned int>(column("day", r));
      }
    const double new_bone =
        last("callus_endochondral_bone_mm3") + last("callus_direct_bone_mm3");
    const double endochondral_share =
        new_bone > 0 ? last("callus_endochondral_bone_mm3") / new_bone : 0;
    // a region that does not evolve has no columns, and no callus
    const auto region_column = [&](const Region region, const std::string &what)
    {
      return region_name(static_cast<types::material_id>(region)) + "_" + what;
    };
    const auto final_in = [&](const Region region, const std::string &what)
    {
      const std::string name = region_column(region, what);
      return outcomes.has_column(name) ? last(name) : 0.;
    };
    const auto bone_in = [&](const Region region)
    { return final_in(region, "bone_mm3"); };
    const auto total_in = [&](const Region region)
    { return final_in(region, "volume_mm3"); };

    const double gap_bone_share =
        total_in(Region::gap) > 0 ? bone_in(Region::gap) / total_in(Region::gap)
                                  : 0;
    // Callus size: the periosteal callus that forms (bone and cartilage,
    // what radiographs, micro-CT and histology measure) at its largest, and
    // the share of its region it fills. A callus that fills its region has
    // the size of the region, an input, not a prediction of the mechanics.
    double            peak_formed_callus = 0;
    unsigned int      peak_formed_day    = 0;
    const std::string periosteal_bone =
        region_column(Region::periosteal_callus, "bone_mm3");
    if (outcomes.has_column(periosteal_bone))
      for (std::size_t r = 0; r < n_rows; ++r)
      {
        const double formed =
            column(periosteal_bone, r) +
            column(region_column(Region::periosteal_callus, "cartilage_mm3"),
                   r);
        if (formed > peak_formed_callus)
        {
          peak_formed_callus = formed;
          peak_formed_day    = static_cast<unsigned int>(column("day", r));
        }
      }
    const double callus_region = total_in(Region::periosteal_callus);
    const double callus_filled =
        callus_region > 0 ? peak_formed_callus / callus_region : 0;
    const double callus_total = last("callus_volume_mm3");
    Statistics   s            = {
                     {"n_days", static_cast<double>(h.n_days)},
                     {"n_cells", static_cast<double>(setup.mesh.n_global_active_cells())},
                     {"n_dofs", static_cast<double>(mechanics.dof_handler().n_dofs())},
                     {"intact_stiffness_N_per_mm", intact_construct_stiffness},
                     // the first loaded day: the reference of the IFM criterion
                     {"initial_ifm_reference_mm", reference_ifm},
                     {"final_ifm_reference_mm", last("ifm_reference_mm")},
                     {"final_stiffness_ratio", last("stiffness_ratio")},
                     {"union_day_bridging", union_bridging},
                     {"union_day_ifm", union_ifm},
                     {"union_day_stiffness", union_stiffness},
                     {"endochondral_share", endochondral_share},
                     {"new_bone_mm3", new_bone},
                     {"peak_cartilage_mm3", peak_cartilage},
                     {"peak_cartilage_share", peak_cartilage_share},
                     {"peak_cartilage_day", static_cast<double>(peak_day)},
                     {"final_callus_bone_share",
         callus_total > 0 ? (last("callus_woven_bone_mm3") +
                             last("callus_lamellar_bone_mm3")) /
                                callus_total
                                       : 0},
                     {"final_periosteal_bone_mm3", bone_in(Region::periosteal_callus)},
                     {"final_periosteal_bone_share",
         total_in(Region::periosteal_callus) > 0
                          ? bone_in(Region::periosteal_callus) /
                   total_in(Region::periosteal_callus)
                          : 0},
                     {"final_gap_bone_share", gap_bone_share},
                     {"peak_periosteal_callus_mm3", peak_formed_callus},
                     {"peak_periosteal_callus_day", static_cast<double>(peak_formed_day)},
                     {"periosteal_callus_region_mm3", callus_region},
                     {"periosteal_callus_filled_share", callus_filled}};
    // bending and twisting: about the axes of an applied moment
    for (unsigned int d = 0; d < 3; ++d)
    {
      bool loaded = false;
      for (const auto &[b, moment] : parameters.boundary_conditions.moment)
        loaded |= moment[d] != 0;
      if (!loaded)
        continue;
      const std::string axis(1, static_cast<char>('x' + d));
      s.emplace_back("final_ifm_rotation_" + axis + "_rad",
                     last("ifm_rotation_" + axis + "_deg") * M_PI / 180.);
      s.emplace_back("final_rotational_stiffness_" + axis + "_Nmm_per_rad",
                     last("rotational_stiffness_" + axis + "_Nm_per_deg") *
                         1000. * 180. / M_PI);
    }
    if (virtual_test)
    {
      s.emplace_back("virtual_test_gauge_length_mm",
                     virtual_test->gauge_length());
      s.emplace_back("virtual_test_intact_Nm_per_deg",
                     virtual_test->over_gauge_length(
                         virtual_test->intact_segment_stiffness()));
      s.emplace_back("final_virtual_bending_Nm_per_deg",
                     last("virtual_bending_Nm_per_deg"));
      s.emplace_back("final_virtual_bending_ratio",
                     last("virtual_bending_ratio"));
      s.emplace_back("union_day_virtual_test", union_virtual_test);
    }
    s.emplace_back("time_total_s", wall_seconds);
    log.write_statistics(s);

    const auto weeks = [](const double day)
    {
      std::ostringstream out;
      if (day < 0)
        out << "not reached";
      else
        out << day << " days (" << std::setprecision(3) << day / 7.
            << " weeks)";
      return out.str();
    };
    std::ostringstream summary;
    summary << std::setprecision(4) << "Healing summary, case '"
            << parameters.case_name << "', rule " << h.rule << ", " << h.n_days
            << " days\n"
            << "  time to union, bony bridging (E >= " << h.bridging_modulus
            << " MPa):  " << weeks(union_bridging) << "\n"
            << "  time to union, IFM below " << h.union_ifm_fraction * 100
            << " % of the first loaded day: " << weeks(union_ifm) << "\n"
            << "  time to union, stiffness >= "
            << h.union_stiffness_fraction * 100
            << " % of intact: " << weeks(union_stiffness) << "\n"
            << (virtual_test
                    ? "  time to union, virtual bending test (fixation "
                      "removed) >= " +
                          significant(h.virtual_test.union_stiffness) +
                          " N m/deg over " +
                          significant(virtual_test->gauge_length()) +
                          " mm: " + weeks(union_virtual_test) + "; last day " +
                          significant(last("virtual_bending_Nm_per_deg")) +
                          " N m/deg = " +
                          significant(100. * last("virtual_bending_ratio")) +
                          " % of the intact bone's (" +
                          significant(virtual_test->over_gauge_length(
                              virtual_test->intact_segment_stiffness())) +
                          " N m/deg)\n"
                    : std::string())
            << "  IFM under the reference load: first loaded day "
            << reference_ifm << " mm, last day " << last("ifm_reference_mm")
            << " mm\n"
            << "  construct stiffness: last day " << last("stiffness_N_per_mm")
            << " N/mm = " << last("stiffness_ratio") * 100 << " % of intact ("
            << intact_construct_stiffness << " N/mm)\n"
            << "  new bone " << new_bone << " mm^3, endochondral share "
            << endochondral_share * 100 << " %\n"
            << "  peak cartilage " << peak_cartilage
            << " mm^3 = " << peak_cartilage_share * 100
            << " % of the callus, on day " << peak_day << "\n"
            << "  periosteal callus bone " << bone_in(Region::periosteal_callus)
            << " mm^3, gap bone share " << gap_bone_share * 100 << " %\n"
            << "  periosteal callus size (bone and cartilage) at its largest "
            << peak_formed_callus << " mm^3 on day " << peak_formed_day << ", "
            << callus_filled * 100 << " % of its region (" << callus_region
            << " mm^3)"
            << (callus_filled > filled_region_share
                    ? ": it fills the region, so its size is the region's "
                      "(an input); a larger region (Geometry/Parametric "
                      "bone/Periosteal callus thickness, length) lets the "
                      "mechanics set it\n"
                    : "\n")
            << "  wall time " << wall_seconds << " s";
    log.line(summary.str());
    progress << summary.str() << std::endl;
    write_summary_file(summary.str());
  }

  void
  HealingSimulation::write_summary_file(const std::string &text) const
  {
    // written beside and renamed: a disk that fills up leaves the summary
    // before it, never a cut one
    bool ok = true;
    if (Utilities::MPI::this_mpi_process(setup.mesh.get_communicator()) == 0)
    {
      const std::string file = directory + "/summary.txt";
      std::ofstream     out(file + ".new");
      out << text << '\n';
      out.close();
      std::error_code code;
      if (out)
        std::filesystem::rename(file + ".new", file, code);
      ok = out && !code;
      if (!ok)
        std::filesystem::remove(file + ".new", code);
    }
    if (!Utilities::MPI::broadcast(setup.mesh.get_communicator(), ok, 0))
      throw OutputError(directory + "/summary.txt",
                        "the write failed (disk full or a file-size limit?)");
  }

  void
  HealingSimulation::write_stopped_summary(const unsigned int day,
                                           const std::string &reason)
  {
    std::ostringstream summary;
    summary << "Healing run STOPPED EARLY, case '" << parameters.case_name
            << "', rule " << parameters.healing.rule << ": on day " << day
            << " of " << parameters.healing.n_days << "\n  reason: " << reason
            << "\n  complete: "
            << (outcomes.empty() ? std::string("no day")
                                 : "days 0 to " +
                                       std::to_string(static_cast<unsigned int>(
                                           outcomes.last("day"))) +
                                       " in healing.csv")
            << "\n  not results: no statistics.txt is written for an "
               "incomplete run; continue it with --restart from the last "
               "checkpoint in checkpoint/ (if one was written)";
    log.line(summary.str());
    try
    {
      write_summary_file(summary.str());
    }
    catch (const OutputError &)
    {
      // the disk that stopped the run may not take this either; the error
      // message says what stopped it
    }
  }
} // namespace Ossify
