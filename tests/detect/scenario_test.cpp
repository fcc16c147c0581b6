// Scenario tests: the simulator's ISS 2018 telemetry straight into the detector (no files),
// scored against the simulator's truth. Shortened scenarios keep each test to seconds.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "harness/scored_run.hpp"
#include "model/load.hpp"
#include "model/utc_time.hpp"

namespace leakhunt::campaign {
namespace {

const std::string kStation = std::string(LEAKHUNT_SOURCE_DIR) + "/data/stations/iss-2018.yaml";
const std::string kStart = "2018-08-29T18:00:00Z";

model::Scenario scenario(const std::string& duration, int seed, const std::string& events) {
  const std::string text = "name: test\nstation: " + kStation + "\nstart: " + kStart +
                           "\nduration: " + duration + "\nseed: " + std::to_string(seed) +
                           "\noutput_period: 1 s\nthermal: isothermal\nevents:\n" + events;
  Result<model::Scenario> s = model::parseScenario(text, "test.yaml", LEAKHUNT_SOURCE_DIR);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  return std::move(s).value();
}

double at(const std::string& offset_h) {
  return *model::parseUtc(kStart) + std::stod(offset_h) * 3600.0;
}

sim::RunOptions quick() {
  sim::RunOptions o;
  o.spinUp_s = 2.0 * 86400.0;
  return o;
}

harness::RunOutcome run(const model::Scenario& s, const harness::RunTruth& truth) {
  Result<harness::RunOutcome> out =
      harness::runWithDetector(s, truth, detect::DetectorOptions{}, quick());
  EXPECT_TRUE(out.ok()) << (out.ok() ? "" : out.error().message);
  return std::move(out).value();
}

int moduleIndex(const model::Scenario& s, const std::string& id) {
  for (std::size_t i = 0; i < s.station.modules.size(); ++i)
    if (s.station.modules[i].id == id) return static_cast<int>(i);
  return -1;
}

// A 2 mm hole (Cd 0.65) in the Soyuz MS-09 orbital module, 1.5 h into the data: about
// 4.8e-4 kg/s. The target is a median alarm within 10 min and 99 % within 20; a test
// on one seed asserts 20 min. Without temperature compensation (0.6 K swing in that module,
// 0.2 K elsewhere) or with a threshold set too low, this alarms before the onset; with the
// wrong block averaging or threshold set too high, not within 20 min.
TEST(Scenario, two_mm_hole_is_alarmed_in_its_segment_and_sized_within_10_percent_at_1h) {
  for (int seed : {11, 12}) {
    const model::Scenario s = scenario(
        "2.6 h", seed,
        "  - at: +1.5 h\n"
        "    leak: {id: hole-1, module: soyuz-ms09-om, diameter: 2 mm, cd: 0.65, onset: step}\n");
    harness::RunTruth truth{"hole-1", "soyuz-ms09-om", at("1.5"), 3600.0};
    const harness::RunOutcome out = run(s, truth);
    SCOPED_TRACE("seed " + std::to_string(seed));
    EXPECT_EQ(out.alarmsBeforeOnset, 0);
    EXPECT_EQ(out.alarmsWrongSegment, 0);
    ASSERT_TRUE(out.detected);
    EXPECT_LE(out.delay_s, 20.0 * 60.0);
    EXPECT_GT(out.delay_s, 0.0);
    ASSERT_FALSE(out.alarms.empty());
    EXPECT_TRUE(out.alarms.front().containsLeak);
    // The segment is the whole station less BEAM (its hatch is closed in 2018).
    EXPECT_EQ(out.alarms.front().modules.size(), s.station.modules.size() - 1);
    EXPECT_EQ(std::count(out.alarms.front().modules.begin(), out.alarms.front().modules.end(),
                         moduleIndex(s, "beam")),
              0);
    ASSERT_TRUE(out.estimated);
    EXPECT_GT(out.truthRate_kg_s, 4.0e-4);
    EXPECT_LT(out.truthRate_kg_s, 5.5e-4);
    EXPECT_LT(std::abs(out.rate_kg_s - out.truthRate_kg_s), 0.10 * out.truthRate_kg_s)
        << "estimate " << out.rate_kg_s << " truth " << out.truthRate_kg_s;
    // The onset interval is where the onset was.
    EXPECT_LE(out.onsetLow_s, truth.onset_s + 60.0);
    EXPECT_GE(out.onsetHigh_s, truth.onset_s - 60.0);
  }
}

// Eight hours with the crew moving, two logged represses (one with its 2 % logged-mass error)
// and a hatch closed for an hour and reopened: no alarm, no sensor fault.
TEST(Scenario, leak_free_day_with_repress_and_hatch_events_raises_no_alarm) {
  const model::Scenario s = scenario(
      "8 h", 21,
      "  - at: +1.5 h\n"
      "    repress: {module: progress-ms09, gas: O2, mass: 6 kg, duration: 30 min, error: 2 %}\n"
      "  - at: +2.5 h\n"
      "    hatch: {id: harmony-columbus, state: closed}\n"
      "  - at: +2.6 h\n"
      "    crew_move: {crew: gerst, module: columbus}\n"
      "  - at: +3.5 h\n"
      "    hatch: {id: harmony-columbus, state: open}\n"
      "  - at: +4 h\n"
      "    repress: {module: quest, gas: air, mass: 10 kg, duration: 20 min, error: 2 %}\n"
      "  - at: +5 h\n"
      "    hatch: {id: zvezda-poisk, state: closed}\n"
      "  - at: +6.5 h\n"
      "    hatch: {id: zvezda-poisk, state: open}\n");
  const harness::RunOutcome out = run(s, harness::RunTruth{});
  EXPECT_TRUE(out.alarms.empty()) << out.alarms.size() << " alarms, first at "
                                  << (out.alarms.empty() ? 0.0 : out.alarms[0].time_s - at("0"));
  EXPECT_TRUE(out.faults.empty());
  EXPECT_GT(out.segmentSeconds, 2.0 * 5.0 * 3600.0);  // two segments watched most of the time
}

// The US segment cut off after its four crew have left: CDRA and CCAA go on drawing its CO2 and
// water down for a day (about 0.4 kg/h of gas at first), which is no leak. With the scrubbers
// taken as removing exactly what the crew make, this raised a leak alarm 3 h after the hatch
// closed; the trace-gas bookkeeping (docs/detection.md) accounts for it.
TEST(Scenario, crew_leaving_a_scrubbed_segment_raises_no_alarm) {
  const model::Scenario s = scenario("9 h", 23,
                                     "  - at: +1.5 h\n"
                                     "    crew_move: {crew: feustel, module: zvezda}\n"
                                     "  - at: +1.5 h\n"
                                     "    crew_move: {crew: arnold, module: zvezda}\n"
                                     "  - at: +1.5 h\n"
                                     "    crew_move: {crew: gerst, module: zarya}\n"
                                     "  - at: +1.5 h\n"
                                     "    crew_move: {crew: aunon-chancellor, module: zarya}\n"
                                     "  - at: +1.75 h\n"
                                     "    hatch: {id: pma1-unity, state: closed}\n");
  const harness::RunOutcome out = run(s, harness::RunTruth{});
  EXPECT_TRUE(out.alarms.empty()) << out.alarms.size() << " alarms, first at +"
                                  << (out.alarms.empty() ? 0.0 : out.alarms[0].time_s - at("0")) /
                                         3600
                                  << " h";
}

// A segment that forms with the leak already in it has no change of slope to see, only a
// slope: the slow branch raises the alarm and the estimate is taken against the flat baseline
// (the hinge fit read this case as a small gain). Rassvet and the Soyuz cut off an hour after
// a 2 mm hole opened: the estimate is a loss near the truth.
TEST(Scenario, segment_formed_around_a_leak_reports_its_loss) {
  const model::Scenario s = scenario(
      "7 h", 43,
      "  - at: +1.5 h\n"
      "    leak: {id: hole-1, module: soyuz-ms09-om, diameter: 2 mm, cd: 0.65, onset: step}\n"
      "  - at: +2.5 h\n"
      "    hatch: {id: zarya-rassvet, state: closed}\n");
  harness::RunTruth truth{"hole-1", "soyuz-ms09-om", at("1.5"), 5.0 * 3600.0};
  const harness::RunOutcome out = run(s, truth);
  const int rassvet = moduleIndex(s, "rassvet");
  const harness::AlarmRecord* inIsolated = nullptr;
  for (const harness::AlarmRecord& a : out.alarms)
    if (a.time_s > at("2.5") && a.modules.size() == 3 &&
        std::count(a.modules.begin(), a.modules.end(), rassvet) == 1)
      inIsolated = &a;
  ASSERT_NE(inIsolated, nullptr) << out.alarms.size() << " alarms";
  EXPECT_TRUE(inIsolated->containsLeak);
  EXPECT_GT(inIsolated->rate_kg_s, 0.5 * 4.0e-4) << "a loss, of the hole's order";
  EXPECT_LT(inIsolated->rate_kg_s, 1.5 * 5.5e-4);
}

// A dropout, a stuck sensor and a bias jump of 2 mmHg (2.4 kg of apparent gas in the station
// inventory if it were believed: a 'leak' of 40 g/min for an hour) are faults, not leaks.
TEST(Scenario, sensor_dropout_stuck_and_bias_jump_are_sensor_faults_not_leaks) {
  const model::Scenario s =
      scenario("4 h", 31,
               "  - at: +1.5 h\n"
               "    sensor_fault: {channel: destiny.pressure, kind: dropout, duration: 30 min}\n"
               "  - at: +2 h\n"
               "    sensor_fault: {channel: harmony.pressure, kind: stuck}\n"
               "  - at: +2.5 h\n"
               "    sensor_fault: {channel: zarya.pressure, kind: bias_jump, bias: -2 mmHg}\n");
  const harness::RunOutcome out = run(s, harness::RunTruth{});
  EXPECT_TRUE(out.alarms.empty());
  const auto found = [&](const std::string& channel, detect::SensorFaultKind kind, double t) {
    return std::any_of(out.faults.begin(), out.faults.end(), [&](const detect::SensorFault& f) {
      return out.channelNames[static_cast<std::size_t>(f.channel)] == channel && f.kind == kind &&
             f.start_s >= at(std::to_string(t)) - 60.0 &&
             f.start_s <= at(std::to_string(t)) + 600.0;
    });
  };
  EXPECT_TRUE(found("destiny.pressure", detect::SensorFaultKind::Dropout, 1.5));
  EXPECT_TRUE(found("harmony.pressure", detect::SensorFaultKind::Stuck, 2.0));
  EXPECT_TRUE(found("zarya.pressure", detect::SensorFaultKind::BiasJump, 2.5));
  EXPECT_LE(out.faults.size(), 3u);
}

// The hole opens 10 minutes into a 30-minute logged repress. The detector counts the module
// sum's increments less the logged gas, with the mass error's allowance, so the hole is seen
// while the repress runs: over six seeds it alarmed 12 to 27 min after the onset, three of them
// before the repress ended (20 min after the onset) and a fourth in the block it ended.
// Dropping the repress's increments, as the detector did before, cannot alarm before the end
// (an earlier session measured 31 to 32 min after the onset over three seeds).
TEST(Scenario, leak_starting_during_a_repress_is_found_while_it_runs) {
  int beforeTheEnd = 0;
  for (const int seed : {41, 42, 43, 44, 45, 46}) {
    const model::Scenario s = scenario(
        "2.9 h", seed,
        "  - at: +1.5 h\n"
        "    repress: {module: progress-ms09, gas: O2, mass: 6 kg, duration: 30 min, error: 2 %}\n"
        "  - at: +1.667 h\n"
        "    leak: {id: hole-1, module: zarya, diameter: 2 mm, cd: 0.65, onset: step}\n");
    const harness::RunTruth truth{"hole-1", "zarya", at("1.667"), 3600.0};
    const harness::RunOutcome out = run(s, truth);
    EXPECT_EQ(out.alarmsBeforeOnset, 0) << "seed " << seed;
    ASSERT_TRUE(out.detected) << "seed " << seed;
    EXPECT_LE(out.delay_s, 30.0 * 60.0) << "seed " << seed;
    if (out.delay_s < at("2.0") - at("1.667")) ++beforeTheEnd;
    ASSERT_TRUE(out.estimated) << "seed " << seed;
    // The rate at 1 h, its sd about 9 %: within three sds and 25 %. A detector that took the
    // repress for gas lost (no logged mass subtracted) would be off by 6 kg over the hour, 3
    // times the leak.
    EXPECT_LT(std::abs(out.rate_kg_s - out.truthRate_kg_s), 3.0 * out.rateSigma_kg_s)
        << "seed " << seed;
    EXPECT_LT(std::abs(out.rate_kg_s - out.truthRate_kg_s), 0.25 * out.truthRate_kg_s)
        << "seed " << seed << ": estimate " << out.rate_kg_s << " truth " << out.truthRate_kg_s;
    EXPECT_LE(out.onsetLow_s, truth.onset_s) << "seed " << seed;
    EXPECT_GE(out.onsetHigh_s, truth.onset_s) << "seed " << seed;
  }
  EXPECT_GE(beforeTheEnd, 3);
}

}  // namespace
}  // namespace leakhunt::campaign
