// A leak report's hole and reserve time, filled the same way by every detector (the slope-change
// books and the state-space books): the repress gas of the tanks in the segment, then the sizing
// written into the report.
#pragma once

#include <span>

#include "detect/detector.hpp"
#include "detect/sizing.hpp"
#include "model/station.hpp"

namespace leakhunt::detect {

// Adds the gas, and its O2, of every repress tank in one of `modules` (station indices).
void addRepressTanks(SizingInput& in, const model::Station& station, std::span<const int> modules);

// Sizes the leak from `in` and writes the hole, its interval, the reserve times and the repress
// gas into `r`. The rate, pressure and the other inputs are the caller's to set.
void applySizing(LeakReport& r, const SizingInput& in);

}  // namespace leakhunt::detect
