// A leak report's hole and reserve time, filled the same way by every detector (the slope-change
// books and the state-space books): the repress gas of the tanks in the segment, then the sizing
// written into the report.
#pragma once

#include <span>

#include "detect/detector.hpp"
#include "detect/pressure_rate.hpp"
#include "detect/sizing.hpp"
#include "detect/wander_shape.hpp"
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

// The reported rate and its sd (issue 20): the detector's inventory fit (`fitRate_kg_s` +-
// `fitSigma_kg_s`) unless the segment's pressure rate (`fast`, pressure_rate.hpp) is tighter, or
// the two 95 % intervals do not overlap: then the leak has outrun the fit's onset model (a big
// hole seen over a few blocks, a decay faster than a constant rate) and the pressure rate, whose
// model is the physics of a fixed hole, is reported. Its interval, widened by the floors below,
// becomes a symmetric sd that covers it (so every consumer of rate +- 1.96 sd stays safe);
// `r.rateBasis` says which was used and whether the rate is only a lower bound.
// `r.rateHighest_kg_s` is the faster of the two upper ends, for the reserve's lower bound.
// The guard widens the pressure rate by the segment's own absolute floor, `guardFloor_kg_s`
// (pressureRateFloor_kg_s); the choice, by the one floor below.
void chooseRate(LeakReport& r, double fitRate_kg_s, double fitSigma_kg_s, const PressureRate& fast,
                double guardFloor_kg_s);

// "inventory-fit", "pressure-rate" or "pressure-rate-at-least" (detect --json's rate_basis).
const char* rateBasisName(RateBasis basis);

// Systematic floors on the pressure rate's sd: a relative part for the gas temperature the
// thermometers miss during a fast drop, and an absolute part for the cabin's own pressure wander
// over a 10 min window (unmeasured temperature, the crew, the known sources' error). The choice
// between the fit and the pressure rate widens by these: 1.5e-4 kg/s was set for the ISS main
// segment, and every campaign was calibrated and judged with it.
inline constexpr double kPressureRateRelativeSd = 0.05;
inline constexpr double kPressureRateAbsoluteSd_kg_s = 1.5e-4;

// The absolute floor of the reserve's guard in one segment: the sd its modelled wanders
// (residual_noise.hpp, from what the station file declares) give the pressure rate's shortest
// fit, a loss over the last block against a flat level over the window's others
// (wander_shape.hpp), at most the choice's floor. 3.3e-6 kg/s in Zvezda's PrK alone (the model
// gives 1.76e-4 on the ISS 2018 main segment). The choice's one floor made a small segment's
// reserve bound far too short (docs/detection.md, "The guard's floor, segment by segment"); the
// choice itself keeps it (the same section says why).
double pressureRateFloor_kg_s(const WanderParts& wander, double block_s);

// Sizes the leak from `in` and writes the hole, its interval, the reserve times and the repress
// gas into `r`. The rate, pressure and the other inputs are the caller's to set.
void applySizing(LeakReport& r, const SizingInput& in);

}  // namespace leakhunt::detect
