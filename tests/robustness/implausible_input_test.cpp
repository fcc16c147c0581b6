// Absurd values that once passed silently (issue 21 item 16): each is refused or warned about
// with file:line, the value and the plausible range; and a "with repress" reserve never comes
// from tanks that do not exist.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "robustness/robustness.hpp"

namespace leakhunt::testing {
namespace {

class Implausible : public RobustnessTest {
 protected:
  // A 6 h scenario on the two-module article with a 2 mm leak in module-b at +1 h and `event`
  // (one YAML list item, already indented) after it.
  std::string scenario(const std::string& event) const {
    return std::string("name: absurd\nstation: ") + station() +
           "\nstart: 2018-08-29T00:00:00Z\nduration: 6 h\nevents:\n"
           "  - at: 2018-08-29T01:00:00Z\n"
           "    leak: {id: hole-1, module: module-b, diameter: 2 mm}\n" +
           event;
  }
};

TEST_F(Implausible, a_repress_of_a_million_kilograms_is_called_implausible) {
  // Line 9 of the file: the repress body.
  writeFile("big.yaml", scenario("  - at: 2018-08-29T02:00:00Z\n"
                                 "    repress: {module: module-b, gas: O2, mass: 1e6 kg}\n"));
  const ProgramRun r = run("check big.yaml");
  EXPECT_EQ(r.status, 0) << r.err;  // a warning: the scenario still runs, if someone insists
  const std::string all = r.out + r.err;
  EXPECT_NE(all.find("big.yaml:9:"), std::string::npos) << all;
  EXPECT_NE(all.find("repress of 1e+06 kg is implausible: more than all the air in the station"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("plausible: above 0 up to 9"), std::string::npos) << all;  // ~96 kg in 80 m^3
  // The command that runs it says so too: `simulate` once ran it to 6.66e6 mmHg in silence.
  const ProgramRun sim = run("simulate big.yaml -o tm.csv");
  EXPECT_NE(sim.err.find("leakhunt simulate: big.yaml:9:"), std::string::npos) << sim.err;
  EXPECT_NE(sim.err.find("repress of 1e+06 kg is implausible"), std::string::npos) << sim.err;
  // A real repress (the 2018 Progress O2, 15.5 kg) draws no warning.
  writeFile("real.yaml", scenario("  - at: 2018-08-29T02:00:00Z\n"
                                  "    repress: {module: module-b, gas: O2, mass: 15.5 kg}\n"));
  const ProgramRun ok = run("check real.yaml");
  EXPECT_EQ(ok.status, 0) << ok.err;
  EXPECT_EQ((ok.out + ok.err).find("implausible"), std::string::npos) << ok.out << ok.err;
}

TEST_F(Implausible, a_patch_that_leaves_more_hole_than_it_covers_is_refused) {
  writeFile("patch.yaml", scenario("  - at: 2018-08-29T02:00:00Z\n"
                                   "    patch: {leak: hole-1, residual_diameter: 5 mm}\n"));
  const ProgramRun r = run("check patch.yaml");
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  const std::string all = r.out + r.err;
  EXPECT_NE(all.find("patch.yaml:9:"), std::string::npos) << all;
  EXPECT_NE(all.find("patch on leak 'hole-1' leaves a residual hole (CdA 12.7627 mm^2, 5 mm at Cd "
                     "0.65) larger than the hole it patches (CdA 2.04204 mm^2, 2 mm at Cd 0.65)"),
            std::string::npos)
      << all;
  // The same patch leaving 1 mm is fine.
  writeFile("fine.yaml", scenario("  - at: 2018-08-29T02:00:00Z\n"
                                  "    patch: {leak: hole-1, residual_diameter: 1 mm}\n"));
  const ProgramRun ok = run("check fine.yaml");
  EXPECT_EQ(ok.status, 0) << ok.out << ok.err;
}

TEST_F(Implausible, ground_test_sealed_until_must_not_be_negative) {
  const std::string args =
      "ground-test --volume '6.5 m^3' --pressure '101 kPa' --duration '24 h' "
      "--temperature-stability '0.1 K' --sensor-resolution '10 Pa' --hole '0.1 mm' ";
  const ProgramRun r = run(args + "--sealed-until '-5 day'");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.err.find("--sealed-until '-5 day' is not allowed: must be 0 or more"),
            std::string::npos)
      << r.err;
  const ProgramRun zero = run(args + "--sealed-until '0 s'");
  EXPECT_EQ(zero.status, 0) << zero.err;
}

TEST_F(Implausible, a_cabin_without_oxygen_or_tanks_gets_no_repress_reserve) {
  // The two-module article filled with CO2 and no repress tanks, losing 1760 Pa/h.
  std::ifstream in(station());
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string air = "composition: {N2: 0.7808, O2: 0.2095, Ar: 0.0093, CO2: 0.0004}";
  const auto at = text.find(air);
  ASSERT_NE(at, std::string::npos) << text;
  ASSERT_EQ(text.find("repress_tanks"), std::string::npos);
  text.replace(at, air.size(), "composition: {CO2: 1}");
  writeFile("co2.yaml", text);
  writeRows("tm.csv", cabinRows(5.0, 1760.0));
  const ProgramRun r = run("detect co2.yaml tm.csv --json");
  ASSERT_EQ(r.status, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j.contains("detections")) << r.out;
  int reports = 0;
  for (const auto& leak : j["detections"]) {
    ++reports;
    EXPECT_EQ(leak["repress_gas_kg"].get<double>(), 0.0) << leak;
    EXPECT_EQ(leak["reserve_time_with_repress_s"], leak["reserve_time_s"]) << leak;
  }
  EXPECT_GT(reports, 0) << r.out;
}

// A station value no crewed cabin has was named by `check` alone: `detect` on a 1e6 K cabin
// and `locate plan` with a hatch that takes a century to close (a 36,524-day plan) said
// nothing. Every command that reads a station now names it on stderr, with file:line.
TEST_F(Implausible, commands_that_read_a_station_name_its_implausible_values) {
  const std::string article =
      "name: odd\n"
      "atmosphere: {pressure: 760 mmHg, temperature: 1e6 K}\n"
      "modules:\n  - {id: module-a, volume: 50 m^3}\n  - {id: module-b, volume: 30 m^3}\n"
      "hatches:\n"
      "  - {id: hatch-ab, between: [module-a, module-b], diameter: 0.8 m, "
      "operate_time: 100 year}\n"
      "sensors:\n"
      "  - {channel: module-a.pressure, module: module-a, quantity: pressure, noise: 0.05 mmHg}\n"
      "  - {channel: module-b.pressure, module: module-b, quantity: pressure, noise: 0.05 mmHg}\n";
  writeFile("odd.yaml", article);
  writeRows("tm.csv", cabinRows(2.0, 0.0, {"module-a.pressure", "module-b.pressure"}));
  const ProgramRun detect = run("detect odd.yaml tm.csv");
  EXPECT_NE(detect.err.find("leakhunt detect: odd.yaml:1:1: warning: implausible: cabin "
                            "temperature"),
            std::string::npos)
      << detect.err;
  const ProgramRun plan = run("locate plan odd.yaml --leak-rate '1.4 kg/day'");
  EXPECT_NE(plan.err.find("odd.yaml:7:"), std::string::npos) << plan.err;
  EXPECT_NE(plan.err.find("implausible: hatch 'hatch-ab' takes"), std::string::npos) << plan.err;
  // The plausible article draws no such warning.
  const ProgramRun plain = run("locate plan " + station() + " --leak-rate '1.4 kg/day'");
  EXPECT_EQ(plain.status, 0) << plain.err;
  EXPECT_EQ(plain.err.find("implausible"), std::string::npos) << plain.err;
}

}  // namespace
}  // namespace leakhunt::testing
