// Warnings about a valid station that will not keep its crew alive or cannot be watched:
// `check` prints them with file:line and still exits 0 (issue 14). Computed from the declared
// numbers only (model/steady_air.hpp), never by simulating.
#pragma once

#include <vector>

#include "model/station.hpp"
#include "model/station_load.hpp"

namespace leakhunt::model {

// - a crewed module with no path through open hatches to CO2 removal;
// - life support too small for its crew: steady ppCO2 over the limit, or humidity over the
//   band (or at saturation, condensing);
// - water removal too large for its crew: steady humidity under the band where crew live;
// - a module with no pressure sensor (detection can find a leak there only by exclusion);
// - a station with no sensors at all (simulate writes no telemetry, detect has nothing to read).
// - implausible values (a cabin outside 10-200 kPa or -10-50 degC, a module outside 0.1-5000
//   m^3, a hatch over 3 m across or taking over a day to operate).
std::vector<Diagnostic> lintStation(const Station& station);

// The implausible values alone: `simulate` names them when the solver fails.
std::vector<Diagnostic> lintPlausibility(const Station& station);

}  // namespace leakhunt::model
