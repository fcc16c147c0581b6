// `locate infer`'s core: the operations core over a finished record, reading the crew's own
// hatch closures (followLog). The record is simulated with the hole and the closure in the
// scenario; the core sees only the telemetry and the scenario's log.
#include "ops/record_replay.hpp"

#include <gtest/gtest.h>

#include "autopilot.hpp"
#include "harness/scenario_log.hpp"
#include "model/load.hpp"
#include "sim/scenario_runner.hpp"

namespace leakhunt::ops {
namespace {

constexpr double kHour_s = 3600.0;

class Tape final : public sim::RunObserver {
 public:
  void begin(const telemetry::ChannelTable& tm, const telemetry::ChannelTable&) override {
    for (std::size_t c = 0; c < tm.size(); ++c) names.push_back(tm.name(static_cast<int>(c)));
  }
  void telemetry(const telemetry::Sample& s) override { samples.push_back(s); }
  std::vector<std::string> names;
  std::vector<telemetry::Sample> samples;
};

model::Station twoModule() {
  Result<model::Station> s =
      model::loadStation(std::string(LEAKHUNT_SOURCE_DIR) + "/data/stations/two-module.yaml");
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  return std::move(s).value();
}

// The hole is in either module; the crew closed the one hatch an hour after the onset and
// left it closed. The core reads the closed stretch and corners the right module, proposing
// nothing while the record runs.
TEST(RecordReplay, reads_the_crews_own_closure_and_corners_the_hole) {
  for (const std::string truth : {"module-a", "module-b"}) {
    model::Scenario sc = testing::scenarioOf(twoModule(), truth, 3.0 * kHour_s, 8.0 * kHour_s, 7);
    sc.events.push_back({4.0 * kHour_s, model::HatchEvent{"hatch-ab", false}, {}});
    Tape tape;
    const Result<sim::RunResult> ran = sim::runScenario(sc, testing::quickRun(), tape);
    ASSERT_TRUE(ran.ok()) << ran.error().message;
    harness::Transcript heard;
    OperationsOptions o;
    o.followLog = true;
    OperationsCore core(sc.station, tape.names, o, &heard);
    replayRecord(core, tape.samples, harness::loggedEventsOf(sc, sc.station));
    const OperationsStatus s = core.status();
    ASSERT_EQ(s.phase, Phase::Cornered) << truth << ", events " << heard.order.size();
    EXPECT_EQ(s.localized, std::vector<std::string>{truth});
    EXPECT_TRUE(heard.proposals.empty());
    ASSERT_FALSE(heard.outcomes.empty());
    // The stretch that cornered it is the closed one: two segments, from after the closure.
    const StepOutcome& last = heard.outcomes.back();
    EXPECT_EQ(last.segments.size(), 2u);
    EXPECT_GE(last.from_s, static_cast<double>(sc.startUnix_s) + 4.0 * kHour_s);
  }
}

// Without a closure the record cannot tell the modules apart: the core reads the whole station
// and, at the end of the record, proposes the step that would (closing the hatch).
TEST(RecordReplay, without_a_closure_it_ends_proposing_the_next_step) {
  model::Scenario sc =
      testing::scenarioOf(twoModule(), "module-b", 3.0 * kHour_s, 6.0 * kHour_s, 8);
  Tape tape;
  const Result<sim::RunResult> ran = sim::runScenario(sc, testing::quickRun(), tape);
  ASSERT_TRUE(ran.ok()) << ran.error().message;
  harness::Transcript heard;
  OperationsOptions o;
  o.followLog = true;
  OperationsCore core(sc.station, tape.names, o, &heard);
  replayRecord(core, tape.samples, {});
  EXPECT_EQ(core.status().phase, Phase::Planning);
  ASSERT_EQ(heard.proposals.size(), 1u);
  EXPECT_EQ(heard.proposals[0].closedHatches, std::vector<std::string>{"hatch-ab"});
  ASSERT_EQ(heard.outcomes.size(), 1u);
  EXPECT_EQ(heard.outcomes[0].segments.size(), 1u);
}

}  // namespace
}  // namespace leakhunt::ops
