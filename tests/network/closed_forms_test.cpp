#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "gas/orifice.hpp"
#include "network_fixtures.hpp"

namespace leakhunt::network {
namespace {

using namespace testing;

constexpr double kVolume = 916.0;
constexpr double kTemperature = 295.0;
constexpr double kCda = 0.65 * 3.14159265358979 * 0.001 * 0.001;  // 2 mm hole, Cd 0.65

GasNetwork singleModule(model::ThermalModel thermal, double wallH = 0.0) {
  NetworkInputs in;
  in.thermal = {constantTemperature(kTemperature)};
  in.leaks = {stepLeak(0, kCda)};
  return GasNetwork({{kVolume, 4.84 * std::pow(kVolume, 2.0 / 3.0), wallH}}, in, thermal);
}

double pressure(const GasNetwork& n, const std::vector<double>& y, double t) {
  return n.moduleState(t, y, 0).pressure_pa;
}

// physics.md 2: p(t) = p0 exp(-t/tau) for an isothermal choked leak from a closed volume.
TEST(ClosedForms, isothermal_choked_leak_decays_exponentially) {
  const GasNetwork n = singleModule(model::ThermalModel::Isothermal);
  std::vector<double> y(n.stateSize());
  n.uniformState(0.0, 101325.0, gas::standardAir(), y);
  const ModuleState s0 = n.moduleState(0.0, y, 0);
  const double tau =
      kVolume / (kCda * gas::chokedFlowFactor(s0.gamma) * std::sqrt(s0.r_j_kgk * kTemperature));
  for (double days : {1.0, 5.0, 20.0}) {
    const auto y1 = integrate(n, y, 0.0, days * 86400.0);
    const double expected = 101325.0 * std::exp(-days * 86400.0 / tau);
    EXPECT_NEAR(pressure(n, y1, days * 86400.0) / expected, 1.0, 1e-6) << days << " days";
  }
  // The worked figure of physics.md: tau about 26 days, 1.2 mmHg/h, 42 kg/day.
  EXPECT_NEAR(tau / 86400.0, 26.0, 1.5);
  const double mdot = n.leakMassFlow(0.0, y, 0);
  EXPECT_NEAR(mdot * 86400.0, 42.0, 2.0);
  EXPECT_NEAR(101325.0 / tau * 3600.0 / gas::kMmHg_pa, 1.2, 0.1);
}

// Adiabatic blowdown with no wall heat: p/p0 = (1 + (g-1)/2 t/tau)^(-2g/(g-1)), same tau.
TEST(ClosedForms, adiabatic_blowdown_matches_closed_form) {
  const GasNetwork n = singleModule(model::ThermalModel::AdiabaticWalls, 0.0);
  std::vector<double> y(n.stateSize());
  n.uniformState(0.0, 101325.0, gas::standardAir(), y);
  const ModuleState s0 = n.moduleState(0.0, y, 0);
  const double g = s0.gamma;
  const double tau =
      kVolume / (kCda * gas::chokedFlowFactor(g) * std::sqrt(s0.r_j_kgk * kTemperature));
  for (double days : {2.0, 10.0}) {
    const double t = days * 86400.0;
    const auto y1 = integrate(n, y, 0.0, t, Method::StiffBdf, 1e-9);
    const double expected =
        101325.0 * std::pow(1.0 + (g - 1.0) / 2.0 * t / tau, -2.0 * g / (g - 1.0));
    EXPECT_NEAR(pressure(n, y1, t) / expected, 1.0, 1e-6) << days << " days";
  }
}

// With wall heat transfer, a millimetre hole is isothermal: the two thermal models agree.
TEST(ClosedForms, millimetre_hole_with_walls_is_isothermal) {
  const GasNetwork iso = singleModule(model::ThermalModel::Isothermal);
  const GasNetwork adia = singleModule(model::ThermalModel::AdiabaticWalls, 3.0);
  std::vector<double> yi(iso.stateSize()), ya(adia.stateSize());
  iso.uniformState(0.0, 101325.0, gas::standardAir(), yi);
  adia.uniformState(0.0, 101325.0, gas::standardAir(), ya);
  const double t = 86400.0;
  const double pi = pressure(iso, integrate(iso, yi, 0.0, t), t);
  const double pa = pressure(adia, integrate(adia, ya, 0.0, t), t);
  EXPECT_NEAR(pa / pi, 1.0, 1e-4);
  EXPECT_LT(pa, pi);  // the gas runs a hair cooler than the wall while it expands
}

TEST(Orifice, choked_law_is_continuous_with_the_subsonic_law) {
  const gas::Upstream up{101325.0, 295.0, 287.0, 1.4};
  const double rc = gas::criticalPressureRatio(1.4);
  EXPECT_NEAR(rc, 0.5283, 1e-4);
  const double below = gas::orificeMassFlow(1e-4, up, rc * 101325.0 * (1 - 1e-9), 1.0);
  const double above = gas::orificeMassFlow(1e-4, up, rc * 101325.0 * (1 + 1e-9), 1.0);
  EXPECT_NEAR(below / above, 1.0, 1e-7);
  EXPECT_NEAR(gas::orificeMassFlow(1e-4, up, 0.0, 1.0) / gas::chokedMassFlow(1e-4, up), 1.0, 1e-9);
  // Higgins' rule for air (record.md): 0.0404 A p0 / sqrt(T0).
  EXPECT_NEAR(gas::chokedMassFlow(1.0, up) / (0.0404 * 101325.0 / std::sqrt(295.0)), 1.0, 2e-3);
}

TEST(Orifice, small_difference_flow_is_incompressible_and_regularised) {
  const gas::Upstream up{101325.0, 295.0, 287.0, 1.4};
  const double rho = 101325.0 / (287.0 * 295.0);
  const double dp = 200.0;  // well above the regularisation, well below compressibility
  const double flow = gas::orificeMassFlow(0.5, up, 101325.0 - dp, 1.0);
  EXPECT_NEAR(flow / (0.5 * std::sqrt(2.0 * rho * dp)), 1.0, 2e-3);
  // Finite slope at zero: flow / dp tends to a constant.
  const double f1 = gas::orificeMassFlow(0.5, up, 101325.0 - 1e-6, 1.0);
  const double f2 = gas::orificeMassFlow(0.5, up, 101325.0 - 2e-6, 1.0);
  EXPECT_NEAR(f2 / f1, 2.0, 1e-6);
  EXPECT_EQ(gas::orificeMassFlow(0.5, up, 101325.0, 1.0), 0.0);
}

TEST(Orifice, pressure_drop_inverts_the_small_difference_law) {
  const double rho = 1.2;
  for (double dp : {1e-4, 0.3, 50.0, 100.0}) {
    const gas::Upstream up{101325.0, 101325.0 / (287.0 * rho), 287.0, 1.4};
    const double flow = gas::orificeMassFlow(0.5, up, 101325.0 - dp, 100.0);
    // The inverse ignores compressibility, about dp/p: 1e-3 of dp at 100 Pa.
    EXPECT_NEAR(gas::orificePressureDrop(0.5, rho, flow, 100.0) / dp, 1.0, 1.5e-3) << dp;
    EXPECT_NEAR(gas::orificePressureDrop(0.5, rho, -flow, 100.0) / dp, -1.0, 1.5e-3) << dp;
  }
  EXPECT_EQ(gas::orificePressureDrop(0.5, rho, 0.0, 100.0), 0.0);
}

}  // namespace
}  // namespace leakhunt::network
