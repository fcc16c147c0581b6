// Segments: the modules joined by open hatches (physics.md section 3 and 5). Detection watches
// segments, localisation splits them, the reduced integrator holds each at one pressure.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace leakhunt::network {

struct Edge {
  int a = -1;
  int b = -1;
};

struct Segmentation {
  std::vector<int> segmentOf;             // module -> segment index
  std::vector<std::vector<int>> members;  // segment -> modules, ascending
  // A spanning tree per segment: for each module, its parent in the tree and the edge index
  // that joins them (-1 at the root of its segment); `order` lists modules root-first.
  std::vector<int> parent;
  std::vector<int> parentEdge;
  std::vector<int> order;
};

// Segments of `moduleCount` modules joined by the given open edges. Segments are numbered by
// their lowest module index, so the numbering is stable.
Segmentation segmentsOf(std::size_t moduleCount, const std::vector<Edge>& openEdges);

}  // namespace leakhunt::network
