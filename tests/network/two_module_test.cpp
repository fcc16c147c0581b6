#include <gtest/gtest.h>

#include <cmath>

#include "network/segment_reduction.hpp"
#include "network_fixtures.hpp"

namespace leakhunt::network {
namespace {

using namespace testing;

// Two modules joined by an open hatch, module 0 at higher pressure.
struct TwoModules {
  GasNetwork network;
  std::vector<double> y;
};

TwoModules twoModules(double p0, double p1, std::vector<LeakInput> leaks = {},
                      double ventilation = 0.0) {
  NetworkInputs in;
  in.thermal = {constantTemperature(295.0), constantTemperature(290.0)};
  HatchInput h;
  h.moduleA = 0;
  h.moduleB = 1;
  h.cda_m2 = 0.8 * 0.5;
  h.ventilation_m3_s = ventilation;
  h.states = {{0.0, true}};
  in.hatches = {h};
  in.leaks = std::move(leaks);
  GasNetwork n({{50.0, 80.0, 3.0}, {30.0, 60.0, 3.0}}, in, model::ThermalModel::Isothermal);
  std::vector<double> y(n.stateSize()), y1(n.stateSize());
  n.uniformState(0.0, p0, gas::standardAir(), y);
  n.uniformState(0.0, p1, gas::standardAir(), y1);
  for (std::size_t s = 0; s < gas::kSpeciesCount; ++s) y[n.stride() + s] = y1[n.stride() + s];
  return {std::move(n), std::move(y)};
}

double speciesTotal(const GasNetwork& n, const std::vector<double>& y, std::size_t s) {
  double total = 0.0;
  for (std::size_t i = 0; i < n.moduleCount(); ++i) total += y[i * n.stride() + s];
  return total;
}

TEST(TwoModules, mass_of_every_species_is_conserved_across_open_hatch) {
  auto [n, y] = twoModules(101325.0, 90000.0);
  const auto y1 = integrate(n, y, 0.0, 600.0);
  for (std::size_t s = 0; s < gas::kSpeciesCount; ++s) {
    const double before = speciesTotal(n, y, s);
    if (before == 0.0) continue;
    EXPECT_NEAR(speciesTotal(n, y1, s) / before, 1.0, 1e-10) << gas::kSpecies[s].name;
  }
}

TEST(TwoModules, open_hatch_equalises_pressures_at_the_mass_weighted_value) {
  auto [n, y] = twoModules(101325.0, 90000.0);
  const auto y1 = integrate(n, y, 0.0, 600.0);
  const double pa = n.moduleState(600.0, y1, 0).pressure_pa;
  const double pb = n.moduleState(600.0, y1, 1).pressure_pa;
  EXPECT_NEAR(pa, pb, 1e-3);
  // Moles conserved: p (V0/T0 + V1/T1) = p0 V0/T0 + p1 V1/T1.
  const double expected =
      (101325.0 * 50.0 / 295.0 + 90000.0 * 30.0 / 290.0) / (50.0 / 295.0 + 30.0 / 290.0);
  EXPECT_NEAR(pa / expected, 1.0, 1e-9);
}

TEST(TwoModules, flow_reverses_when_the_pressure_difference_does) {
  auto [n, y] = twoModules(90000.0, 101325.0);
  std::vector<double> ydot(n.stateSize());
  n.rhs(0.0, y, ydot);
  EXPECT_GT(ydot[0], 0.0);               // module 0 gains N2
  EXPECT_LT(ydot[n.stride() + 0], 0.0);  // module 1 loses it
  auto [m, z] = twoModules(101325.0, 90000.0);
  m.rhs(0.0, z, ydot);
  EXPECT_LT(ydot[0], 0.0);
}

TEST(TwoModules, leaking_gas_has_the_cabin_composition) {
  auto [n, y] = twoModules(101325.0, 101325.0, {stepLeak(1, 1e-5)});
  // Make module 1 CO2-rich so the difference would show.
  y[n.stride() + gas::index(gas::Species::CO2)] += 0.5;
  std::vector<double> withLeak(n.stateSize()), without(n.stateSize());
  n.rhs(0.0, y, withLeak);
  NetworkInputs noLeak = n.inputs();
  noLeak.leaks.clear();
  GasNetwork m(n.modules(), noLeak, model::ThermalModel::Isothermal);
  m.rhs(0.0, y, without);
  const ModuleState st = n.moduleState(0.0, y, 1);
  const double leak = n.leakMassFlow(0.0, y, 0);
  ASSERT_GT(leak, 0.0);
  for (std::size_t s = 0; s < gas::kSpeciesCount; ++s) {
    const double lost = without[n.stride() + s] - withLeak[n.stride() + s];
    EXPECT_NEAR(lost, leak * st.masses[s] / st.mass_kg, 1e-15) << gas::kSpecies[s].name;
  }
}

TEST(SegmentReduction, agrees_with_the_full_network_for_a_slow_leak) {
  auto [n, y] = twoModules(101325.0, 101325.0, {stepLeak(1, 2e-6)}, 0.05);
  const double t = 86400.0;
  const auto full = integrate(n, y, 0.0, t);
  SegmentReduction reduction(n);
  IntegratorOptions o;
  o.method = Method::NonStiffAdams;
  o.relativeTolerance = 1e-10;
  o.absoluteTolerance.assign(n.stateSize(), 1e-12);
  Integrator integrator(
      n.stateSize(), [&](double tt, auto in, auto out) { reduction.rhs(tt, in, out); }, o);
  std::vector<double> reduced = y;
  integrator.restart(0.0, reduced, t);
  ASSERT_TRUE(integrator.advance(t, reduced));
  for (std::size_t i = 0; i < 2; ++i) {
    const double pf = n.moduleState(t, full, i).pressure_pa;
    const double pr = n.moduleState(t, reduced, i).pressure_pa;
    EXPECT_NEAR(pr / pf, 1.0, 1e-6) << "module " << i;
  }
}

TEST(SegmentReduction, equalise_conserves_species_and_levels_pressure) {
  auto [n, y] = twoModules(101325.0, 80000.0);
  y[gas::index(gas::Species::CO2)] += 0.3;
  std::vector<double> before = y;
  SegmentReduction reduction(n);
  reduction.equalise(0.0, y);
  for (std::size_t s = 0; s < gas::kSpeciesCount; ++s)
    EXPECT_NEAR(speciesTotal(n, y, s), speciesTotal(n, before, s),
                1e-12 * speciesTotal(n, before, s) + 1e-15);
  EXPECT_NEAR(n.moduleState(0.0, y, 0).pressure_pa / n.moduleState(0.0, y, 1).pressure_pa, 1.0,
              1e-12);
}

}  // namespace
}  // namespace leakhunt::network
