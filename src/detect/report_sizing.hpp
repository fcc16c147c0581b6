// A leak report's hole and reserve time, filled the same way by every detector (the slope-change
// books and the state-space books): the repress gas of the tanks in the segment, then the sizing
// written into the report.
#pragma once

#include <span>

#include "detect/detector.hpp"
#include "detect/sizing.hpp"
#include "model/station.hpp"

namespace leakhunt::detect {

// The station's declared cabin air as the detectors size a leak with it.
struct CabinAir {
  double r_j_kgk = 287.0, gamma = 1.4;
  double o2MoleFraction = 0.21, o2MassFraction = 0.23;
};
CabinAir cabinAirOf(const model::Station& station);

// A sizing input holding the cabin's gas, the station's limits and `cd`; the rate and the
// segment's state are the caller's to set.
SizingInput cabinSizingInput(const CabinAir& air, const model::Limits& limits, double cd);

// Adds the gas, and its O2, of every repress tank in one of `modules` (station indices).
void addRepressTanks(SizingInput& in, const model::Station& station, std::span<const int> modules);

// Sizes the leak from `in` and writes the hole, its interval, the reserve times and the repress
// gas into `r`. The rate, pressure and the other inputs are the caller's to set.
void applySizing(LeakReport& r, const SizingInput& in);

}  // namespace leakhunt::detect
