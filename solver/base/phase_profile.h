#ifndef OSSIFY_BASE_PHASE_PROFILE_H
#define OSSIFY_BASE_PHASE_PROFILE_H

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace Ossify
{
  /**
   * Wall-clock seconds spent in the named phases of a run, in the order the
   * phases first appear, and a table of them. Each rank times its own work;
   * the phases of a day loop are collective, so rank 0's figures stand for
   * the run.
   */
  class PhaseProfile
  {
  public:
    /// Times the enclosing block and adds it to a phase when it ends.
    class Scope
    {
    public:
      Scope(PhaseProfile &profile, std::string phase);
      ~Scope();
      Scope(const Scope &)            = delete;
      Scope &operator=(const Scope &) = delete;

    private:
      PhaseProfile                                      &profile;
      std::string                                        phase;
      std::chrono::time_point<std::chrono::steady_clock> start;
    };

    /// Adds @p seconds to @p phase (a phase timed elsewhere).
    void add(const std::string &phase, double seconds);

    double total_seconds() const;

    /**
     * One line per phase: total seconds, seconds per day over @p n_days,
     * share of the profiled time; a last line with the total.
     */
    std::vector<std::string> table(unsigned int n_days) const;

  private:
    std::vector<std::pair<std::string, double>> phases;
  };
} // namespace Ossify

#endif
