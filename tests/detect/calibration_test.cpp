// The threshold against its false-alarm rate on many days of synthetic leak-free residuals, and
// the sizing and reserve forecast against their closed forms.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "detect/ppo2_level.hpp"
#include "detect/sizing.hpp"
#include "detect/slope_change_test.hpp"
#include "gas/orifice.hpp"
#include "synthetic.hpp"

namespace leakhunt::detect {
namespace {

double measuredAlarmsPerYear(double target_per_yr, const testing::SyntheticNoise& n, int days,
                             int seeds) {
  SlopeChangeOptions o;
  o.falseAlarmRate_per_s = target_per_yr / (365.25 * 86400.0);
  o.maxTest_s = o.maxReference_s = 6.0 * 3600.0;  // shorter windows keep the test fast
  int alarms = 0;
  for (int s = 0; s < seeds; ++s) {
    testing::SyntheticResidual r(n, 100 + s);
    SlopeChangeTest test(o, n.whiteSigma, {n.rateSigma, n.levelSigma});
    for (int k = 1; k <= days * 1440; ++k) {
      const double t = 60.0 * k;
      if (test.push(t, r.next(t, 60.0), t).alarm) {
        ++alarms;
        test.reset();
      }
    }
  }
  return alarms / (days * seeds / 365.25);
}

TEST(Calibration, white_noise_false_alarms_stay_below_the_stated_rate) {
  testing::SyntheticNoise n;
  n.rateSigma = n.levelSigma = 0.0;
  const double measured = measuredAlarmsPerYear(365.0, n, 30, 2);
  EXPECT_LE(measured, 365.0 * 1.5);
  EXPECT_GE(measured, 365.0 / 8.0);  // not absurdly conservative either
}

TEST(Calibration, wander_does_not_raise_the_false_alarm_rate) {
  const double measured = measuredAlarmsPerYear(365.0, testing::SyntheticNoise{}, 30, 2);
  EXPECT_LE(measured, 365.0 * 1.5);
}

TEST(Sizing, cda_inverts_the_choked_flow_and_diameter_follows_cd) {
  SizingInput in;
  in.pressure_pa = 100000.0;
  in.temperature_k = 295.0;
  const double cda = 0.65 * std::numbers::pi * 1e-6;  // 2 mm, Cd 0.65
  in.rate_kg_s = gas::chokedMassFlow(cda, {in.pressure_pa, in.temperature_k, in.r_j_kgk, in.gamma});
  in.rateSigma_kg_s = 0.05 * in.rate_kg_s;
  in.inventory_kg = 1000.0;
  in.ppO2_pa = 21000.0;
  in.evacuationPressure_pa = 69328.0;
  in.minPpO2_pa = 15858.0;
  const Sizing s = sizeLeak(in);
  EXPECT_NEAR(s.cda_m2 / cda, 1.0, 1e-9);
  EXPECT_NEAR(s.diameter_m, 2e-3, 1e-9);
  EXPECT_LT(s.diameterLow_m, s.diameter_m);
  EXPECT_GT(s.diameterHigh_m, s.diameter_m);
}

TEST(Sizing, reserve_time_matches_the_exponential_decay) {
  // p(t) = p0 exp(-t/tau), tau = M0/L0: integrate the decay and compare.
  const double m0 = 1000.0, l0 = 5e-4, p0 = 100000.0, pLim = 69328.0;
  double m = m0, t = 0.0;
  const double dt = 600.0;
  while (m / m0 * p0 > pLim) {
    m -= l0 * (m / m0) * dt;
    t += dt;
  }
  EXPECT_NEAR(decayTime(m0, l0, p0, pLim) / t, 1.0, 2e-3);
  EXPECT_EQ(decayTime(m0, l0, pLim, pLim), 0.0);
  EXPECT_TRUE(std::isinf(decayTime(m0, 0.0, p0, pLim)));
}

// 0.05 kg/s known exactly from 100 kg of air at `pressure_pa` and `ppO2_pa`, to the ISS limits.
SizingInput exactDecay(double pressure_pa, double ppO2_pa) {
  SizingInput in;
  in.rate_kg_s = 0.05;
  in.rateSigma_kg_s = 0.0;
  in.pressure_pa = pressure_pa;
  in.temperature_k = 295.0;
  in.inventory_kg = 100.0;
  in.ppO2_pa = ppO2_pa;
  in.evacuationPressure_pa = 69328.0;
  in.minPpO2_pa = 15858.0;
  return in;
}

// The reserve counts from the report's time: levels half a block old are half a block of
// decay nearer the limit than they read (closed form: the decay time less the age).
TEST(Sizing, reserves_count_from_the_report_not_from_the_levels) {
  SizingInput in = exactDecay(90000.0, 19000.0);
  const double fromLevels =
      std::min(decayTime(100.0, 0.05, 90000.0, 69328.0), decayTime(100.0, 0.05, 19000.0, 15858.0));
  EXPECT_NEAR(sizeLeak(in).reserveTime_s, fromLevels, 1e-9);
  in.levelAge_s = 30.0;
  EXPECT_NEAR(sizeLeak(in).reserveTime_s, fromLevels - 30.0, 1e-9);
  EXPECT_NEAR(sizeLeak(in).reserveLow_s, fromLevels - 30.0, 1e-9);
}

// The reserve's lower bound counts down from the lowest ppO2 the leak's module may have: the
// least oxygenated sensor less 1.96 sd of its block mean; the estimate from their mean. With
// no sensor, the declared fraction for both.
TEST(Sizing, the_reserve_bound_counts_down_from_the_lowest_ppO2_the_module_may_have) {
  PpO2Readings readings;
  readings.add(20000.0, 30.0);
  readings.add(19800.0, 10.0);
  const PpO2Level level = readings.level(21000.0);
  EXPECT_NEAR(level.value_pa, 19900.0, 1e-9);
  EXPECT_NEAR(level.low_pa, 19800.0 - 1.959963984540054 * 10.0, 1e-9);
  // A sensor in a module that runs 40 Pa above the segment's least oxygenated one (it holds the
  // generator) lowers the bound by that much, not the estimate.
  PpO2Readings fed;
  fed.add(20000.0, 30.0, 40.0);
  fed.add(19800.0, 10.0, 0.0);
  EXPECT_NEAR(fed.level(21000.0).value_pa, 19900.0, 1e-9);
  EXPECT_NEAR(fed.level(21000.0).low_pa, 19800.0 - 1.959963984540054 * 10.0, 1e-9);
  PpO2Readings fedOnly;
  fedOnly.add(19800.0, 10.0, 40.0);
  EXPECT_NEAR(fedOnly.level(21000.0).low_pa, 19800.0 - 40.0 - 1.959963984540054 * 10.0, 1e-9);
  const PpO2Level none = PpO2Readings{}.level(21000.0);
  EXPECT_EQ(none.value_pa, 21000.0);
  EXPECT_EQ(none.low_pa, 21000.0);

  SizingInput in = exactDecay(95000.0, level.value_pa);  // the ppO2 floor is reached first
  in.ppO2Low_pa = level.low_pa;
  const Sizing s = sizeLeak(in);
  EXPECT_NEAR(s.reserveTime_s, decayTime(100.0, 0.05, level.value_pa, 15858.0), 1e-9);
  EXPECT_NEAR(s.reserveLow_s, decayTime(100.0, 0.05, level.low_pa, 15858.0), 1e-9);
  EXPECT_LT(s.reserveLow_s, s.reserveTime_s);
}

}  // namespace
}  // namespace leakhunt::detect
