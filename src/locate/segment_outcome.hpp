// What one test (a hatch configuration held for a dwell) read per segment: the modules it
// joins and their leak rate. The drill (harness) and inference from telemetry share it.
#pragma once

#include <string>
#include <vector>

namespace leakhunt::locate {

struct SegmentOutcome {
  std::vector<std::string> modules;
  double rate_kg_s = 0.0, sigma_kg_s = 0.0;
  bool losing = false;  // rate more than 3 sd above zero
};

}  // namespace leakhunt::locate
