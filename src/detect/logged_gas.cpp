#include "detect/logged_gas.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "gas/species.hpp"

namespace leakhunt::detect {

double LoggedGas::sigma_kg(double mass_kg) const {
  return mass_kg * std::hypot(error * airEquivalent, spread);
}

RepressGas::RepressGas(const model::Station& station, double cabinGasConstant_j_kgk)
    : m_cabinGasConstant_j_kgk(cabinGasConstant_j_kgk) {
  const std::size_t nm = station.modules.size();
  std::vector<double> lo(nm, std::numeric_limits<double>::infinity()),
      hi(nm, -std::numeric_limits<double>::infinity());
  for (const model::RepressTank& t : station.repressTanks) {
    const int m = station.moduleIndex(t.module);
    double total = 0.0;
    for (double y : t.composition) total += y;
    if (m < 0 || !(total > 0.0)) continue;
    // Per kilogram, as cabin air.
    const double moles = gas::mixtureProperties(t.composition).r_j_kgk / cabinGasConstant_j_kgk;
    lo[std::size_t(m)] = std::min(lo[std::size_t(m)], moles);
    hi[std::size_t(m)] = std::max(hi[std::size_t(m)], moles);
  }
  m_factor.assign(nm, 1.0);
  m_spread.assign(nm, 0.0);
  for (std::size_t i = 0; i < nm; ++i) {
    if (!std::isfinite(lo[i])) continue;
    m_factor[i] = 0.5 * (lo[i] + hi[i]);
    m_spread[i] = 0.5 * (hi[i] - lo[i]);
  }
}

LoggedGas RepressGas::of(const LoggedRepress& r) const {
  LoggedGas g;
  if (r.module >= 0 && std::size_t(r.module) < m_factor.size()) {
    g.airEquivalent = m_factor[std::size_t(r.module)];
    g.spread = m_spread[std::size_t(r.module)];
  }
  if (r.gasConstant_j_kgk > 0.0) {
    g.airEquivalent = r.gasConstant_j_kgk / m_cabinGasConstant_j_kgk;
    g.spread = 0.0;
  }
  if (r.errorFraction > 0.0) g.error = r.errorFraction;
  return g;
}

namespace {

// The integral of the delivered share from the start to t.
double deliveredIntegral(const LoggedRepress& r, double t) {
  const double d = r.end_s - r.start_s;
  if (t <= r.start_s) return 0.0;
  if (!(d > 1e-9)) return t - r.start_s;  // instantaneous: a step at the start
  if (t <= r.end_s) return (t - r.start_s) * (t - r.start_s) / (2.0 * d);
  return 0.5 * d + (t - r.end_s);
}

}  // namespace

double meanDeliveredShare(const LoggedRepress& r, double from_s, double to_s) {
  if (!(to_s > from_s)) return 0.0;
  return (deliveredIntegral(r, to_s) - deliveredIntegral(r, from_s)) / (to_s - from_s);
}

}  // namespace leakhunt::detect
