// `simulate`'s per-module habitability summary: worst values and time outside each limit,
// from truth samples with known answers.
#include "sim/habitability.hpp"

#include <gtest/gtest.h>

#include "gas/humidity.hpp"

namespace leakhunt::sim {
namespace {

TEST(Habitability, worst_values_and_time_outside_each_limit) {
  model::Station st;
  st.modules.push_back({});
  st.modules[0].id = "hab";
  telemetry::ChannelTable truth;
  const int p = truth.intern("hab.pressure"), t = truth.intern("hab.temperature");
  const int o2 = truth.intern("hab.ppO2"), co2 = truth.intern("hab.ppCO2"),
            h2o = truth.intern("hab.ppH2O");
  HabitabilityWatch w(st, truth);
  const model::Limits l;
  const double sat = gas::saturationPressure(295.15);
  // One sample a minute for an hour: ppCO2 over the limit for minutes 10 to 19, humidity over
  // 75 % for minutes 30 to 44, pressure below the evacuation limit from minute 50 on.
  for (int k = 0; k <= 60; ++k) {
    const double time = 1000.0 + 60.0 * k;
    w.onTruth({time, p, k >= 50 ? l.evacuationPressure_pa - 100.0 - k : 101325.0});
    w.onTruth({time, t, 295.15});
    w.onTruth({time, o2, 21000.0 + k});
    w.onTruth({time, co2, k >= 10 && k < 20 ? l.maxPpCo2_pa + 10.0 * k : 300.0});
    w.onTruth({time, h2o, (k >= 30 && k < 45 ? 0.8 : 0.5) * sat});
  }
  ASSERT_EQ(w.modules().size(), 1u);
  const ModuleHabitability& m = w.modules()[0];
  EXPECT_TRUE(m.seen);
  EXPECT_DOUBLE_EQ(m.minPressure_pa, l.evacuationPressure_pa - 160.0);
  EXPECT_DOUBLE_EQ(m.minPpO2_pa, 21000.0);
  EXPECT_DOUBLE_EQ(m.maxPpO2_pa, 21060.0);
  EXPECT_DOUBLE_EQ(m.maxPpCo2_pa, l.maxPpCo2_pa + 190.0);
  EXPECT_NEAR(m.minHumidity, 0.5, 1e-12);
  EXPECT_NEAR(m.maxHumidity, 0.8, 1e-12);
  // Each output counts until the next; the last (minute 60) has no next.
  EXPECT_DOUBLE_EQ(m.overPpCo2_s, 600.0);
  EXPECT_DOUBLE_EQ(m.outsideHumidityBand_s, 900.0);
  EXPECT_DOUBLE_EQ(m.belowEvacuation_s, 600.0);
  EXPECT_DOUBLE_EQ(m.outsidePpO2Band_s, 0.0);
}

}  // namespace
}  // namespace leakhunt::sim
