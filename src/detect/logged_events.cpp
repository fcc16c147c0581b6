#include "detect/logged_events.hpp"

#include <algorithm>
#include <cmath>

namespace leakhunt::detect {

LoggedEvents boundedLog(LoggedEvents log) {
  const auto dropUntimed = [](auto& list, auto timeOf) {
    std::erase_if(list, [&](const auto& e) { return !std::isfinite(timeOf(e)); });
    std::stable_sort(list.begin(), list.end(),
                     [&](const auto& a, const auto& b) { return timeOf(a) < timeOf(b); });
  };
  dropUntimed(log.hatches, [](const LoggedHatch& e) { return e.time_s; });
  dropUntimed(log.crewMoves, [](const LoggedCrewMove& e) { return e.time_s; });
  dropUntimed(log.patches, [](const LoggedPatch& e) { return e.time_s; });
  dropUntimed(log.represses, [](const LoggedRepress& e) { return e.start_s; });
  for (LoggedRepress& r : log.represses) {
    // NaN or an end before the start: the repress as instantaneous.
    if (!(r.end_s >= r.start_s)) r.end_s = r.start_s;
    r.end_s = std::min(r.end_s, r.start_s + kMaxRepressDuration_s);
  }
  return log;
}

}  // namespace leakhunt::detect
