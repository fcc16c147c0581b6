// Hatch configurations and the segments they make (physics.md section 6).
// A configuration is the open/closed state of every hatch of a station; closing hatches splits
// the station graph into segments, each watched as one inventory by the detector.
#pragma once

#include <string>
#include <vector>

#include "model/station.hpp"

namespace leakhunt::locate {

// open[h] for every hatch h of the station, in Station::hatches order.
using HatchSet = std::vector<bool>;

struct Segments {
  std::vector<int> segmentOf;             // module -> segment
  std::vector<std::vector<int>> members;  // segment -> modules, ascending
};

// The hatch states the station description declares (its `open:` flags).
HatchSet declaredHatches(const model::Station& station);

Segments segmentsOf(const model::Station& station, const HatchSet& open);

// The modules of the largest segment the declared hatches make (the first of equals): where a
// leak is looked for when nobody says where (plans, localisation campaigns).
std::vector<int> mainSegment(const model::Station& station);

// The hatch graph with module indices resolved once, for code that splits it many times.
struct HatchGraph {
  std::size_t modules = 0;
  std::vector<std::pair<int, int>> ends;  // per hatch; -1 for a module the station lacks
  explicit HatchGraph(const model::Station& station);
};
Segments segmentsOf(const HatchGraph& graph, const HatchSet& open);

// The segment of every module, numbered as segmentsOf numbers them (by lowest module), written
// into `segmentOf`; returns the number of segments. Linear in modules and hatches and, once
// the vectors have grown, free of allocation: the planner splits a station of a thousand
// modules some hundred thousand times for one step (issue 15).
int labelSegments(const HatchGraph& graph, const HatchSet& open, std::vector<int>* segmentOf,
                  std::vector<int>* scratch);

// Hatches that change state from `from` to `to`.
struct HatchChange {
  int hatch = -1;
  bool open = false;
};
std::vector<HatchChange> changesBetween(const HatchSet& from, const HatchSet& to);

// Hatch ids closed in `open` that the station declares open: what a plan step shows.
std::vector<std::string> closedByPlan(const model::Station& station, const HatchSet& open);

}  // namespace leakhunt::locate
