#include "gas/orifice.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace leakhunt::gas {

double criticalPressureRatio(double gamma) {
  return std::pow(2.0 / (gamma + 1.0), gamma / (gamma - 1.0));
}

double chokedFlowFactor(double gamma) {
  return std::sqrt(gamma) * std::pow(2.0 / (gamma + 1.0), (gamma + 1.0) / (2.0 * (gamma - 1.0)));
}

double chokedMassFlow(double cda_m2, const Upstream& up) {
  return cda_m2 * up.pressure_pa * chokedFlowFactor(up.gamma) /
         std::sqrt(up.r_j_kgk * up.temperature_k);
}

double effectiveAreaForChokedFlow(double massFlow_kg_s, const Upstream& up) {
  return massFlow_kg_s / chokedMassFlow(1.0, up);
}

namespace {

// Y(r)^2 = gamma/(gamma-1) (r^(2/g) - r^((g+1)/g)) / (1 - r): the compressibility factor that
// turns the incompressible sqrt(2 rho dp) into the isentropic law; 1 at r = 1. Written with
// expm1/log1p so that it stays accurate as r approaches 1.
double compressibilitySquared(double r, double gamma) {
  const double oneMinusR = 1.0 - r;
  if (oneMinusR <= 0.0) return 1.0;
  const double lnR = std::log1p(-oneMinusR);
  const double a1 = 2.0 / gamma;
  const double a2 = (gamma + 1.0) / gamma;
  const double g = std::exp(a2 * lnR) * std::expm1((a1 - a2) * lnR);
  return gamma / (gamma - 1.0) * g / oneMinusR;
}

}  // namespace

double orificeMassFlow(double cda_m2, const Upstream& up, double downstreamPressure_pa,
                       double regularisation_pa) {
  // The integrator's trial states can leave physics: a module emptied by a huge hole, an
  // adiabatic run cooled past 0 K. No gas pushes no flow; a temperature at or below 0 K gives
  // NaN, so the integrator refuses the step and `simulate` reports the failure (issue 21,
  // item 14). This was an assert, which aborted the Debug build where the release build
  // reported the failure.
  if (cda_m2 <= 0.0 || up.pressure_pa <= 0.0) return 0.0;
  if (!(up.temperature_k > 0.0)) return std::numeric_limits<double>::quiet_NaN();
  const double pd = std::max(downstreamPressure_pa, 0.0);
  const double r = std::max(pd / up.pressure_pa, criticalPressureRatio(up.gamma));
  const double dpEff = up.pressure_pa * (1.0 - r);
  const double rho = up.pressure_pa / (up.r_j_kgk * up.temperature_k);
  // regRoot: sqrt(dp) for dp >> d, linear with slope 1/sqrt(d) near zero.
  const double d = regularisation_pa;
  const double root = dpEff / std::pow(dpEff * dpEff + d * d, 0.25);
  return cda_m2 * std::sqrt(2.0 * rho * compressibilitySquared(r, up.gamma)) * root;
}

double orificePressureDrop(double cda_m2, double density_kg_m3, double massFlow_kg_s,
                           double regularisation_pa) {
  if (massFlow_kg_s == 0.0) return 0.0;
  const double flow = std::abs(massFlow_kg_s);
  const double k = cda_m2 * std::sqrt(2.0 * density_kg_m3);
  const double d2 = regularisation_pa * regularisation_pa;
  // Newton on k dp (dp^2+d^2)^(-1/4) = flow. The law is increasing and concave in dp > 0 and
  // lies below both k dp/sqrt(d) and k sqrt(dp), so either guess is below the answer and
  // Newton climbs to it monotonically; the linear one is exact near zero.
  const double linear = flow * std::sqrt(regularisation_pa) / k;
  const double quadratic = (flow / k) * (flow / k);
  double dp = linear < regularisation_pa ? linear : quadratic;
  for (int i = 0; i < 50; ++i) {
    const double s = dp * dp + d2;
    const double value = k * dp / std::pow(s, 0.25) - flow;
    const double slope = k * (s - 0.5 * dp * dp) / std::pow(s, 1.25);
    const double step = value / slope;
    dp = std::max(dp - step, 0.5 * dp);
    if (std::abs(step) <= 1e-14 * dp) break;
  }
  return std::copysign(dp, massFlow_kg_s);
}

}  // namespace leakhunt::gas
