// Every problem `check` must find in a scenario file, each at its line.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "check_helpers.hpp"

namespace leakhunt::model {
namespace {

using testing::check;
using testing::errors;
using testing::reports;
using testing::yaml;

// Lines 1-17: a scenario header and an inline station; events start on line 18.
std::string scenario(std::string_view events) {
  return yaml(R"(
name: test
station:
  modules:
    - {id: zvezda, volume: 75 m^3, vehicle: iss}
    - {id: soyuz-om, volume: 5 m^3, vehicle: soyuz}
  hatches:
    - {id: zvezda-soyuz, between: [zvezda, soyuz-om], diameter: 0.8 m}
    - {id: fixed, between: [zvezda, soyuz-om], diameter: 0.1 m, closable: false}
  crew: [{id: gerst, location: zvezda, lifeboat: soyuz}]
  life_support: [{id: co2, kind: co2_removal, module: zvezda, flow: 20 m^3/h, efficiency: 0.6}, {id: h2o, kind: h2o_removal, module: zvezda, flow: 40 m^3/h, efficiency: 0.35}]
  sensors: [{channel: zvezda.pressure, module: zvezda, quantity: pressure}, {channel: soyuz-om.pressure, module: soyuz-om, quantity: pressure}]
  # (flow style: enough life support and sensors for check's lints, on the lines they had)
  repress_tanks:
    - {id: progress-o2, module: zvezda, gas: O2, mass: 47 kg}
start: 2018-08-29T18:00:00Z
duration: 24 h
events:
)") + std::string(events);
}

TEST(ScenarioCheck, a_valid_scenario_has_no_diagnostics) {
  const auto d = check(scenario(yaml(R"(
  - at: 2018-08-29T19:30:00Z
    leak: {id: hole-1, module: soyuz-om, diameter: 2 mm, onset: ramp, duration: 1 h}
  - at: +20 h
    hatch: {id: zvezda-soyuz, state: closed}
  - at: +21 h
    patch: {leak: hole-1, residual_diameter: 0.1 mm}
  - at: +22 h
    repress: {module: zvezda, mass: 5 kg, tank: progress-o2}
  - at: +23 h
    crew_move: {crew: gerst, module: soyuz-om}
  - at: +23 h
    temperature: {set_point: 23 degC}
  - at: +2 h
    sensor_fault: {channel: zvezda.pressure, kind: bias_jump, bias: 2 mmHg}
)")));
  EXPECT_TRUE(d.empty()) << testing::listing(d);
}

// A patch that seals completely has a residual of zero; a negative one is still an error.
TEST(ScenarioCheck, a_patch_may_seal_to_zero_but_not_below) {
  const auto sealed = check(scenario(yaml(R"(
  - at: +1 h
    leak: {id: hole-1, module: soyuz-om, diameter: 2 mm}
  - at: +2 h
    patch: {leak: hole-1, residual_diameter: 0 mm}
)")));
  EXPECT_TRUE(sealed.empty()) << testing::listing(sealed);
  const auto negative = check(scenario(yaml(R"(
  - at: +1 h
    leak: {id: hole-1, module: soyuz-om, diameter: 2 mm}
  - at: +2 h
    patch: {leak: hole-1, residual_diameter: -1 mm}
)")));
  EXPECT_EQ(errors(negative), 1) << testing::listing(negative);
}

TEST(ScenarioCheck, event_after_the_end_is_outside_the_scenario) {
  const auto d = check(scenario(yaml(R"(
  - at: +25 h
    hatch: {id: zvezda-soyuz, state: closed}
)")));
  EXPECT_TRUE(reports(d, 18, "event at '+25 h' is outside the scenario [start, start + 24 h]"));
}

TEST(ScenarioCheck, event_before_the_start_is_outside_the_scenario) {
  const auto d = check(scenario(yaml(R"(
  - at: 2018-08-29T17:59:59Z
    hatch: {id: zvezda-soyuz, state: closed}
)")));
  EXPECT_TRUE(reports(d, 18, "outside the scenario"));
}

TEST(ScenarioCheck, event_at_the_very_end_is_inside) {
  const auto d = check(scenario(yaml(R"(
  - at: 2018-08-30T18:00:00Z
    hatch: {id: zvezda-soyuz, state: closed}
)")));
  EXPECT_EQ(errors(d), 0) << testing::listing(d);
}

TEST(ScenarioCheck, unknown_references_suggest_the_closest) {
  const auto d = check(scenario(yaml(R"(
  - at: +1 h
    leak: {id: hole-1, module: soyuz-0m, diameter: 2 mm}
  - at: +2 h
    hatch: {id: zvezda-soyus, state: closed}
  - at: +3 h
    patch: {leak: hole-2}
  - at: +4 h
    repress: {module: zvezda, mass: 5 kg, tank: progress-02}
  - at: +5 h
    crew_move: {crew: gerts, module: zvezda}
  - at: +6 h
    sensor_fault: {channel: zvezda.presure, kind: dropout}
)")));
  EXPECT_TRUE(reports(d, 19, "unknown module 'soyuz-0m' (did you mean 'soyuz-om'?)"));
  EXPECT_TRUE(reports(d, 21, "unknown hatch 'zvezda-soyus' (did you mean 'zvezda-soyuz'?)"));
  EXPECT_TRUE(reports(d, 23, "unknown leak 'hole-2' (did you mean 'hole-1'?)"));
  EXPECT_TRUE(reports(d, 25, "unknown repress tank 'progress-02' (did you mean 'progress-o2'?)"));
  EXPECT_TRUE(reports(d, 27, "unknown crew member 'gerts' (did you mean 'gerst'?)"));
  EXPECT_TRUE(reports(d, 29, "unknown channel 'zvezda.presure' (did you mean 'zvezda.pressure'?)"));
}

TEST(ScenarioCheck, duplicate_leak_id) {
  const auto d = check(scenario(yaml(R"(
  - at: +1 h
    leak: {id: hole-1, module: zvezda, diameter: 2 mm}
  - at: +2 h
    leak: {id: hole-1, module: zvezda, diameter: 1 mm}
)")));
  EXPECT_TRUE(reports(d, 21, "duplicate leak id 'hole-1'"));
}

TEST(ScenarioCheck, zero_durations_and_periods_are_errors) {
  const auto d = check(yaml(R"(
station:
  modules:
    - {id: a, volume: 5 m^3}
start: 2018-08-29T18:00:00Z
duration: 0 h
output_period: -1 s
events:
  - at: +0 h
    leak: {id: hole, module: a, diameter: 2 mm, onset: ramp, duration: 0 min}
  - at: +0 h
    sensor_fault: {channel: x, kind: dropout, duration: 0 s}
)"));
  EXPECT_TRUE(reports(d, 5, "duration must be positive, got '0 h'"));
  EXPECT_TRUE(reports(d, 6, "output_period must be positive"));
  EXPECT_TRUE(reports(d, 9, "duration must be positive, got '0 min'"));
  EXPECT_TRUE(reports(d, 11, "duration must be positive, got '0 s'"));
}

TEST(ScenarioCheck, leak_diameter_must_be_positive_and_have_a_length_unit) {
  const auto d = check(scenario(yaml(R"(
  - at: +1 h
    leak: {id: a, module: zvezda, diameter: 0 mm}
  - at: +1 h
    leak: {id: b, module: zvezda, diameter: 2 mm^2}
  - at: +1 h
    leak: {id: c, module: zvezda, diameter: 2}
)")));
  EXPECT_TRUE(reports(d, 19, "diameter must be positive"));
  EXPECT_TRUE(reports(d, 21, "'2 mm^2' is an area, expected a length"));
  EXPECT_TRUE(reports(d, 23, "no unit in '2'"));
}

TEST(ScenarioCheck, ramp_without_duration) {
  const auto d = check(scenario(yaml(R"(
  - at: +1 h
    leak: {id: a, module: zvezda, diameter: 2 mm, onset: ramp}
)")));
  EXPECT_TRUE(reports(d, 19, "leak 'a' is missing 'duration'"));
}

TEST(ScenarioCheck, patch_before_its_leak) {
  const auto d = check(scenario(yaml(R"(
  - at: +1 h
    patch: {leak: hole-1}
  - at: +2 h
    leak: {id: hole-1, module: zvezda, diameter: 2 mm}
)")));
  EXPECT_TRUE(reports(d, 19, "patch on leak 'hole-1' comes before the leak starts"));
}

TEST(ScenarioCheck, an_event_has_exactly_one_action) {
  const auto d = check(scenario(yaml(R"(
  - at: +1 h
  - at: +1 h
    hatch: {id: zvezda-soyuz, state: closed}
    crew_move: {crew: gerst, module: zvezda}
  - hatch: {id: zvezda-soyuz, state: open}
)")));
  EXPECT_TRUE(reports(d, 18, "event has no action"));
  EXPECT_TRUE(reports(d, 21, "event has both 'hatch' and 'crew_move'"));
  EXPECT_TRUE(reports(d, 22, "event is missing 'at'"));
}

TEST(ScenarioCheck, a_hatch_that_cannot_be_closed) {
  const auto d = check(scenario(yaml(R"(
  - at: +1 h
    hatch: {id: fixed, state: closed}
)")));
  EXPECT_TRUE(reports(d, 19, "cannot be operated"));
}

TEST(ScenarioCheck, unknown_event_key_suggests_the_closest) {
  const auto d = check(scenario(yaml(R"(
  - at: +1 h
    hatch: {id: zvezda-soyuz, stat: closed}
)")));
  EXPECT_TRUE(
      reports(d, 19, "unknown key 'stat' in hatch event 'zvezda-soyuz' (did you mean 'state'?)"));
}

TEST(ScenarioCheck, start_must_be_utc) {
  const auto d = check(yaml(R"(
station: {modules: [{id: a, volume: 5 m^3}]}
start: 2018-08-29T18:00:00
duration: 1 h
)"));
  EXPECT_TRUE(reports(d, 2, "no zone: end with Z or +00:00"));
}

TEST(ScenarioCheck, start_must_be_a_calendar_date) {
  const auto d = check(yaml(R"(
station: {modules: [{id: a, volume: 5 m^3}]}
start: 2018-02-30T18:00:00Z
duration: 1 h
)"));
  EXPECT_TRUE(reports(d, 2, "2018-02 has no day 30"));
}

TEST(ScenarioCheck, inline_station_problems_are_reported_in_the_scenario_file) {
  const auto d = check(yaml(R"(
station:
  modules:
    - {id: a, volume: 5 psi}
start: 2018-08-29T18:00:00Z
duration: 1 h
)"));
  EXPECT_TRUE(reports(d, 3, "'5 psi' is a pressure, expected a volume"));
  EXPECT_EQ(d.at(0).where.file, "t.yaml");
}

class ScenarioWithStationFile : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = std::filesystem::temp_directory_path() /
            ("leakhunt-model-test-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(m_dir / "stations");
    std::filesystem::create_directories(m_dir / "scenarios");
  }
  void TearDown() override { std::filesystem::remove_all(m_dir); }
  std::string write(const std::string& relative, const std::string& text) {
    const auto path = m_dir / relative;
    std::ofstream(path) << text;
    return path.string();
  }
  std::filesystem::path m_dir;
};

TEST_F(ScenarioWithStationFile, station_diagnostics_carry_the_station_file_name) {
  const std::string station = write("stations/s.yaml", yaml(R"(
modules:
  - {id: a, volume: 5 m^3}
  - {id: b, volume: -1 m^3}
hatches:
  - {id: ab, between: [a, b], diameter: 1 m}
)"));
  const std::string path = write("scenarios/run.yaml", yaml(R"(
station: ../stations/s.yaml
start: 2018-08-29T18:00:00Z
duration: 1 h
events:
  - at: +1 min
    leak: {id: x, module: c, diameter: 1 mm}
)"));
  const CheckReport report = checkDescription(path);
  EXPECT_EQ(report.kind, FileKind::Scenario);
  ASSERT_EQ(report.errorCount(), 2) << testing::listing(report.diagnostics);
  EXPECT_EQ(report.diagnostics[0].where.file,
            (m_dir / "scenarios/../stations/s.yaml").lexically_normal().string());
  EXPECT_EQ(report.diagnostics[0].where.line, 3);
  EXPECT_NE(report.diagnostics[0].message.find("volume must be positive"), std::string::npos);
  EXPECT_EQ(report.diagnostics[1].where.file, path);
  EXPECT_EQ(report.diagnostics[1].where.line, 6);
  EXPECT_NE(report.diagnostics[1].message.find("unknown module 'c'"), std::string::npos);
  EXPECT_FALSE(loadScenario(path).ok());
}

TEST_F(ScenarioWithStationFile, missing_station_file_is_reported_at_the_station_key) {
  const std::string path = write("scenarios/run.yaml", yaml(R"(
name: x
station: ../stations/nowhere.yaml
start: 2018-08-29T18:00:00Z
duration: 1 h
events:
  - at: +1 min
    leak: {id: x, module: c, diameter: 1 mm}
)"));
  const auto d = checkFile(path);
  // References into a station that could not be read are not checked: one cause, one error.
  ASSERT_EQ(errors(d), 1) << testing::listing(d);
  EXPECT_EQ(d[0].where.line, 2);
  EXPECT_NE(d[0].message.find("no such file"), std::string::npos);
}

TEST_F(ScenarioWithStationFile, load_resolves_the_station_relative_to_the_scenario) {
  write("stations/s.yaml", "name: S\nmodules: [{id: a, volume: 5 m^3}]\n");
  const std::string path = write("scenarios/run.yaml",
                                 "station: ../stations/s.yaml\nstart: 2018-08-29T18:00:00Z\n"
                                 "duration: 1 h\n");
  const auto sc = loadScenario(path);
  ASSERT_TRUE(sc.ok()) << sc.error().message;
  EXPECT_EQ(sc->station.name, "S");
  EXPECT_EQ(sc->stationPath, "../stations/s.yaml");
  EXPECT_EQ(sc->station.modules.at(0).id, "a");
}

}  // namespace
}  // namespace leakhunt::model
