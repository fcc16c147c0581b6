#include "network/segments.hpp"

#include <algorithm>
#include <queue>

namespace leakhunt::network {

Segmentation segmentsOf(std::size_t moduleCount, const std::vector<Edge>& openEdges) {
  std::vector<std::vector<std::pair<int, int>>> adjacent(moduleCount);  // (neighbour, edge)
  for (std::size_t e = 0; e < openEdges.size(); ++e) {
    const Edge& edge = openEdges[e];
    adjacent[static_cast<std::size_t>(edge.a)].push_back({edge.b, static_cast<int>(e)});
    adjacent[static_cast<std::size_t>(edge.b)].push_back({edge.a, static_cast<int>(e)});
  }
  Segmentation s;
  s.segmentOf.assign(moduleCount, -1);
  s.parent.assign(moduleCount, -1);
  s.parentEdge.assign(moduleCount, -1);
  s.order.reserve(moduleCount);
  for (std::size_t root = 0; root < moduleCount; ++root) {
    if (s.segmentOf[root] >= 0) continue;
    const int segment = static_cast<int>(s.members.size());
    s.members.emplace_back();
    std::queue<int> frontier;
    frontier.push(static_cast<int>(root));
    s.segmentOf[root] = segment;
    while (!frontier.empty()) {
      const int m = frontier.front();
      frontier.pop();
      s.order.push_back(m);
      s.members.back().push_back(m);
      for (const auto& [next, edge] : adjacent[static_cast<std::size_t>(m)]) {
        if (s.segmentOf[static_cast<std::size_t>(next)] >= 0) continue;
        s.segmentOf[static_cast<std::size_t>(next)] = segment;
        s.parent[static_cast<std::size_t>(next)] = m;
        s.parentEdge[static_cast<std::size_t>(next)] = edge;
        frontier.push(next);
      }
    }
    std::sort(s.members.back().begin(), s.members.back().end());
  }
  return s;
}

}  // namespace leakhunt::network
