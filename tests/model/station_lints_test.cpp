// `check`'s lints (issue 14): warnings with file:line about a valid station that will not keep
// its crew alive or cannot be watched, from the declared numbers only.
#include "model/station_lints.hpp"

#include <gtest/gtest.h>

#include <string>

#include "gas/humidity.hpp"
#include "gas/species.hpp"
#include "model/load.hpp"
#include "model/steady_air.hpp"

namespace leakhunt::model {
namespace {

constexpr double kMmHg = 133.322387415;

// The six-module outpost of issue 14: crew in three modules, CO2 removal in one, water removal
// in another. `hatchExtra` is appended to every hatch.
std::string outpost(const std::string& hatchExtra, bool sensors = true) {
  const auto h = [&](const char* id, const char* a, const char* b) {
    return std::string("  - {id: ") + id + ", between: [" + a + ", " + b + "], diameter: 0.8 m" +
           hatchExtra + "}\n";
  };
  std::string text =
      "name: outpost\n"
      "atmosphere: {pressure: 101.3 kPa, temperature: 21 degC}\n"
      "modules:\n"
      "  - {id: hab, volume: 30 m^3}\n"      // line 4
      "  - {id: lab, volume: 25 m^3}\n"      // line 5
      "  - {id: node, volume: 15 m^3}\n"     // line 6
      "  - {id: galley, volume: 20 m^3}\n"   // line 7
      "  - {id: airlock, volume: 10 m^3}\n"  // line 8
      "  - {id: store, volume: 12 m^3}\n"    // line 9
      "hatches:\n" +
      h("node-hab", "node", "hab") + h("node-lab", "node", "lab") +
      h("node-galley", "node", "galley") + h("node-airlock", "node", "airlock") +
      h("lab-store", "lab", "store") +
      "crew:\n"
      "  - {id: a, location: hab, lifeboat: station}\n"
      "  - {id: b, location: lab, lifeboat: station}\n"
      "  - {id: c, location: galley, lifeboat: station}\n"
      "life_support:\n"
      "  - {id: scrubber, kind: co2_removal, module: lab, flow: 30 m^3/h, efficiency: 0.6}\n"
      "  - {id: dryer, kind: h2o_removal, module: node, flow: 60 m^3/h, efficiency: 0.35}\n";
  if (sensors) {
    text += "sensors:\n";
    for (const char* m : {"hab", "lab", "node", "galley", "airlock", "store"})
      text += std::string("  - {channel: ") + m + ".pressure, module: " + m +
              ", quantity: pressure, noise: 0.05 mmHg, resolution: 0.1 mmHg, period: 1 s}\n";
  }
  return text;
}

CheckReport checked(const std::string& text) {
  CheckReport r = checkText(text, "outpost.yaml", ".");
  EXPECT_EQ(r.errorCount(), 0);
  for (const Diagnostic& d : r.diagnostics) EXPECT_EQ(d.severity, Diagnostic::Warning);
  return r;
}

std::vector<std::string> warningsAbout(const CheckReport& r, const std::string& what) {
  std::vector<std::string> out;
  for (const Diagnostic& d : r.diagnostics)
    if (d.message.find(what) != std::string::npos) out.push_back(format(d));
  return out;
}

TEST(StationLints, outpost_without_exchange_names_each_crewed_module_cut_off_from_co2_removal) {
  const CheckReport r = checked(outpost(", ventilation: 0 m^3/s"));
  const auto cut = warningsAbout(r, "CO2 removal:");
  ASSERT_EQ(cut.size(), 2u);
  EXPECT_NE(cut[0].find("outpost.yaml:4:"), std::string::npos) << cut[0];
  EXPECT_NE(cut[0].find("module 'hab' holds crew (a)"), std::string::npos) << cut[0];
  EXPECT_NE(cut[1].find("outpost.yaml:7:"), std::string::npos) << cut[1];
  EXPECT_NE(cut[1].find("module 'galley' holds crew (c)"), std::string::npos) << cut[1];
  // Their water has nowhere to go either: it condenses.
  EXPECT_EQ(warningsAbout(r, "condense").size(), 3u);  // hab, galley, and the dryer-less lab
}

TEST(StationLints, outpost_with_the_default_exchange_has_a_path_and_holds_its_limits) {
  const CheckReport r = checked(outpost(""));
  EXPECT_TRUE(warningsAbout(r, "CO2 removal:").empty());
  EXPECT_TRUE(warningsAbout(r, "steady").empty());
  EXPECT_TRUE(warningsAbout(r, "condense").empty());
  EXPECT_TRUE(r.diagnostics.empty()) << format(r.diagnostics.front());
}

TEST(StationLints, a_station_with_no_sensors_is_named_once) {
  const CheckReport r = checked(outpost("", false));
  const auto none = warningsAbout(r, "no sensors");
  ASSERT_EQ(none.size(), 1u);
  EXPECT_NE(none[0].find("simulate will write no telemetry"), std::string::npos) << none[0];
  EXPECT_TRUE(warningsAbout(r, "no pressure sensor").empty());
}

TEST(StationLints, a_module_with_no_pressure_sensor_is_named_at_its_line) {
  std::string text = outpost("");
  const std::string storeSensor =
      "  - {channel: store.pressure, module: store, quantity: pressure, noise: 0.05 mmHg, "
      "resolution: 0.1 mmHg, period: 1 s}\n";
  text.erase(text.find(storeSensor), storeSensor.size());
  const auto unwatched = warningsAbout(checked(text), "no pressure sensor");
  ASSERT_EQ(unwatched.size(), 1u);
  EXPECT_NE(unwatched[0].find("outpost.yaml:9:"), std::string::npos) << unwatched[0];
  EXPECT_NE(unwatched[0].find("'store'"), std::string::npos) << unwatched[0];
}

// One sealed module: the closed forms ppCO2 = P R T / (Q eta), and a condensing heat exchanger
// holding p_sat(T_coil) + P R T / (Q eta).
std::string oneModule(const std::string& lifeSupport, int crew) {
  std::string text =
      "name: can\n"
      "atmosphere: {pressure: 101.3 kPa, temperature: 22 degC}\n"
      "modules:\n"
      "  - {id: can, volume: 10 m^3}\n"
      "crew:\n";
  for (int i = 0; i < crew; ++i)
    text += "  - {id: c" + std::to_string(i) + ", location: can, lifeboat: station}\n";
  text += "life_support:\n" + lifeSupport +
          "sensors:\n  - {channel: can.pressure, module: can, quantity: pressure, noise: 0.05 "
          "mmHg, resolution: 0.1 mmHg, period: 1 s}\n";
  return text;
}

TEST(SteadyAir, one_module_matches_the_closed_forms) {
  const std::string ls =
      "  - {id: scrubber, kind: co2_removal, module: can, flow: 36 m^3/h, efficiency: 0.5}\n"
      "  - {id: chx, kind: h2o_removal, module: can, flow: 72 m^3/h, efficiency: 0.8, "
      "coil_temperature: 4 degC}\n";
  const Result<Station> s = parseStation(oneModule(ls, 2), "can.yaml");
  ASSERT_TRUE(s.ok()) << s.error().message;
  const SteadyAir air = steadyAir(*s);
  const double t = 295.15;
  const double co2 =
      2.0 * (1.0 / 86400.0) * gas::gasConstant(gas::index(gas::Species::CO2)) * t / (0.01 * 0.5);
  EXPECT_NEAR(air.ppCo2_pa[0] / co2, 1.0, 1e-9);
  const double h2o =
      gas::saturationPressure(277.15) +
      2.0 * (1.8 / 86400.0) * gas::gasConstant(gas::index(gas::Species::H2O)) * t / (0.02 * 0.8);
  EXPECT_NEAR(air.ppH2o_pa[0] / h2o, 1.0, 1e-9);
  EXPECT_FALSE(air.condensing[0]);
}

TEST(StationLints, undersized_co2_removal_is_named_with_its_steady_level) {
  // Four crew, Q eta = 1/240 m^3/s: 4 P R T / (Q eta) = 4.6 mmHg, over the 4 mmHg limit.
  const std::string ls =
      "  - {id: scrubber, kind: co2_removal, module: can, flow: 30 m^3/h, efficiency: 0.5}\n"
      "  - {id: dryer, kind: h2o_removal, module: can, flow: 200 m^3/h, efficiency: 0.5}\n";
  const CheckReport r = checkText(oneModule(ls, 4), "can.yaml", ".");
  EXPECT_EQ(r.errorCount(), 0);
  const auto over = warningsAbout(r, "steady ppCO2");
  ASSERT_EQ(over.size(), 1u);
  EXPECT_NE(over[0].find("can.yaml:4:"), std::string::npos) << over[0];
  const double expected =
      4.0 * (1.0 / 86400.0) * gas::gasConstant(gas::index(gas::Species::CO2)) * 295.15 * 240.0;
  char text[32];
  std::snprintf(text, sizeof text, "%.1f mmHg", expected / kMmHg);
  EXPECT_NE(over[0].find(text), std::string::npos) << over[0] << " vs " << text;
  // One crew member: 1.2 mmHg, within the limit (the dryer, 0.028 m^3/s for one, is too large
  // for the humidity band: that is the low-humidity lint's, below).
  EXPECT_TRUE(warningsAbout(checkText(oneModule(ls, 1), "can.yaml", "."), "steady ppCO2").empty());
}

TEST(StationLints, a_dryer_too_small_is_named_by_its_humidity) {
  // Two crew make water at P; at 22 degC, P R T = 5.68 Pa m^3/s and saturation is 2.64 kPa.
  const auto ls = [](const char* flow) {
    return "  - {id: scrubber, kind: co2_removal, module: can, flow: 100 m^3/h, efficiency: 0.5}\n"
           "  - {id: dryer, kind: h2o_removal, module: can, flow: " +
           std::string(flow) + ", efficiency: 0.5}\n";
  };
  // Q eta = 0.005 m^3/s: 1.14 kPa, 43 %, inside the band.
  EXPECT_TRUE(checkText(oneModule(ls("36 m^3/h"), 2), "can.yaml", ".").diagnostics.empty());
  // 0.0025 m^3/s: 2.27 kPa, 86 %, over 75 %.
  const auto humid =
      warningsAbout(checkText(oneModule(ls("18 m^3/h"), 2), "can.yaml", "."), "relative humidity");
  ASSERT_EQ(humid.size(), 1u);
  EXPECT_NE(humid[0].find("86 %"), std::string::npos) << humid[0];
  // 0.002 m^3/s: 2.84 kPa would exceed saturation: it condenses.
  const auto wet = warningsAbout(checkText(oneModule(ls("14.4 m^3/h"), 2), "can.yaml", "."),
                                 "condense on its coldest surface");
  EXPECT_EQ(wet.size(), 1u);
}

TEST(StationLints, a_dryer_too_large_is_named_by_its_low_humidity) {
  // Two crew make water at P; Q eta removes it: ppH2O = P R T / (Q eta) (no simulation).
  const auto ls = [](const char* flow) {
    return "  - {id: scrubber, kind: co2_removal, module: can, flow: 100 m^3/h, efficiency: 0.5}\n"
           "  - {id: dryer, kind: h2o_removal, module: can, flow: " +
           std::string(flow) + ", efficiency: 0.5}\n";
  };
  const double t = 295.15;
  const double made = 2.0 * (1.8 / 86400.0) * gas::gasConstant(gas::index(gas::Species::H2O)) * t;
  // Q eta = 0.05 m^3/s: 114 Pa, 4 % of saturation, far under 25 %.
  const CheckReport dry = checkText(oneModule(ls("360 m^3/h"), 2), "can.yaml", ".");
  EXPECT_EQ(dry.errorCount(), 0);
  const auto low = warningsAbout(dry, "under the limit of 25 %");
  ASSERT_EQ(low.size(), 1u);
  EXPECT_NE(low[0].find("can.yaml:4:"), std::string::npos) << low[0];
  EXPECT_NE(low[0].find("module 'can'"), std::string::npos) << low[0];
  char expected[32];
  std::snprintf(expected, sizeof expected, "would be %.0f %%",
                100.0 * made / 0.05 / gas::saturationPressure(t));
  EXPECT_NE(low[0].find(expected), std::string::npos) << low[0] << " vs " << expected;
  // Q eta = 0.008 m^3/s: 27 %, just inside the band; 0.009: 24 %, just under.
  EXPECT_TRUE(
      warningsAbout(checkText(oneModule(ls("57.6 m^3/h"), 2), "can.yaml", "."), "under").empty());
  EXPECT_EQ(
      warningsAbout(checkText(oneModule(ls("64.8 m^3/h"), 2), "can.yaml", "."), "under").size(),
      1u);
  // A station's own band moves the line: 20 % lets the 24 % pass.
  std::string own = oneModule(ls("64.8 m^3/h"), 2);
  own.insert(own.find("modules:"), "limits: {min_humidity: 20 %}\n");
  EXPECT_TRUE(warningsAbout(checkText(own, "can.yaml", "."), "under").empty());
  // No crew breathe into it: an empty module with a dryer is not linted as too dry.
  EXPECT_TRUE(
      warningsAbout(checkText(oneModule(ls("360 m^3/h"), 0), "can.yaml", "."), "under").empty());
}

// Issue 21, items 14 and 16: values legal to the reader but no crewed cabin has, each named
// at its line with what is implausible.
TEST(StationLints, implausible_values_are_named_at_their_lines) {
  const std::string text =
      "name: odd\n"
      "atmosphere: {pressure: 101.3 kPa, temperature: 1e6 K}\n"
      "modules:\n"
      "  - {id: a, volume: 1e-30 m^3}\n"
      "  - {id: b, volume: 5 m^3}\n"
      "hatches:\n"
      "  - {id: ab, between: [a, b], diameter: 100 m, operate_time: 100 year}\n"
      "sensors:\n"
      "  - {channel: a.pressure, module: a, quantity: pressure}\n"
      "  - {channel: b.pressure, module: b, quantity: pressure}\n";
  const CheckReport r = checkText(text, "odd.yaml", ".");
  EXPECT_EQ(r.errorCount(), 0);
  const auto odd = warningsAbout(r, "implausible");
  ASSERT_EQ(odd.size(), 4u);
  EXPECT_NE(odd[0].find("odd.yaml:1:1: warning: implausible: cabin temperature"), std::string::npos)
      << odd[0];
  EXPECT_NE(odd[1].find("odd.yaml:4:"), std::string::npos) << odd[1];
  EXPECT_NE(odd[1].find("module 'a' volume"), std::string::npos) << odd[1];
  EXPECT_NE(odd[2].find("odd.yaml:7:"), std::string::npos) << odd[2];
  EXPECT_NE(odd[2].find("hatch 'ab' area"), std::string::npos) << odd[2];
  EXPECT_NE(odd[3].find("to operate"), std::string::npos) << odd[3];
  // The outpost of issue 14 is plausible throughout.
  EXPECT_TRUE(warningsAbout(checked(outpost("")), "implausible").empty());
}

}  // namespace
}  // namespace leakhunt::model
