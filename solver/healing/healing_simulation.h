#ifndef OSSIFY_HEALING_HEALING_SIMULATION_H
#define OSSIFY_HEALING_HEALING_SIMULATION_H

#include "app/case_setup.h"
#include "base/quadrature_point_data.h"
#include "healing/mechano_regulation.h"
#include "healing/outcome_table.h"
#include "healing/stem_cells.h"
#include "healing/tissue_state.h"
#include "io/run_log.h"

#include <deal.II/base/conditional_ostream.h>

#include <fstream>
#include <limits>
#include <memory>
#include <string>

namespace Ossify
{
  struct CheckpointFingerprint;
  struct RestartPoint;

  /**
   * The day loop: mechanics -> stimulus -> tissue change, with stem-cell
   * migration, smoothing of the moduli, pathway bookkeeping and the healing
   * outcomes (IFM, stiffness relative to the intact bone, bony bridging,
   * time to union by each criterion, endochondral share, peak cartilage).
   */
  class HealingSimulation
  {
  public:
    /// @p progress gets one line per day, @p details (--verbose) the
    /// solver figures of every day. Checkpoints carry @p fingerprint; a
    /// run continues from @p restart_point (read and accepted before the
    /// output directory was touched) if it is given.
    HealingSimulation(CaseSetup                    &setup,
                      const std::string            &output_directory,
                      RunLog                       &log,
                      dealii::ConditionalOStream   &progress,
                      dealii::ConditionalOStream   &details,
                      const CheckpointFingerprint  &fingerprint,
                      std::unique_ptr<RestartPoint> restart_point = nullptr);
    ~HealingSimulation();

    /// Runs all days; writes healing.csv day by day, fields every
    /// "Output interval" days, and summary.txt plus statistics at the end.
    void run();

  private:
    void initialise_tissue();
    /// Restores tissue, stem cells and records from the restart point;
    /// returns the first day still to compute.
    unsigned int restore_checkpoint(double &wall_seconds);
    void         save_checkpoint(unsigned int next_day, double wall_seconds);
    /// Today's moduli from the tissue state (smoothed), the implant's
    /// scaled by @p implant_factor (dynamisation of an explicit device).
    void   update_materials(double implant_factor);
    double intact_stiffness();
    /// The virtual mechanical test on today's moduli [N mm/rad].
    double virtual_test_stiffness();
    /// Sets today's columns of the mechanics (IFM, stiffness), tissue
    /// volumes and bony bridging in the row of @p outcomes begun for today.
    void record_day(double load_factor, const MechanicalQuantities &q);
    /// Largest cell-mean bone fraction and perfusion among the face
    /// neighbours of every locally owned cell, across ranks.
    struct NeighbourMaxima
    {
      std::vector<double> bone, perfusion;
    };
    NeighbourMaxima neighbour_maxima() const;
    /// The rule's stimulus at every evolving point, from today's strains.
    void evaluate_stimulus(
        const QuadraturePointData<MechanicalPointState> &mechanics_states);
    void differentiate(
        const QuadraturePointData<MechanicalPointState> &mechanics_states);
    /// Writes the tissue fields of @p day: to files if @p write_files, and to
    /// the Catalyst pipelines when they are due.
    void write_fields(unsigned int                                     day,
                      const QuadraturePointData<MechanicalPointState> &states,
                      bool write_files);
    /// Appends @p text to healing.csv (to a new file if @p fresh), or
    /// throws OutputError on every rank with the file cut back to its last
    /// complete row.
    void append_to_csv(const std::string &text, bool fresh = false);
    void write_summary(double wall_seconds);
    void write_summary_file(const std::string &text) const;
    /// summary.txt of a run that stopped on @p day: why, and which days
    /// are complete.
    void write_stopped_summary(unsigned int day, const std::string &reason);

    CaseSetup                       &setup;
    const CaseParameters            &parameters;
    ElasticitySolver                &mechanics;
    const CheckpointFingerprint     &fingerprint;
    std::unique_ptr<RestartPoint>    restart_point;
    std::string                      directory;
    RunLog                          &log;
    dealii::ConditionalOStream      &progress;
    dealii::ConditionalOStream      &details;
    QuadraturePointData<TissueState> tissue;
    QuadraturePointData<double>      stimulus;
    /// today's Young's modulus [MPa]: healing computes it and pushes it to
    /// the mechanics; bridging reads it here, not back from the solver
    QuadraturePointData<double>        youngs_modulus;
    std::unique_ptr<StemCellDiffusion> stem_cells;
    std::unique_ptr<FieldOutput>       fields;
    std::ofstream                      csv;
    std::uintmax_t                     csv_complete_bytes = 0;
    /// one row a day: healing.csv, the checkpoint's records, the summary
    OutcomeTable outcomes;
    double       intact_construct_stiffness = 0;
    /// null when the case does not ask for it
    VirtualMechanicalTest *virtual_test;
  };
} // namespace Ossify

#endif
