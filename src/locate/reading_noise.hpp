// How well a segment's leak rate can be read from its gas inventory over a dwell, before the
// reading is made: the detector's own noise model of the segment's residual
// (detect/residual_noise.hpp: white block noise, the wander of the sources and of the unseen
// gas temperature) through its one slope formula (detect::slopeSigma). The same leak is a
// larger fraction of a smaller inventory, so small segments read faster. Issue 12: the planner
// once had a noise model of its own, which disagreed with the detector's.
#pragma once

#include "detect/residual_noise.hpp"
#include "detect/slope_change_test.hpp"
#include "locate/station_facts.hpp"

namespace leakhunt::locate {

// The detector's windows: its block period (period_s), the wander's period and the level's
// tilt. The planner reads with the detector's options, so it expects what the detector sees.
using NoiseOptions = detect::SlopeChangeOptions;

// 1 sigma of the loss rate [kg/s] read over `dwell_s` in a segment whose modules' terms are
// summed in `segment`, holding `crew` people; infinite when no module of the segment has a
// pressure sensor or the dwell holds fewer than two blocks. Code trying many dwells, or adding
// modules one at a time, sums once.
double readingSigma(const StationFacts& facts, detect::SegmentNoiseSums segment, int crew,
                    double dwell_s, const NoiseOptions& options = {});

// Seconds after a hatch change before the reading starts (two blocks: the change's block is
// dropped by the detector, the next may still hold its transient).
inline constexpr double kSettle_s = 120.0;

}  // namespace leakhunt::locate
