// Small hand-built networks for the closed forms of physics.md.
#pragma once

#include <vector>

#include "network/gas_network.hpp"
#include "network/integrator.hpp"

namespace leakhunt::network::testing {

inline ModuleThermal constantTemperature(double t_k) {
  ModuleThermal m;
  m.setPoint_k = t_k;
  return m;
}

inline LeakInput stepLeak(int module, double cda_m2, double from_s = 0.0) {
  LeakInput l;
  l.id = "hole";
  l.module = module;
  l.pieces.push_back({from_s, 1e300, cda_m2, cda_m2, false});
  return l;
}

inline std::vector<double> absoluteTolerances(const GasNetwork& n, double scale) {
  return std::vector<double>(n.stateSize(), scale);
}

// Integrate the full network from y to tEnd and return y(tEnd).
inline std::vector<double> integrate(const GasNetwork& n, std::vector<double> y, double t0,
                                     double tEnd, Method method = Method::StiffBdf,
                                     double rtol = 1e-10) {
  IntegratorOptions o;
  o.method = method;
  o.relativeTolerance = rtol;
  o.absoluteTolerance = absoluteTolerances(n, 1e-12);
  Integrator integrator(
      n.stateSize(), [&](double t, auto in, auto out) { n.rhs(t, in, out); }, o);
  integrator.restart(t0, y, tEnd);
  auto r = integrator.advance(tEnd, y);
  if (!r) throw std::runtime_error(r.error().message);
  return y;
}

}  // namespace leakhunt::network::testing
