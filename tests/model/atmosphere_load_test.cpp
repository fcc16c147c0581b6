// What a station file says about its air: hatch exchange (absent is the sourced default, 0 is
// none), condensing heat exchangers and the coldest surface.
#include <gtest/gtest.h>

#include "check_helpers.hpp"
#include "model/load.hpp"

namespace leakhunt::model {
namespace {

using testing::check;
using testing::reports;
using testing::yaml;

TEST(AtmosphereLoad, absent_ventilation_is_the_iss_intermodule_exchange_and_zero_is_none) {
  const auto s = parseStation(yaml(R"(
modules:
  - {id: a, volume: 50 m^3}
  - {id: b, volume: 30 m^3}
  - {id: c, volume: 10 m^3}
hatches:
  - {id: ab, between: [a, b], diameter: 0.8 m}
  - {id: bc, between: [b, c], diameter: 0.8 m, ventilation: 0 m^3/s}
  - {id: ac, between: [a, c], diameter: 0.8 m, ventilation: 40 m^3/h}
)"),
                              "t.yaml");
  ASSERT_TRUE(s) << s.error().message;
  // 140 cfm (SAE 951631) is the "about 0.07 m^3/s per hatch pair" of physics.md section 4.
  EXPECT_NEAR(kDefaultHatchExchange_m3_s, 0.0661, 1e-4);
  EXPECT_DOUBLE_EQ(s->hatches[0].ventilation_m3_s, kDefaultHatchExchange_m3_s);
  EXPECT_EQ(s->hatches[1].ventilation_m3_s, 0.0);
  EXPECT_NEAR(s->hatches[2].ventilation_m3_s, 40.0 / 3600.0, 1e-15);
}

TEST(AtmosphereLoad, condensing_heat_exchanger_and_coldest_surface_are_read_in_kelvin) {
  const auto s = parseStation(yaml(R"(
modules:
  - {id: a, volume: 50 m^3, coldest_surface: 12 degC}
  - {id: b, volume: 30 m^3}
hatches:
  - {id: ab, between: [a, b], diameter: 0.8 m}
life_support:
  - {id: chx, kind: h2o_removal, module: a, flow: 400 m^3/h, coil_temperature: 4 degC}
  - {id: skv, kind: h2o_removal, module: b, flow: 60 m^3/h, efficiency: 0.35}
)"),
                              "t.yaml");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_NEAR(*s->modules[0].coldestSurface_k, 285.15, 1e-9);
  EXPECT_FALSE(s->modules[1].coldestSurface_k.has_value());
  EXPECT_NEAR(*s->lifeSupport[0].coilTemperature_k, 277.15, 1e-9);
  EXPECT_DOUBLE_EQ(s->lifeSupport[0].efficiency, 1.0);
  EXPECT_FALSE(s->lifeSupport[1].coilTemperature_k.has_value());  // the old fraction form
  EXPECT_DOUBLE_EQ(s->lifeSupport[1].efficiency, 0.35);
}

TEST(AtmosphereLoad, coil_only_on_water_removal_and_temperatures_over_liquid_water) {
  const auto d = check(yaml(R"(
modules:
  - {id: a, volume: 50 m^3, coldest_surface: 60 degC}
life_support:
  - {id: vozdukh, kind: co2_removal, module: a, flow: 30 m^3/h, coil_temperature: 4 degC}
  - {id: frost, kind: h2o_removal, module: a, flow: 30 m^3/h, coil_temperature: -5 degC}
)"));
  EXPECT_TRUE(reports(d, 2, "coldest_surface in module 'a' must lie between -40 and 50 degC"))
      << testing::listing(d);
  EXPECT_TRUE(reports(d, 4, "coil_temperature applies only to h2o_removal")) << testing::listing(d);
  EXPECT_TRUE(reports(d, 5, "coil_temperature in life support 'frost' must lie between 0 and 50"))
      << testing::listing(d);
}

TEST(AtmosphereLoad, habitability_limits_have_sourced_defaults_and_can_be_given) {
  const Limits d;
  EXPECT_NEAR(d.maxPpCo2_pa, 533.3, 0.1);  // 4 mmHg
  EXPECT_DOUBLE_EQ(d.nominalPpO2Low_pa, 19500.0);
  EXPECT_DOUBLE_EQ(d.nominalPpO2High_pa, 23100.0);
  EXPECT_DOUBLE_EQ(d.minHumidity, 0.25);
  EXPECT_DOUBLE_EQ(d.maxHumidity, 0.75);
  EXPECT_NEAR(d.evacuationPressure_pa, 520.0 * 133.322387415, 1e-9);
  const auto s = parseStation(yaml(R"(
limits: {max_ppCO2: 3 mmHg, nominal_ppO2_low: 20 kPa, max_humidity: 60 %}
modules:
  - {id: a, volume: 50 m^3}
)"),
                              "t.yaml");
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_TRUE(s->limits.has_value());
  EXPECT_NEAR(s->limits->maxPpCo2_pa, 3.0 * 133.322387415, 1e-9);
  EXPECT_DOUBLE_EQ(s->limits->nominalPpO2Low_pa, 20000.0);
  EXPECT_DOUBLE_EQ(s->limits->nominalPpO2High_pa, 23100.0);  // the default kept
  EXPECT_NEAR(s->limits->maxHumidity, 0.6, 1e-12);
}

TEST(AtmosphereLoad, a_limit_band_must_have_its_low_end_below_its_high_end) {
  const auto d = check(yaml(R"(
limits: {min_humidity: 80 %}
modules:
  - {id: a, volume: 50 m^3}
)"));
  EXPECT_TRUE(reports(d, 1, "min_humidity (0.8) must be below max_humidity (0.75)"))
      << testing::listing(d);
}

}  // namespace
}  // namespace leakhunt::model
