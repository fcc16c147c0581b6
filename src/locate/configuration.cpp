#include "locate/configuration.hpp"

#include "network/segments.hpp"

namespace leakhunt::locate {

HatchSet declaredHatches(const model::Station& station) {
  HatchSet open;
  for (const model::Hatch& h : station.hatches) open.push_back(h.open);
  return open;
}

Segments segmentsOf(const model::Station& station, const HatchSet& open) {
  std::vector<network::Edge> edges;
  for (std::size_t h = 0; h < station.hatches.size(); ++h)
    if (open[h])
      edges.push_back({station.moduleIndex(station.hatches[h].moduleA),
                       station.moduleIndex(station.hatches[h].moduleB)});
  network::Segmentation s = network::segmentsOf(station.modules.size(), edges);
  return {std::move(s.segmentOf), std::move(s.members)};
}

std::vector<HatchChange> changesBetween(const HatchSet& from, const HatchSet& to) {
  std::vector<HatchChange> out;
  for (std::size_t h = 0; h < from.size(); ++h)
    if (from[h] != to[h]) out.push_back({static_cast<int>(h), to[h]});
  return out;
}

std::vector<std::string> closedByPlan(const model::Station& station, const HatchSet& open) {
  std::vector<std::string> out;
  for (std::size_t h = 0; h < station.hatches.size(); ++h)
    if (!open[h] && station.hatches[h].open) out.push_back(station.hatches[h].id);
  return out;
}

}  // namespace leakhunt::locate
