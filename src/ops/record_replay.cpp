#include "ops/record_replay.hpp"

#include <algorithm>
#include <vector>

namespace leakhunt::ops {

void replayRecord(OperationsCore& core, std::span<const telemetry::Sample> samples,
                  const detect::LoggedEvents& log) {
  std::vector<LoggedAction> entries;
  for (const detect::LoggedHatch& e : log.hatches) entries.emplace_back(e);
  for (const detect::LoggedCrewMove& e : log.crewMoves) entries.emplace_back(e);
  for (const detect::LoggedPatch& e : log.patches) entries.emplace_back(e);
  for (const detect::LoggedRepress& e : log.represses) entries.emplace_back(e);
  std::stable_sort(
      entries.begin(), entries.end(),
      [](const LoggedAction& a, const LoggedAction& b) { return timeOf(a) < timeOf(b); });
  std::size_t next = 0;
  for (const telemetry::Sample& s : samples) {
    // An entry is logged once the telemetry has reached it, as the crew logs what is done.
    while (next < entries.size() && timeOf(entries[next]) <= s.time_s) core.log(entries[next++]);
    core.addSample(s);
  }
  while (next < entries.size()) core.log(entries[next++]);
  core.finish();
}

}  // namespace leakhunt::ops
