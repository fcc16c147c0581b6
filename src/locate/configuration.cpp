#include "locate/configuration.hpp"

#include <algorithm>
#include <unordered_map>

namespace leakhunt::locate {

HatchSet declaredHatches(const model::Station& station) {
  HatchSet open;
  for (const model::Hatch& h : station.hatches) open.push_back(h.open);
  return open;
}

HatchGraph::HatchGraph(const model::Station& station) : modules(station.modules.size()) {
  // By id through a map: Station::moduleIndex scans, and a station has as many hatches as
  // modules. The first module of an id wins, as in moduleIndex.
  std::unordered_map<std::string, int> index;
  for (std::size_t m = 0; m < station.modules.size(); ++m)
    index.emplace(station.modules[m].id, static_cast<int>(m));
  const auto find = [&](const std::string& id) {
    const auto it = index.find(id);
    return it == index.end() ? -1 : it->second;
  };
  ends.reserve(station.hatches.size());
  for (const model::Hatch& h : station.hatches) ends.push_back({find(h.moduleA), find(h.moduleB)});
}

namespace {

int rootOf(std::vector<int>& parent, int m) {
  while (parent[static_cast<std::size_t>(m)] != m) {
    // Path halving keeps the trees flat.
    parent[static_cast<std::size_t>(m)] =
        parent[static_cast<std::size_t>(parent[static_cast<std::size_t>(m)])];
    m = parent[static_cast<std::size_t>(m)];
  }
  return m;
}

}  // namespace

int labelSegments(const HatchGraph& graph, const HatchSet& open, std::vector<int>* segmentOf,
                  std::vector<int>* scratch) {
  // Union-find over the open hatches, then labels in order of each segment's lowest module:
  // the numbering of network::segmentsOf, which the plans' order of segments depends on.
  std::vector<int>& parent = *scratch;
  parent.resize(graph.modules);
  for (std::size_t m = 0; m < graph.modules; ++m) parent[m] = static_cast<int>(m);
  for (std::size_t h = 0; h < graph.ends.size(); ++h) {
    const auto [a, b] = graph.ends[h];
    if (!open[h] || a < 0 || b < 0) continue;
    const int ra = rootOf(parent, a), rb = rootOf(parent, b);
    if (ra != rb) parent[static_cast<std::size_t>(std::max(ra, rb))] = std::min(ra, rb);
  }
  segmentOf->resize(graph.modules);
  int segments = 0;
  for (std::size_t m = 0; m < graph.modules; ++m) {
    // Roots are each segment's lowest module, so a root is met before its members.
    const int r = rootOf(parent, static_cast<int>(m));
    (*segmentOf)[m] =
        r == static_cast<int>(m) ? segments++ : (*segmentOf)[static_cast<std::size_t>(r)];
  }
  return segments;
}

Segments segmentsOf(const HatchGraph& graph, const HatchSet& open) {
  Segments s;
  std::vector<int> scratch;
  const int count = labelSegments(graph, open, &s.segmentOf, &scratch);
  s.members.resize(static_cast<std::size_t>(count));
  for (std::size_t m = 0; m < graph.modules; ++m)
    s.members[static_cast<std::size_t>(s.segmentOf[m])].push_back(static_cast<int>(m));
  return s;
}

Segments segmentsOf(const model::Station& station, const HatchSet& open) {
  return segmentsOf(HatchGraph(station), open);
}

std::vector<int> mainSegment(const model::Station& station) {
  const Segments seg = segmentsOf(station, declaredHatches(station));
  std::size_t largest = 0;
  for (std::size_t g = 0; g < seg.members.size(); ++g)
    if (seg.members[g].size() > seg.members[largest].size()) largest = g;
  return seg.members.empty() ? std::vector<int>{} : seg.members[largest];
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
