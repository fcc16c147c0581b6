// The per-segment summary at the end of a run: each segment's pressure and the drop rate of
// its gas inventory over the scenario's last hour, and the time to the evacuation pressure.
#pragma once

#include <span>
#include <vector>

#include "base/truth_wall.hpp"
#include "model/station.hpp"
#include "network/gas_network.hpp"
#include "sim/scenario_runner.hpp"

namespace leakhunt::sim {

// `y` at `end_s`, `yLastHour` at `lastHour_s`; segments by the hatch states at `end_s`.
std::vector<SegmentSummary> summariseSegments(const network::GasNetwork& net,
                                              const model::Station& station,
                                              std::span<const double> yLastHour, double lastHour_s,
                                              std::span<const double> y, double end_s);

}  // namespace leakhunt::sim
