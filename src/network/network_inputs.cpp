#include "network/network_inputs.hpp"

#include <algorithm>
#include <cmath>

namespace leakhunt::network {

double LeakInput::cda(double t) const {
  double value = 0.0;
  for (const CdaPiece& p : pieces) {
    if (t < p.t0_s) break;
    if (t >= p.t1_s) {
      value = p.cda1_m2;
      continue;
    }
    const double f = (t - p.t0_s) / (p.t1_s - p.t0_s);
    if (p.exponential && p.cda0_m2 > 0.0) return p.cda0_m2 * std::pow(p.cda1_m2 / p.cda0_m2, f);
    return p.cda0_m2 + (p.cda1_m2 - p.cda0_m2) * f;
  }
  return value;
}

int CrewInput::moduleAt(double t) const {
  int module = -1;
  for (const auto& [from, m] : locations) {
    if (t < from) break;
    module = m;
  }
  return module;
}

bool HatchInput::openAt(double t) const {
  bool open = false;
  for (const auto& [from, o] : states) {
    if (t < from) break;
    open = o;
  }
  return open;
}

// Each change is approached first-order from the value the earlier ones had reached at t;
// the rate is d/dt of sp_prev + (target - sp_prev)(1 - e), with later changes rebasing on it.
double ModuleThermal::setPoint(double t, double* rate_k_s) const {
  double sp = setPoint_k, rate = 0.0;
  for (const auto& [at, target] : setPointChanges) {
    if (t < at) break;
    const double e = std::exp(-(t - at) / responseTime_s);
    rate = rate * e + (target - sp) * e / responseTime_s;
    sp += (target - sp) * (1.0 - e);
  }
  if (rate_k_s) *rate_k_s = rate;
  return sp;
}

double ModuleThermal::sensed(double t) const {
  return setPoint(t) + swing_k * std::sin(orbitalOmega_rad_s * t + phase_rad);
}

double ModuleThermal::gas(double t) const {
  return sensed(t) + unmeasured_k * unmeasuredNoise.value(t);
}

double ModuleThermal::gasRate(double t) const {
  double gas = 0.0, rate = 0.0;
  gasAndRate(t, gas, rate);
  return rate;
}

void ModuleThermal::gasAndRate(double t, double& gas_k, double& rate_k_s) const {
  double spRate = 0.0;
  const double sp = setPoint(t, &spRate);
  double sine = 0.0, cosine = 0.0;
  ::sincos(orbitalOmega_rad_s * t + phase_rad, &sine, &cosine);
  double wander = 0.0, wanderRate = 0.0;
  if (unmeasured_k != 0.0) unmeasuredNoise.valueAndDerivative(t, wander, wanderRate);
  gas_k = sp + swing_k * sine + unmeasured_k * wander;
  rate_k_s = spRate + swing_k * orbitalOmega_rad_s * cosine + unmeasured_k * wanderRate;
}

std::vector<double> NetworkInputs::breakpoints() const {
  std::vector<double> b;
  for (const HatchInput& h : hatches)
    for (const auto& s : h.states) b.push_back(s.first);
  for (const LeakInput& l : leaks)
    for (const CdaPiece& p : l.pieces) {
      b.push_back(p.t0_s);
      b.push_back(p.t1_s);
    }
  for (const CrewInput& c : crew)
    for (const auto& s : c.locations) b.push_back(s.first);
  for (const RepressInput& r : represses) {
    b.push_back(r.t0_s);
    b.push_back(r.t1_s);
  }
  for (const ModuleThermal& m : thermal)
    for (const auto& s : m.setPointChanges) b.push_back(s.first);
  std::sort(b.begin(), b.end());
  b.erase(std::unique(b.begin(), b.end()), b.end());
  b.erase(std::remove_if(b.begin(), b.end(),
                         [](double x) { return !std::isfinite(x) || std::abs(x) >= 1e299; }),
          b.end());
  return b;
}

}  // namespace leakhunt::network
