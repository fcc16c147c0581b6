// The story shows only what leakhunt saw (issue 12): the patch goes where the planner said, so a
// planner that cannot tell two modules apart can patch the wrong one and the leak goes on; the
// ground test is sized from the estimated hole and can fail; every alarm is listed, judged
// true or false only beside the truth; the timeline is in time order.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "model/load.hpp"
#include "story/after_the_hole.hpp"
#include "story/beside_truth.hpp"
#include "story/story.hpp"
#include "story/story_report.hpp"
#include "story/story_scenario.hpp"
#include "story/timeline.hpp"
#include "story_checks.hpp"

namespace leakhunt::story {
namespace {

const report::Table* tableStartingWith(const report::Report& r, const std::string& title) {
  for (const report::Table& t : r.tables)
    if (t.title.starts_with(title)) return &t;
  return nullptr;
}

// A scenario of tests/story/data/.
Result<model::Scenario> testScenario(const std::string& file) {
  return model::loadScenario(std::string(LEAKHUNT_SOURCE_DIR) + "/tests/story/data/" + file);
}

// The story of `scenario`, followed `follow_s` after the patch, trended by 3 h periods (short
// enough for a day or two of following to give several).
Result<StoryResult> storyFollowed(const model::Scenario& scenario, double follow_s) {
  StoryOptions options;
  options.followAfterPatch_s = follow_s;
  options.trendPeriod_s = 3.0 * 3600.0;
  return runStory(scenario, options);
}

class Inseparable : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    Result<model::Scenario> scenario = testScenario("inseparable-modules.yaml");
    ASSERT_TRUE(scenario) << scenario.error().message;
    Result<StoryResult> r = storyFollowed(*scenario, 36.0 * 3600.0);
    ASSERT_TRUE(r) << r.error().message;
    result = std::move(r).value();
  }
  static inline StoryResult result;
};

TEST_F(Inseparable, TheWrongModuleIsPatchedAndTheLeakGoesOn) {
  const StorySummary& s = result.summary;
  ASSERT_TRUE(s.alarmRaised);
  // The planner had no hatch to close: it stopped without cornering the leak, and the crew
  // patched the module it thought most likely (a tie between two modules: module A).
  EXPECT_NE(s.localisation.find("stopped without cornering"), std::string::npos) << s.localisation;
  ASSERT_TRUE(s.patched);
  EXPECT_EQ(s.patchModule, s.localizedModule);
  EXPECT_EQ(s.patchModule, "module-a");
  // Beside the truth: the hole is in B; the patch met nothing.
  EXPECT_EQ(s.truth.leakModule, "module-b");
  EXPECT_FALSE(s.truth.localizedCorrect);
  EXPECT_FALSE(s.truth.patchOnTheHole);
  // leakhunt's own verification the day after sees the leak going on: not met, and a residual
  // rate most of the rate at the alarm.
  EXPECT_FALSE(s.patchVerified);
  EXPECT_GT(s.residualRate_kg_s, 0.5 * s.rate_kg_s)
      << "residual " << s.residualRate_kg_s << " kg/s, alarm " << s.rate_kg_s << " kg/s";
  // The truth's leak flow after the patch is still there (drawn in the weeks-after figure).
  const report::LinePlot* weeks = nullptr;
  for (const report::LinePlot& p : result.report.plots)
    if (p.id == "weeks-after") weeks = &p;
  ASSERT_NE(weeks, nullptr);
  double lateFlow = 0.0;
  for (const report::Series& series : weeks->series)
    if (series.label.starts_with("truth"))
      for (std::size_t i = 0; i < series.t.size(); ++i)
        if (series.t[i] > s.patch_s + 6.0 * 3600.0) lateFlow = std::max(lateFlow, series.y[i]);
  EXPECT_GT(lateFlow, 0.5 * s.rate_kg_s * 86400.0);
  // The report says so beside the truth.
  const report::Table* beside = tableStartingWith(result.report, "Beside the truth");
  ASSERT_NE(beside, nullptr);
  bool wrongSaid = false, leakWentOnSaid = false;
  for (const auto& row : beside->rows) {
    wrongSaid = wrongSaid || (row[0] == "the module" && row[2].starts_with("WRONG"));
    leakWentOnSaid = leakWentOnSaid || (row[0] == "the patch" &&
                                        row[2].find("the leak went on") != std::string::npos);
  }
  EXPECT_TRUE(wrongSaid);
  EXPECT_TRUE(leakWentOnSaid);
}

TEST_F(Inseparable, GroundTestIsSizedFromTheEstimateAndFailsForTheOpenHole) {
  const StorySummary& s = result.summary;
  ASSERT_TRUE(s.groundTestRun);
  EXPECT_DOUBLE_EQ(s.groundTestDiameter_m, s.diameter_m);
  EXPECT_FALSE(s.groundTestPasses);  // a half-millimetre hole, open, empties a chamber test
}

TEST_F(Inseparable, EveryAlarmIsListedAndTheTimelineIsInOrder) {
  const StorySummary& s = result.summary;
  ASSERT_FALSE(s.alarms.empty());
  ASSERT_EQ(s.truth.alarms.size(), s.alarms.size());
  EXPECT_EQ(std::count_if(s.alarms.begin(), s.alarms.end(),
                          [](const AlarmSummary& a) { return a.actedOn; }),
            1);
  const report::Table* alarms = tableStartingWith(result.report, "Alarms leakhunt raised");
  ASSERT_NE(alarms, nullptr);
  EXPECT_EQ(alarms->rows.size(), s.alarms.size());
  std::size_t told = 0;
  for (const report::TimelineEntry& e : result.report.timeline)
    if (e.happened.starts_with("LEAK ALARM")) ++told;
  // The alarm is told before the planner's answer to it, even when they fall at one time.
  const auto alarmAt =
      std::find_if(result.report.timeline.begin(), result.report.timeline.end(),
                   [](const auto& e) { return e.happened.starts_with("LEAK ALARM"); });
  const auto stopAt =
      std::find_if(result.report.timeline.begin(), result.report.timeline.end(),
                   [](const auto& e) { return e.happened.starts_with("THE PLANNER STOPPED"); });
  EXPECT_LT(alarmAt, stopAt);
  EXPECT_EQ(told, s.alarms.size());
  const auto& tl = result.report.timeline;
  EXPECT_TRUE(
      std::is_sorted(tl.begin(), tl.end(), [](const auto& a, const auto& b) { return a.t < b.t; }));
  // Nothing before the section beside the truth names the hidden leak.
  for (const report::TimelineEntry& e : tl) {
    EXPECT_EQ(e.happened.find("hole-b"), std::string::npos) << e.happened;
    EXPECT_EQ(e.happened.find("hidden"), std::string::npos) << e.happened;
  }
}

// The inseparable station has no public record: the table beside the record says so in every
// cell, the source included.
TEST_F(Inseparable, TheTableBesideTheRecordIsFilled) {
  const report::Table* record = tableStartingWith(result.report, "leakhunt beside the record");
  ASSERT_NE(record, nullptr);
  ASSERT_FALSE(record->rows.empty());
  for (const auto& row : record->rows)
    for (const std::string& cell : row) EXPECT_FALSE(cell.empty()) << row[0];
}

// A false alarm after a good repair (tests/story/data/false-alarm-sensor-bias.yaml): the
// detector takes a pressure sensor's bias jump for a leak. The story tells it as any alarm, it
// opens a new incident, and only the section beside the truth calls it false.
class FalseAlarm : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    Result<model::Scenario> scenario = testScenario("false-alarm-sensor-bias.yaml");
    ASSERT_TRUE(scenario) << scenario.error().message;
    start_s = static_cast<double>(scenario->startUnix_s);
    Result<StoryResult> r = storyFollowed(*scenario, 18.0 * 3600.0);
    ASSERT_TRUE(r) << r.error().message;
    result = std::move(r).value();
  }
  static inline StoryResult result;
  static inline double start_s = 0.0;
};

TEST_F(FalseAlarm, IsToldListedAndJudgedFalseOnlyBesideTheTruth) {
  const StorySummary& s = result.summary;
  checks::expectATrueStory(result.report, start_s, s.alarms.size());
  ASSERT_TRUE(s.patchVerified) << "the first repair holds";
  ASSERT_EQ(s.truth.alarms.size(), s.alarms.size());
  std::size_t falseOnes = 0;
  for (std::size_t i = 0; i < s.alarms.size(); ++i) {
    if (s.truth.alarms[i].trueAlarm) continue;
    ++falseOnes;
    // After the bias jump (16:00), while the patch holds the hole shut.
    EXPECT_GE(s.alarms[i].alarm_s, start_s + 16.0 * 3600.0);
    EXPECT_NE(s.truth.alarms[i].why.find("held to 0 %"), std::string::npos)
        << s.truth.alarms[i].why;
    // Told as a LEAK ALARM at its time, like any other.
    EXPECT_TRUE(std::any_of(result.report.timeline.begin(), result.report.timeline.end(),
                            [&](const report::TimelineEntry& e) {
                              return e.t == s.alarms[i].alarm_s &&
                                     e.happened.starts_with("LEAK ALARM");
                            }));
  }
  ASSERT_GE(falseOnes, 1u) << "the detector no longer takes a -1 mmHg bias jump for a leak: "
                              "give this test another false alarm";
  // The first false alarm after the verdict opened incident 2, as a true one would; the module
  // it named holds no hole, and the report says so beside the truth.
  ASSERT_GE(s.incidents, 2);
  ASSERT_FALSE(s.laterIncidents.empty());
  ASSERT_FALSE(s.truth.laterCorrect.empty());
  EXPECT_FALSE(s.truth.laterCorrect.front());
  const report::Table* beside = tableStartingWith(result.report, "Beside the truth");
  ASSERT_NE(beside, nullptr);
  EXPECT_TRUE(std::any_of(beside->rows.begin(), beside->rows.end(), [](const auto& row) {
    return row[0].starts_with("alarm ") && row[2].starts_with("FALSE");
  }));
  // Nothing before that section says which alarm was false.
  for (const report::TimelineEntry& e : result.report.timeline) {
    EXPECT_EQ(e.happened.find("FALSE"), std::string::npos) << e.happened;
    EXPECT_EQ(e.happened.find("hole-b"), std::string::npos) << e.happened;
  }
}

TEST(Timeline, EntriesComeOutInStationTimeOrder) {
  Timeline timeline({{30.0, "leak", "scheduled late", ""}, {10.0, "leak", "scheduled early", ""}});
  timeline.tell({40.0, "detect", "told first, latest", ""});
  timeline.tell({5.0, "verify", "told after the run, earliest", ""});
  timeline.tell({10.0, "detect", "told at the same time as a scheduled one", ""});
  timeline.tellAlarm({30.0, "detect", "an alarm at the time of a scheduled one", ""});
  const std::vector<report::TimelineEntry> e = timeline.entries();
  ASSERT_EQ(e.size(), 6u);
  EXPECT_EQ(e[0].happened, "told after the run, earliest");
  EXPECT_EQ(e[1].happened, "scheduled early");
  EXPECT_EQ(e[2].happened, "told at the same time as a scheduled one");
  EXPECT_EQ(e[3].happened, "an alarm at the time of a scheduled one");
  EXPECT_EQ(e[4].happened, "scheduled late");
  EXPECT_EQ(e[5].happened, "told first, latest");
}

model::Station twoModules() {
  model::Station st;
  st.atmosphere.pressure_pa = 101325.0;
  st.modules.resize(2);
  st.modules[0].id = "a";
  st.modules[0].volume_m3 = 50.0;
  st.modules[1].id = "b";
  st.modules[1].volume_m3 = 30.0;
  return st;
}

TEST(GroundTest, FailsForAnOpenHoleAndPassesBelowItsResolution) {
  const model::Station st = twoModules();
  detect::LeakReport estimate;
  estimate.cd = 0.65;
  estimate.diameter_m = 2e-3;
  estimate.diameterLow_m = 1.5e-3;
  const GroundTestCheck open = groundTestOf(st, 1, estimate);
  EXPECT_DOUBLE_EQ(open.input.volume_m3, 30.0);
  EXPECT_DOUBLE_EQ(open.input.holeDiameter_m.value_or(0.0), 2e-3);
  EXPECT_FALSE(open.estimated.passes);
  EXPECT_FALSE(open.smallest.passes);
  // A hole far below what a day's test resolves passes it: the check can go either way.
  estimate.diameter_m = 0.1 * open.estimated.minDetectableDiameter_m;
  estimate.diameterLow_m = 0.05 * open.estimated.minDetectableDiameter_m;
  const GroundTestCheck tiny = groundTestOf(st, 1, estimate);
  EXPECT_TRUE(tiny.estimated.passes);
  EXPECT_TRUE(tiny.smallest.passes);
}

model::Scenario patchedLeak(bool patchOnTheHole) {
  model::Scenario s;
  s.station = twoModules();
  s.startUnix_s = 1000000;
  model::LeakEvent leak;
  leak.id = "hole";
  leak.module = "b";
  leak.cda_m2 = 2e-6;
  s.events.push_back({100.0, leak, {}});
  model::PatchEvent patch;
  patch.leak = patchOnTheHole ? "hole" : "";
  patch.fails = true;
  patch.failureAfter_s = 1000.0;
  patch.failureDuration_s = 1000.0;
  patch.failureCda_m2 = 0.2e-6;
  s.events.push_back({200.0, patch, {}});
  return s;
}

TEST(BesideTheTruth, AnAlarmWhileThePatchHoldsIsFalse) {
  const model::Scenario s = patchedLeak(true);
  const double t0 = static_cast<double>(s.startUnix_s);
  EXPECT_FALSE(judgeAlarm(s, {1}, t0 + 50.0).trueAlarm);   // before the hole
  EXPECT_TRUE(judgeAlarm(s, {1}, t0 + 150.0).trueAlarm);   // open
  EXPECT_FALSE(judgeAlarm(s, {0}, t0 + 150.0).trueAlarm);  // a segment without it
  EXPECT_FALSE(judgeAlarm(s, {1}, t0 + 700.0).trueAlarm);  // sealed
  EXPECT_DOUBLE_EQ(openShare(s, "hole", 1700.0), 0.05);    // halfway through the regrowth
  EXPECT_TRUE(judgeAlarm(s, {1}, t0 + 1700.0).trueAlarm);  // the patch failing
  EXPECT_TRUE(judgeAlarm(s, {0, 1}, t0 + 2500.0).trueAlarm);
}

TEST(BesideTheTruth, APatchOnAnotherModuleLeavesTheHoleOpen) {
  const model::Scenario s = patchedLeak(false);
  EXPECT_DOUBLE_EQ(openShare(s, "hole", 700.0), 1.0);
  EXPECT_TRUE(judgeAlarm(s, {1}, static_cast<double>(s.startUnix_s) + 700.0).trueAlarm);
}

// A later incident names another module (the full 2018 story's incident 2 cornered `destiny`):
// the timeline tells that patch on that module, not on the first patch's, and tells the crew's
// hatch operations of its isolation as locating, not as a repair.
TEST(StoryTimeline, ALaterIncidentsPatchGoesOnTheModuleItNamed) {
  StoryScenario story;
  story.scenario.station = twoModules();
  story.scenario.startUnix_s = 1000000;
  const double t0 = 1000000.0;
  story.patched = true;
  story.patchModule = "b";
  model::PatchEvent patch;
  patch.leak = "hole";  // the hidden leak the first patch met: never told
  story.scenario.events.push_back({300.0, patch, {}});
  story.scenario.events.push_back({500.0, model::HatchEvent{"a-b", false}, {}});
  story.scenario.events.push_back({600.0, model::HatchEvent{"a-b", true}, {}});
  patch.leak = "";  // the second met nothing
  story.scenario.events.push_back({800.0, patch, {}});
  story.scenario.events.push_back({900.0, model::HatchEvent{"a-b", true}, {}});
  StorySummary sum;
  sum.patched = true;
  sum.patch_s = t0 + 300.0;
  sum.patchModule = "b";
  LaterIncident later;
  later.alarm_s = t0 + 400.0;
  later.module = "a";
  later.cornered = true;
  later.decided_s = t0 + 700.0;
  later.patch_s = t0 + 800.0;
  sum.laterIncidents.push_back(later);
  const std::vector<report::TimelineEntry> e = scheduledEntries(story, nullptr, sum);
  const auto at = [&](double t) {
    for (const report::TimelineEntry& x : e)
      if (x.t == t0 + t) return x;
    return report::TimelineEntry{};
  };
  EXPECT_EQ(at(300.0).happened, "the crew patch b");
  EXPECT_EQ(at(800.0).happened, "the crew patch a");
  EXPECT_EQ(at(500.0).stage, "locate");
  EXPECT_EQ(at(600.0).stage, "locate");
  EXPECT_EQ(at(900.0).stage, "repair");
  for (const report::TimelineEntry& x : e) EXPECT_EQ(x.happened.find("hole"), std::string::npos);
}

TEST(StoryScenario, ThePatchGoesOnTheNamedModuleAndMeetsOnlyAHoleThere) {
  model::Scenario base = patchedLeak(true);
  base.duration_s = 3000.0;
  RepairPlan plan;
  plan.patchAt_s = 300.0;
  plan.followFor_s = 1000.0;
  plan.patchModule = "a";
  const StoryScenario wrong = storyScenario(base, {}, plan);
  ASSERT_TRUE(wrong.patched);
  EXPECT_EQ(wrong.patchModule, "a");
  EXPECT_TRUE(wrong.patchedLeak.empty());
  ASSERT_TRUE(wrong.patch);
  EXPECT_TRUE(wrong.patch->leak.empty());  // the simulator applies it to no leak
  plan.patchModule = "b";
  const StoryScenario right = storyScenario(base, {}, plan);
  EXPECT_EQ(right.patchedLeak, "hole");
  ASSERT_TRUE(right.patch);
  EXPECT_EQ(right.patch->leak, "hole");
}

}  // namespace
}  // namespace leakhunt::story
