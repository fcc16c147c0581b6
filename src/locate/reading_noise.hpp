// How well a segment's leak rate can be read from its gas inventory over a dwell
// (physics.md sections 4-6): white pressure noise over the blocks, the unmeasured part of the
// gas temperature as a level wander across the dwell, and the wander of the known sources.
// The same leak is a larger fraction of a smaller inventory, so small segments read faster.
#pragma once

#include <vector>

#include "locate/station_facts.hpp"

namespace leakhunt::locate {

struct NoiseOptions {
  double blockPeriod_s = 60.0;
  double levelFactor = 1.5;  // the level wander's share in a slope over T (detector: 1.5 k)
};

// 1 sigma of the loss rate [kg/s] read over `dwell_s` in a segment of `modules`, holding
// `crew` people; infinite when no module of the segment has a pressure sensor.
double readingSigma(const StationFacts& facts, const std::vector<int>& modules, int crew,
                    double dwell_s, const NoiseOptions& options = {});

// The segment's sums that the reading's sd needs, so that code trying many dwells, or adding
// modules one at a time, sums once. Adding modules in ascending order gives readingSigma's
// figures to the bit.
struct SegmentNoise {
  int sensors = 0;
  double volume_m3 = 0.0, inventorySquares_kg2 = 0.0, wanderSquares_kg2_s2 = 0.0;
  void add(const StationFacts& facts, int module);
};
double readingSigma(const StationFacts& facts, const SegmentNoise& segment, int crew,
                    double dwell_s, const NoiseOptions& options = {});

// Seconds after a hatch change before the reading starts (two blocks: the change's block is
// dropped by the detector, the next may still hold its transient).
inline constexpr double kSettle_s = 120.0;

}  // namespace leakhunt::locate
