// Closed-loop drills: the simulator holds the leak, the planner acts, the detector reads.
#include "harness/drill.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "harness/autopilot.hpp"
#include "harness/scenario_log.hpp"
#include "model/load.hpp"
#include "ops/record_replay.hpp"
#include "sim/scenario_runner.hpp"
#include "test_stations.hpp"

namespace leakhunt::locate {
namespace {

using namespace leakhunt::harness;  // the drill holds the hidden leak: harness side

DrillOptions quick() {
  DrillOptions o;
  o.sim.spinUp_s = 0.5 * 86400.0;
  o.sim.relativeTolerance = 1e-6;
  return o;
}

model::Scenario bundled(const std::string& name) {
  Result<model::Scenario> s =
      model::loadScenario(std::string(LEAKHUNT_SOURCE_DIR) + "/data/scenarios/" + name);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  return std::move(s).value();
}

void expectSafeAndCorrect(const DrillResult& r) {
  EXPECT_TRUE(r.detected) << r.why;
  EXPECT_TRUE(r.localized) << r.why;
  ASSERT_TRUE(r.correct.has_value());
  EXPECT_TRUE(*r.correct) << "found " << (r.localizedModules.empty() ? "-" : r.localizedModules[0]);
  EXPECT_FALSE(r.crewCutOff);
  EXPECT_GE(r.hatchOperations, 1);
  ASSERT_FALSE(r.steps.empty());
  EXPECT_EQ(r.posterior.size(), r.moduleIds.size());
}

// A station of a core with life support and a one-module Soyuz, the crew's lifeboat. The crew
// waits in the Soyuz; closing its one hatch splits the station in two, and one reading of the
// Soyuz's inventory finds the 2 mm hole.
TEST(Drill, leak_in_isolated_soyuz_is_found_in_one_step) {
  const std::string text = R"(name: soyuz test
start: 2018-08-29T18:00:00Z
duration: 1 day
seed: 3
station:
  name: core and soyuz
  atmosphere: {pressure: 750 mmHg, temperature: 22 degC}
  modules:
    - {id: core, volume: 120 m^3, vehicle: station}
    - {id: soyuz, volume: 7 m^3, vehicle: soyuz}
  hatches:
    - {id: core-soyuz, between: [core, soyuz], diameter: 0.8 m}
  crew:
    - {id: one, location: core, lifeboat: soyuz}
  life_support:
    - {id: o2, kind: o2_generation, module: core, rate: 0.84 kg/day}
    - {id: co2, kind: co2_removal, module: core, flow: 10 m^3/h, efficiency: 0.6, vented: true}
  sensors:
    - {channel: core.pressure, module: core, quantity: pressure, noise: 0.05 mmHg, resolution: 0.1 mmHg, period: 1 s}
    - {channel: soyuz.pressure, module: soyuz, quantity: pressure, noise: 0.05 mmHg, resolution: 0.1 mmHg, period: 1 s}
    - {channel: core.temperature, module: core, quantity: temperature, noise: 0.05 K, resolution: 0.01 K, period: 10 s}
events:
  - at: +1.5 h
    leak: {id: hole, module: soyuz, diameter: 2 mm, cd: 0.65}
)";
  Result<model::Scenario> s = model::parseScenario(text, "soyuz.yaml", LEAKHUNT_SOURCE_DIR);
  ASSERT_TRUE(s.ok()) << s.error().message;
  const Result<DrillResult> r = runDrill(*s, quick(), nullptr);
  ASSERT_TRUE(r.ok()) << r.error().message;
  expectSafeAndCorrect(*r);
  EXPECT_EQ(r->steps.size(), 1u);
  EXPECT_EQ(r->steps[0].closedHatches, std::vector<std::string>{"core-soyuz"});
  EXPECT_EQ(r->localizedModules, std::vector<std::string>{"soyuz"});
}

// The 2018 story: 2 mm in the Soyuz MS-09 orbital module. The target is 2 h from alarm.
TEST(Drill, soyuz_ms09_2018_is_found_within_two_hours) {
  const Result<DrillResult> r = runDrill(bundled("soyuz-ms09-2018.yaml"), quick(), nullptr);
  ASSERT_TRUE(r.ok()) << r.error().message;
  expectSafeAndCorrect(*r);
  EXPECT_LE(r->elapsed_s, 2.0 * 3600.0);
}

// Zvezda's PrK crack at about 1 kg/day (iss-2020): the slow branch alarms after hours.
TEST(Drill, zvezda_prk_2020_is_found) {
  const Result<DrillResult> r = runDrill(bundled("zvezda-prk-2020.yaml"), quick(), nullptr);
  ASSERT_TRUE(r.ok()) << r.error().message;
  expectSafeAndCorrect(*r);
  EXPECT_LE(r->elapsed_s, 3.0 * 86400.0);
}

// Mir 1997: a centimetre hole in Spektr (adiabatic walls, the full network). The leak starts
// 18 min into the scenario; the drill gives the detector its hour of reference first.
TEST(Drill, spektr_1997_is_found_within_an_hour) {
  const Result<DrillResult> r = runDrill(bundled("spektr-1997.yaml"), quick(), nullptr);
  ASSERT_TRUE(r.ok()) << r.error().message;
  expectSafeAndCorrect(*r);
  EXPECT_LE(r->elapsed_s, 3600.0);
}

// The baselines run through the same loop and reach the same module on the 2018 case.
TEST(Drill, baselines_share_the_loop_and_agree_on_2018) {
  for (Strategy s : {Strategy::HalvingByVolume, Strategy::CrewOrder2018}) {
    DrillOptions o = quick();
    o.planner.strategy = s;
    const Result<DrillResult> r = runDrill(bundled("soyuz-ms09-2018.yaml"), o, nullptr);
    ASSERT_TRUE(r.ok()) << r.error().message;
    expectSafeAndCorrect(*r);
    EXPECT_EQ(r->strategy, toString(s));
  }
}

// The drill is the operations core with a simulated crew: what the crew did, replayed as the
// station's own record (the hole, the crew's logged actions) and read by the core after the
// fact (`locate infer`, followLog), corners the same module the drill did, at the same reading.
TEST(Drill, its_actions_read_back_as_a_record_corner_the_same_module) {
  const std::string text = R"(name: two modules
start: 2018-08-29T18:00:00Z
duration: 10 h
seed: 12
station: ../stations/two-module.yaml
events:
  - at: +3 h
    leak: {id: hole, module: module-b, diameter: 2 mm, cd: 0.65}
)";
  const std::string dir = std::string(LEAKHUNT_SOURCE_DIR) + "/data/scenarios";
  Result<model::Scenario> s = model::parseScenario(text, dir + "/two.yaml", dir);
  ASSERT_TRUE(s.ok()) << s.error().message;
  const Result<DrillResult> drill = runDrill(*s, quick(), nullptr);
  ASSERT_TRUE(drill.ok()) << drill.error().message;
  ASSERT_TRUE(drill->localized) << drill->why;
  ASSERT_FALSE(drill->actions.empty());

  // The record: the same hole, the crew's actions as the scenario's events, the same seed.
  model::Scenario record = *s;
  for (const model::Event& e : drill->actions) record.events.push_back(e);
  std::stable_sort(
      record.events.begin(), record.events.end(),
      [](const model::Event& a, const model::Event& b) { return a.time_s < b.time_s; });
  struct Tape final : sim::RunObserver {
    void begin(const telemetry::ChannelTable& tm, const telemetry::ChannelTable&) override {
      for (std::size_t c = 0; c < tm.size(); ++c) names.push_back(tm.name(static_cast<int>(c)));
    }
    void telemetry(const telemetry::Sample& x) override { samples.push_back(x); }
    std::vector<std::string> names;
    std::vector<telemetry::Sample> samples;
  } tape;
  sim::RunOptions ro = quick().sim;
  ro.emitTelemetry = true;
  ro.emitTruth = false;
  const Result<sim::RunResult> ran = sim::runScenario(record, ro, tape);
  ASSERT_TRUE(ran.ok()) << ran.error().message;
  ops::OperationsOptions o;
  o.followLog = true;
  Transcript heard;
  ops::OperationsCore core(record.station, tape.names, o, &heard);
  ops::replayRecord(core, tape.samples, loggedEventsOf(record, record.station));
  EXPECT_EQ(core.status().localized, drill->localizedModules);
  EXPECT_TRUE(heard.proposals.empty());
}

}  // namespace
}  // namespace leakhunt::locate
