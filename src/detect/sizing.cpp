#include "detect/sizing.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "base/confidence.hpp"
#include "gas/orifice.hpp"

namespace leakhunt::detect {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

}  // namespace

double decayTime(double inventory_kg, double rate_kg_s, double p0, double pLimit) {
  if (p0 <= pLimit) return 0.0;
  if (rate_kg_s <= 0.0) return kInf;
  return inventory_kg / rate_kg_s * std::log(p0 / pLimit);
}

Sizing sizeLeak(const SizingInput& in) {
  Sizing s;
  const gas::Upstream up{in.pressure_pa, in.temperature_k, in.r_j_kgk, in.gamma};
  const double rate = std::max(in.rate_kg_s, 0.0);
  const double low = std::max(in.rate_kg_s - kZ95 * in.rateSigma_kg_s, 0.0);
  const double high = std::max(in.rate_kg_s + kZ95 * in.rateSigma_kg_s, 0.0);
  s.cda_m2 = gas::effectiveAreaForChokedFlow(rate, up);
  s.cdaLow_m2 = gas::effectiveAreaForChokedFlow(low, up);
  s.cdaHigh_m2 = gas::effectiveAreaForChokedFlow(high, up);
  s.diameter_m = gas::holeDiameter(s.cda_m2, in.cd);
  s.diameterLow_m = gas::holeDiameter(s.cdaLow_m2, in.cd);
  s.diameterHigh_m = gas::holeDiameter(s.cdaHigh_m2, in.cd);
  // From the report's time: the exponential decay from the levels' time, less their age.
  const auto decay = [&](double l, double level, double limit) {
    return std::max(0.0, decayTime(in.inventory_kg, l, level, limit) - in.levelAge_s);
  };
  const auto reserve = [&](double l, double ppO2) {
    return std::min(decay(l, in.pressure_pa, in.evacuationPressure_pa),
                    decay(l, ppO2, in.minPpO2_pa));
  };
  const double ppO2Low = std::isnan(in.ppO2Low_pa) ? in.ppO2_pa : in.ppO2Low_pa;
  s.reservePressure_s = decay(rate, in.pressure_pa, in.evacuationPressure_pa);
  s.reservePpO2_s = decay(rate, in.ppO2_pa, in.minPpO2_pa);
  s.reserveTime_s = std::min(s.reservePressure_s, s.reservePpO2_s);
  const double highest =
      std::isnan(in.rateHighest_kg_s) ? high : std::max(high, in.rateHighest_kg_s);
  s.reserveLow_s = reserve(highest, ppO2Low);
  s.reserveHigh_s = reserve(low, in.ppO2_pa);
  if (rate <= 0.0) {
    s.reserveTimeWithRepress_s = kInf;
  } else {
    // No tank gas holds nothing: in a cabin without O2, 0 / 0 once made the ppO2 term NaN, and
    // std::min then chose the pressure reserve, a "w/ repress" time from tanks that do not exist.
    const double holdPressure_s = in.repressGas_kg > 0.0 ? in.repressGas_kg / rate : 0.0;
    const double holdO2_s =
        in.repressO2_kg > 0.0 ? in.repressO2_kg / (rate * in.cabinO2MassFraction) : 0.0;
    s.reserveTimeWithRepress_s =
        std::min(s.reservePressure_s + holdPressure_s, s.reservePpO2_s + holdO2_s);
  }
  return s;
}

}  // namespace leakhunt::detect
