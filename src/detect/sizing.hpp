// From a leak rate to a hole and a deadline (physics.md sections 2 and 5): the effective area
// CdA = L / (p sqrt(gamma/(R T)) Phi) of a choked hole, a diameter for a stated Cd, and the
// reserve time of an isothermal choked decay p(t) = p0 exp(-t L0 / M0) to the evacuation
// pressure and to the ppO2 floor, with and without the repress gas on board.
#pragma once

#include <limits>

namespace leakhunt::detect {

struct SizingInput {
  double rate_kg_s = 0.0;       // fitted loss
  double rateSigma_kg_s = 0.0;  // its standard error
  // The fastest loss the reserve's lower bound assumes; NaN: rate + 1.96 sigma.
  double rateHighest_kg_s = std::numeric_limits<double>::quiet_NaN();
  double pressure_pa = 0.0;  // segment now
  double temperature_k = 0.0;
  double r_j_kgk = 287.0;
  double gamma = 1.4;
  double cd = 0.65;
  double inventory_kg = 0.0;  // gas in the segment now
  double ppO2_pa = 0.0;
  // The lowest the leak's module's ppO2 may be now, for the reserve's lower bound
  // (detect/ppo2_level.hpp); NaN: ppO2_pa.
  double ppO2Low_pa = std::numeric_limits<double>::quiet_NaN();
  double evacuationPressure_pa = 0.0;
  double minPpO2_pa = 0.0;
  double cabinO2MassFraction = 0.23;
  double repressGas_kg = 0.0;  // tank gas available to the segment
  double repressO2_kg = 0.0;   // of which O2
  // How long before the report's time the levels above (pressure, ppO2, inventory) hold [s]. A
  // detector's levels are block means, true at the block's middle, and its report is stamped at
  // the block's end: half a block. Every reserve is counted from the report's time (issue 20:
  // counted from the levels' time, 25 mm and 5 cm^2 breaches read reserve lower bounds above the
  // truth in about 5 % of blocks, all in the last minutes before the limit).
  double levelAge_s = 0.0;
};

// Intervals are 95 % (rate +- 1.96 sigma); "never" is +infinity.
struct Sizing {
  double cda_m2 = 0.0, cdaLow_m2 = 0.0, cdaHigh_m2 = 0.0;
  double diameter_m = 0.0, diameterLow_m = 0.0, diameterHigh_m = 0.0;
  double reservePressure_s = 0.0, reservePpO2_s = 0.0;
  double reserveTime_s = 0.0, reserveLow_s = 0.0, reserveHigh_s = 0.0;
  // Tank gas holds pressure (and O2 holds ppO2) for repress/L, after which the decay runs.
  double reserveTimeWithRepress_s = 0.0;
};

Sizing sizeLeak(const SizingInput& in);

// Time for an isothermal choked decay from p0 to pLimit when the loss is `rate_kg_s` out of
// `inventory_kg` now: (M0/L0) ln(p0/pLimit). Zero at or below the limit, infinite for no loss.
double decayTime(double inventory_kg, double rate_kg_s, double p0, double pLimit);

}  // namespace leakhunt::detect
