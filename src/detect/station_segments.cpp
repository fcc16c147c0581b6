#include "detect/station_segments.hpp"

namespace leakhunt::detect {

network::Segmentation segmentsOf(const model::Station& station, const std::vector<bool>& open) {
  std::vector<network::Edge> edges;
  for (std::size_t h = 0; h < station.hatches.size() && h < open.size(); ++h) {
    if (!open[h]) continue;
    const int a = station.moduleIndex(station.hatches[h].moduleA);
    const int b = station.moduleIndex(station.hatches[h].moduleB);
    if (a >= 0 && b >= 0) edges.push_back({a, b});
  }
  return network::segmentsOf(station.modules.size(), edges);
}

network::Segmentation declaredSegments(const model::Station& station) {
  std::vector<bool> open;
  open.reserve(station.hatches.size());
  for (const model::Hatch& h : station.hatches) open.push_back(h.open);
  return segmentsOf(station, open);
}

bool applyLogged(const LoggedEvents& log, double until_s, LogCursor& cursor,
                 std::vector<bool>& hatchOpen, std::vector<int>& crewModule) {
  bool changed = false;
  while (cursor.hatch < log.hatches.size() && log.hatches[cursor.hatch].time_s < until_s) {
    const LoggedHatch& e = log.hatches[cursor.hatch++];
    if (e.hatch < 0 || static_cast<std::size_t>(e.hatch) >= hatchOpen.size()) continue;
    if (hatchOpen[static_cast<std::size_t>(e.hatch)] != e.open) {
      hatchOpen[static_cast<std::size_t>(e.hatch)] = e.open;
      changed = true;
    }
  }
  while (cursor.crewMove < log.crewMoves.size() &&
         log.crewMoves[cursor.crewMove].time_s < until_s) {
    const LoggedCrewMove& e = log.crewMoves[cursor.crewMove++];
    if (e.crew >= 0 && static_cast<std::size_t>(e.crew) < crewModule.size())
      crewModule[static_cast<std::size_t>(e.crew)] = e.module;
  }
  return changed;
}

}  // namespace leakhunt::detect
