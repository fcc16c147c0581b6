// The simulation's summary as JSON, rendered once (issue 16): `simulate --json` and the Python
// module's `simulate()` both call it, so they speak one vocabulary (docs/schema/
// simulate.schema.json).
#pragma once

#include <nlohmann/json.hpp>

#include "sim/habitability.hpp"
#include "sim/scenario_runner.hpp"

namespace leakhunt::sim {

// One segment at the end of the run: its pressures, the last hour's fall and the time to the
// evacuation pressure at that rate (null when it is not falling).
nlohmann::ordered_json segmentSummaryJson(const SegmentSummary& segment);

// One module's extremes over the run and the time it spent outside each limit. Humidity is
// relative, a fraction from 0 to 1, as the station file's limits write it.
nlohmann::ordered_json habitabilityJson(const ModuleHabitability& module);

}  // namespace leakhunt::sim
