// Water vapour and trace gases in a sealed module, against the closed forms of physics.md
// section 4: saturation, condensation on the coldest surface, a condensing heat exchanger and
// CO2 removal.
#include "gas/humidity.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>

#include "network_fixtures.hpp"

namespace leakhunt::network {
namespace {

using namespace testing;

constexpr double kVolume_m3 = 20.0;
constexpr double kCabin_k = 295.15;  // 22 degC
constexpr double kCrewH2o_kg_s = 1.8 / 86400.0;
constexpr double kCrewCo2_kg_s = 1.0 / 86400.0;
constexpr std::size_t kH2o = gas::index(gas::Species::H2O);
constexpr std::size_t kCo2 = gas::index(gas::Species::CO2);

double celsius(double c) { return c + 273.15; }

// Saturation pressure over liquid water from the IAPWS-IF97 saturation-pressure equation
// (Wagner et al. 2000, the industrial formulation of the steam tables), rounded to 0.01 Pa.
TEST(Humidity, saturation_pressure_matches_iapws_at_5_21_and_30_degC) {
  const std::array<std::pair<double, double>, 3> iapws{
      {{5.0, 872.57}, {21.0, 2488.10}, {30.0, 4246.69}}};
  for (const auto& [c, pa] : iapws)
    EXPECT_NEAR(gas::saturationPressure(celsius(c)) / pa, 1.0, 5e-4) << c << " degC";
  // physics.md's worked figure: 2.49 kPa at 21 degC.
  EXPECT_NEAR(gas::saturationPressure(celsius(21.0)), 2490.0, 5.0);
}

TEST(Humidity, smooth_excess_is_zero_below_and_continuous_in_value_and_slope) {
  EXPECT_EQ(gas::smoothExcess(-1.0, 0.1), 0.0);
  EXPECT_EQ(gas::smoothExcess(0.0, 0.1), 0.0);
  EXPECT_NEAR(gas::smoothExcess(0.1, 0.1), 0.05, 1e-15);
  EXPECT_NEAR(gas::smoothExcess(1.0, 0.1), 0.95, 1e-15);
  const double h = 1e-7;
  for (double x : {0.0, 0.1}) {
    const double left = (gas::smoothExcess(x, 0.1) - gas::smoothExcess(x - h, 0.1)) / h;
    const double right = (gas::smoothExcess(x + h, 0.1) - gas::smoothExcess(x, 0.1)) / h;
    EXPECT_NEAR(left, right, 1e-5) << "slope jumps at " << x;
  }
}

// One sealed module with one crew member who never leaves it.
NetworkInputs crewedModule(double coldSurface_k = 0.0) {
  NetworkInputs in;
  ModuleThermal th = constantTemperature(kCabin_k);
  th.coldSurface_k = coldSurface_k;
  in.thermal = {th};
  CrewInput crew;
  crew.locations = {{-1e300, 0}};
  in.crew = {crew};
  in.metabolism = {0.84 / 86400.0, kCrewCo2_kg_s, kCrewH2o_kg_s};
  return in;
}

GasNetwork sealed(NetworkInputs in) {
  return GasNetwork({{kVolume_m3, 4.84 * std::pow(kVolume_m3, 2.0 / 3.0), 0.0}}, std::move(in),
                    model::ThermalModel::Isothermal);
}

double partialPressure(const std::vector<double>& y, std::size_t s) {
  return y[s] * gas::gasConstant(s) * kCabin_k / kVolume_m3;
}

std::vector<double> settle(const GasNetwork& n, double days) {
  std::vector<double> y(n.stateSize());
  n.uniformState(0.0, 101325.0, gas::standardAir(), y);
  return integrate(n, y, 0.0, days * 86400.0, Method::StiffBdf, 1e-8);
}

// A condensing heat exchanger dries the fraction eta of its flow Q to the coil's dew point:
// production = Q eta (p_v - p_sat(T_coil)) / (R_v T), so the module settles at
// p_v = p_sat(T_coil) + production R_v T / (Q eta), the coil's dew point as Q eta grows.
TEST(Humidity, sealed_module_with_condensing_heat_exchanger_settles_at_the_coil_dew_point) {
  const double coil = celsius(4.0);
  for (const auto& [flow, eta] : {std::pair{0.05, 1.0}, {0.2, 0.8}, {1.0, 1.0}}) {
    NetworkInputs in = crewedModule();
    RemoverInput chx;
    chx.module = 0;
    chx.species = static_cast<int>(kH2o);
    chx.flow_m3_s = flow;
    chx.efficiency = eta;
    chx.coilTemperature_k = coil;
    in.removers = {chx};
    const GasNetwork n = sealed(std::move(in));
    const auto y = settle(n, 2.0);  // time constant V / (Q eta): 400 s at most
    const double expected = gas::saturationPressure(coil) +
                            kCrewH2o_kg_s * gas::gasConstant(kH2o) * kCabin_k / (flow * eta);
    EXPECT_NEAR(partialPressure(y, kH2o) / expected, 1.0, 1e-3) << flow << " m^3/s";
  }
}

// The old form: a fraction eta of the species in Q is taken out, so the well-mixed steady state
// is pp = production R T / (Q eta) (physics.md section 4), here for CO2.
TEST(Humidity, steady_state_ppco2_is_production_r_t_over_q_eta) {
  for (const auto& [flow, eta] : {std::pair{0.01, 0.6}, {0.03, 0.8}}) {
    NetworkInputs in = crewedModule();
    RemoverInput scrubber;
    scrubber.module = 0;
    scrubber.species = static_cast<int>(kCo2);
    scrubber.flow_m3_s = flow;
    scrubber.efficiency = eta;
    in.removers = {scrubber};
    const GasNetwork n = sealed(std::move(in));
    const auto y = settle(n, 3.0);  // time constant V / (Q eta): 3,333 s at most
    const double expected = kCrewCo2_kg_s * gas::gasConstant(kCo2) * kCabin_k / (flow * eta);
    EXPECT_NEAR(partialPressure(y, kCo2) / expected, 1.0, 1e-4) << flow << " m^3/s";
  }
}

// Nothing removes water: it condenses on the coldest surface, and the vapour settles at that
// surface's saturation pressure (above it only by production x kCondensationTime_s), with the
// crew's water going to condensate.
TEST(Humidity, vapour_with_no_removal_settles_at_saturation_of_the_coldest_surface) {
  for (double surface : {0.0, celsius(15.0)}) {
    const GasNetwork n = sealed(crewedModule(surface));
    const auto y = settle(n, 10.0);
    const double saturation = gas::saturationPressure(surface > 0.0 ? surface : kCabin_k);
    const double pv = partialPressure(y, kH2o);
    EXPECT_LE(pv, saturation * 1.002) << surface;
    EXPECT_GE(pv, saturation * 0.999) << surface;
    const double rate = n.condensationRate(0, n.moduleState(10.0 * 86400.0, y, 0));
    EXPECT_NEAR(rate / kCrewH2o_kg_s, 1.0, 1e-3) << "condensate carries the crew's water";
  }
}

TEST(Humidity, dry_air_does_not_condense) {
  const GasNetwork n = sealed(crewedModule(celsius(15.0)));
  std::vector<double> y(n.stateSize());
  n.uniformState(0.0, 101325.0, gas::standardAir(), y);
  EXPECT_EQ(n.condensationRate(0, n.moduleState(0.0, y, 0)), 0.0);
}

}  // namespace
}  // namespace leakhunt::network
