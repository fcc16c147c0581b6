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

namespace {

template <class Entry>
void insertInOrder(std::vector<Entry>& list, const Entry& e, double Entry::*time) {
  const auto at = std::upper_bound(list.begin(), list.end(), e.*time,
                                   [&](double t, const Entry& x) { return t < x.*time; });
  list.insert(at, e);
}

}  // namespace

bool addInOrder(LoggedEvents& log, const LoggedHatch& entry, double from_s) {
  if (!std::isfinite(entry.time_s) || !(entry.time_s >= from_s)) return false;
  insertInOrder(log.hatches, entry, &LoggedHatch::time_s);
  return true;
}

bool addInOrder(LoggedEvents& log, const LoggedCrewMove& entry, double from_s) {
  if (!std::isfinite(entry.time_s) || !(entry.time_s >= from_s)) return false;
  insertInOrder(log.crewMoves, entry, &LoggedCrewMove::time_s);
  return true;
}

bool addInOrder(LoggedEvents& log, const LoggedPatch& entry, double from_s) {
  if (!std::isfinite(entry.time_s) || !(entry.time_s >= from_s)) return false;
  insertInOrder(log.patches, entry, &LoggedPatch::time_s);
  return true;
}

bool addInOrder(LoggedEvents& log, const LoggedRepress& entry, double from_s) {
  LoggedEvents one;
  one.represses.push_back(entry);
  one = boundedLog(std::move(one));
  if (one.represses.empty() || !(one.represses.front().start_s >= from_s)) return false;
  insertInOrder(log.represses, one.represses.front(), &LoggedRepress::start_s);
  return true;
}

bool repressInto(const LoggedEvents& log, std::span<const int> modules, double from_s,
                 double to_s) {
  const auto first =
      std::lower_bound(log.represses.begin(), log.represses.end(), from_s - kMaxRepressDuration_s,
                       [](const LoggedRepress& r, double t) { return r.start_s < t; });
  for (auto r = first; r != log.represses.end() && r->start_s < to_s; ++r) {
    if (r->end_s < from_s) continue;
    if (std::find(modules.begin(), modules.end(), r->module) != modules.end()) return true;
  }
  return false;
}

}  // namespace leakhunt::detect
