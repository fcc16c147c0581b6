#include "detect/logged_events.hpp"

#include <algorithm>
#include <cmath>
#include <type_traits>
#include <variant>

namespace leakhunt::detect {

namespace {

template <class T>
int indexById(const std::vector<T>& items, const std::string& id) {
  for (std::size_t i = 0; i < items.size(); ++i)
    if (items[i].id == id) return static_cast<int>(i);
  return -1;
}

}  // namespace

LoggedEvents loggedEventsOf(const model::Scenario& scenario, const model::Station& station) {
  LoggedEvents log;
  const double start = static_cast<double>(scenario.startUnix_s);
  for (const model::Event& ev : scenario.events) {
    const double t = start + ev.time_s;
    std::visit(
        [&](const auto& a) {
          using A = std::decay_t<decltype(a)>;
          if constexpr (std::is_same_v<A, model::HatchEvent>) {
            const int h = indexById(station.hatches, a.hatch);
            if (h >= 0) log.hatches.push_back({t, h, a.open});
          } else if constexpr (std::is_same_v<A, model::RepressEvent>) {
            const int m = indexById(station.modules, a.module);
            if (m >= 0) log.represses.push_back({t, t + a.duration_s, m, a.mass_kg});
          } else if constexpr (std::is_same_v<A, model::CrewMoveEvent>) {
            const int c = indexById(station.crew, a.crew);
            const int m = indexById(station.modules, a.module);
            if (c >= 0 && m >= 0) log.crewMoves.push_back({t, c, m});
          } else if constexpr (std::is_same_v<A, model::PatchEvent>) {
            log.patches.push_back({t, a.leak});
          }
          // LeakEvent: truth, never read. SensorFaultEvent: truth about the sensors.
        },
        ev.action);
  }
  const auto byStart = [](const LoggedRepress& a, const LoggedRepress& b) {
    return a.start_s < b.start_s;
  };
  std::stable_sort(log.represses.begin(), log.represses.end(), byStart);
  return log;
}

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
