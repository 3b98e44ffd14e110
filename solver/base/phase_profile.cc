#include "base/phase_profile.h"

#include <algorithm>
#include <cstdio>

namespace Ossify
{
  PhaseProfile::Scope::Scope(PhaseProfile &profile, std::string phase)
      : profile(profile)
      , phase(std::move(phase))
      , start(std::chrono::steady_clock::now())
  {
  }

  PhaseProfile::Scope::~Scope()
  {
    const std::chrono::duration<double> elapsed =
        std::chrono::steady_clock::now() - start;
    // a destructor must not throw; a profile that misses a phase because
    // memory ran out is no reason to end the run
    try
    {
      profile.add(phase, elapsed.count());
    }
    catch (...)
    {
    }
  }

  void
  PhaseProfile::add(const std::string &phase, const double seconds)
  {
    const auto entry =
        std::find_if(phases.begin(),
                     phases.end(),
                     [&](const auto &p) { return p.first == phase; });
    if (entry == phases.end())
      phases.emplace_back(phase, seconds);
    else
      entry->second += seconds;
  }

  double
  PhaseProfile::total_seconds() const
  {
    double total = 0;
    for (const auto &p : phases)
      total += p.second;
    return total;
  }

  std::vector<std::string>
  PhaseProfile::table(const unsigned int n_days) const
  {
    const double             total = total_seconds();
    const double             days  = std::max(1u, n_days);
    std::vector<std::string> lines;
    char                     line[160];
    std::snprintf(line,
                  sizeof line,
                  "%-44s %10s %10s %7s",
                  "phase",
                  "total s",
                  "s per day",
                  "share");
    lines.emplace_back(line);
    for (const auto &[phase, seconds] : phases)
    {
      std::snprintf(line,
                    sizeof line,
                    "%-44s %10.3f %10.4f %6.1f%%",
                    phase.c_str(),
                    seconds,
                    seconds / days,
                    total > 0 ? 100. * seconds / total : 0.);
      lines.emplace_back(line);
    }
    std::snprintf(line,
                  sizeof line,
                  "%-44s %10.3f %10.4f %6.1f%%",
                  "all profiled phases",
                  total,
                  total / days,
                  100.);
    lines.emplace_back(line);
    return lines;
  }
} // namespace Ossify
