#include "locate/configuration.hpp"

#include "network/segments.hpp"

namespace leakhunt::locate {

HatchSet declaredHatches(const model::Station& station) {
  HatchSet open;
  for (const model::Hatch& h : station.hatches) open.push_back(h.open);
  return open;
}

HatchGraph::HatchGraph(const model::Station& station) : modules(station.modules.size()) {
  for (const model::Hatch& h : station.hatches)
    ends.push_back({station.moduleIndex(h.moduleA), station.moduleIndex(h.moduleB)});
}

Segments segmentsOf(const HatchGraph& graph, const HatchSet& open) {
  std::vector<network::Edge> edges;
  for (std::size_t h = 0; h < graph.ends.size(); ++h)
    if (open[h]) edges.push_back({graph.ends[h].first, graph.ends[h].second});
  network::Segmentation s = network::segmentsOf(graph.modules, edges);
  return {std::move(s.segmentOf), std::move(s.members)};
}

Segments segmentsOf(const model::Station& station, const HatchSet& open) {
  return segmentsOf(HatchGraph(station), open);
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
