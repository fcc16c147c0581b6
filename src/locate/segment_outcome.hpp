// What one test (a hatch configuration held for a dwell) read per segment: the modules it
// joins and their leak rate. The operations core, the drill (harness) and inference from
// telemetry all read stretches into it.
#pragma once

#include <string>
#include <vector>

#include "locate/belief.hpp"

namespace leakhunt::locate {

struct SegmentOutcome {
  std::vector<std::string> segment;  // the segment's module ids
  double rate_kg_s = 0.0, sigma_kg_s = 0.0;
  bool read = false;    // false: too few blocks, or no pressure sensor
  bool losing = false;  // rate more than 3 sd above zero
};

// The rate to plan with: the sum of the segments clearly seen losing gas (more than 3 sd), once
// there are any, with an sd of at least 30 %; `before` otherwise. The rate at an alarm can be
// several times off for a slow leak; a segment clearly losing gas is the better estimate.
LeakRate refinedRate(const std::vector<SegmentOutcome>& outcome, const LeakRate& before);

}  // namespace leakhunt::locate
