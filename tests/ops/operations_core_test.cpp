// The operations core in a closed loop: the autopilot plays the world (simulator, crew, log);
// the core sees only telemetry and the log, and must corner the hole, safely, in order.
#include "ops/operations_core.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numbers>

#include "../locate/test_stations.hpp"
#include "autopilot.hpp"
#include "detect/leak_detector.hpp"
#include "model/load.hpp"

namespace leakhunt::ops {
namespace {

using testing::Autopilot;
using testing::quickRun;
using testing::scenarioOf;

constexpr double kHour_s = 3600.0;
constexpr double kDay_s = 86400.0;
// The detector needs an hour of reference before it can alarm (docs/detection.md).
constexpr double kOnset_s = 3.0 * kHour_s;

model::Station twoModule() {
  Result<model::Station> s =
      model::loadStation(std::string(LEAKHUNT_SOURCE_DIR) + "/data/stations/two-module.yaml");
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  return std::move(s).value();
}

bool finished(const OperationsCore& core) {
  const Phase p = core.status().phase;
  return p == Phase::Cornered || p == Phase::NoSafeTest;
}

std::string whyNot(Autopilot& a) {
  const testing::Transcript& t = a.transcript();
  std::string out = std::string("phase ") + toString(a.core().status().phase) + ", events:";
  for (const std::string& k : t.order) out += " " + k;
  for (const NoSafeTest& n : t.noSafeTest) out += "; no safe test: " + n.why;
  return out;
}

// The hole is in module b for odd seeds, a for even: the core must tell which, every time.
TEST(OperationsCore, corners_a_2mm_hole_in_the_right_module_of_two_over_seeds) {
  const model::Station st = twoModule();
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    const std::string truth = seed % 2 == 1 ? "module-b" : "module-a";
    Autopilot a(scenarioOf(st, truth, kOnset_s, 2.0 * kDay_s, seed), quickRun(), {});
    a.runUntil(2.0 * kDay_s, finished);
    const OperationsStatus s = a.core().status();
    ASSERT_EQ(s.phase, Phase::Cornered) << "seed " << seed << ": " << whyNot(a);
    EXPECT_EQ(s.localized, std::vector<std::string>{truth}) << "seed " << seed;
    EXPECT_EQ(a.transcript().alarms.size(), 1u);
    EXPECT_GE(a.stepsDone(), 1);
    // The crew log each operation as done: the detector takes it as it runs, never rerun.
    EXPECT_EQ(a.core().rebuilds(), 0) << "seed " << seed;
    EXPECT_TRUE(s.proposed.empty());
    ASSERT_EQ(s.posterior.size(), 2u);
  }
}

// One option picks the detector (issue 12): each model's core alarms at that model's threshold,
// and corners the hole from that detector's residual stream.
TEST(OperationsCore, the_detector_its_options_name_raises_the_alarm_and_reads_the_steps) {
  const model::Station st = twoModule();
  std::vector<std::string> channels;
  for (const model::Sensor& s : st.sensors) channels.push_back(s.channel);
  for (const detect::DetectorModel model :
       {detect::DetectorModel::SlopeChange, detect::DetectorModel::StateSpace}) {
    OperationsOptions o;
    o.detector.model = model;
    const double threshold =
        detect::makeLeakDetector(st, channels, {}, o.detector, nullptr)->threshold();
    Autopilot a(scenarioOf(st, "module-b", kOnset_s, 2.0 * kDay_s, 3), quickRun(), o);
    a.runUntil(2.0 * kDay_s, finished);
    const OperationsStatus s = a.core().status();
    ASSERT_EQ(s.phase, Phase::Cornered) << detect::toString(model) << ": " << whyNot(a);
    EXPECT_EQ(s.localized, std::vector<std::string>{"module-b"}) << detect::toString(model);
    ASSERT_TRUE(s.alarm.has_value());
    EXPECT_EQ(s.alarm->report.threshold, threshold) << detect::toString(model);
  }
}

TEST(OperationsCore, leak_free_station_raises_nothing_and_proposes_nothing) {
  Autopilot a(scenarioOf(twoModule(), "", 0.0, 12.0 * kHour_s, 5), quickRun(), {});
  a.runUntil(12.0 * kHour_s, finished);
  const OperationsStatus s = a.core().status();
  EXPECT_EQ(s.phase, Phase::Waiting);
  EXPECT_FALSE(s.alarm.has_value());
  EXPECT_TRUE(s.posterior.empty());
  EXPECT_TRUE(s.proposed.empty());
  EXPECT_TRUE(a.transcript().order.empty()) << whyNot(a);
  EXPECT_GT(s.time_s, 0.0);
}

// Alarm first; every outcome after the dwell of the step it reads; the posterior after each
// outcome; cornered last.
TEST(OperationsCore, events_come_in_the_order_of_the_loop) {
  Autopilot a(scenarioOf(twoModule(), "module-b", kOnset_s, 2.0 * kDay_s, 11), quickRun(), {});
  a.runUntil(2.0 * kDay_s, finished);
  const testing::Transcript& t = a.transcript();
  ASSERT_EQ(a.core().status().phase, Phase::Cornered) << whyNot(a);
  ASSERT_FALSE(t.order.empty());
  EXPECT_EQ(t.order.front(), "alarm");
  EXPECT_EQ(t.order.back(), "cornered");
  EXPECT_GT(t.estimates, 0);
  ASSERT_FALSE(t.outcomes.empty());
  std::size_t proposed = 0, outcome = 0, posterior = 0;
  for (const std::string& kind : t.order) {
    if (kind == "proposed") ++proposed;
    if (kind == "outcome") {
      ASSERT_GT(proposed, 0u) << "an outcome before any proposal";
      const ProposedStep& p = t.proposals[proposed - 1];
      const StepOutcome& o = t.outcomes[outcome++];
      EXPECT_EQ(o.step, p.step);
      EXPECT_GE(o.from_s, p.proposedAt_s + p.settle_s);
      EXPECT_NEAR(o.to_s - o.from_s, p.dwell_s, 1e-6);
      EXPECT_FALSE(o.segments.empty());
    }
    if (kind == "posterior") {
      // The first is the prior at the alarm; each later one follows an outcome, once the
      // dwell it reads has ended.
      if (posterior > 0) {
        ASSERT_EQ(outcome, posterior);
        EXPECT_GE(t.posteriors[posterior].time_s, t.outcomes[outcome - 1].to_s);
      }
      ++posterior;
    }
  }
  EXPECT_EQ(t.outcomes.size() + 1, t.posteriors.size());
  EXPECT_GE(t.alarms.front().report.alarmTime_s, 1535565600.0 + kOnset_s);
  EXPECT_EQ(t.alarms.front().segment, (std::vector<std::string>{"module-a", "module-b"}));
}

// What a poller (the server's GET /api/plan) sees along the way.
TEST(OperationsCore, status_shows_the_proposal_then_the_step_under_way) {
  Autopilot a(scenarioOf(twoModule(), "module-a", kOnset_s, kDay_s, 13), quickRun(), {});
  EXPECT_EQ(a.core().status().phase, Phase::Waiting);
  a.runUntil(kDay_s, [](const OperationsCore& c) { return !c.status().proposed.empty(); });
  OperationsStatus s = a.core().status();
  ASSERT_EQ(s.phase, Phase::Planning) << whyNot(a);
  ASSERT_TRUE(s.alarm.has_value());
  ASSERT_EQ(s.proposed.size(), 1u);
  EXPECT_EQ(s.proposed.front().closedHatches, std::vector<std::string>{"hatch-ab"});
  EXPECT_FALSE(s.readingDue_s.has_value()) << "not under way before the log shows it done";
  ASSERT_EQ(s.posterior.size(), 2u);
  EXPECT_EQ(s.posterior[0].module, "module-a");
  a.runUntil(kDay_s, [](const OperationsCore& c) { return c.status().readingDue_s.has_value(); });
  s = a.core().status();
  ASSERT_TRUE(s.readingDue_s.has_value()) << whyNot(a);
  EXPECT_EQ(s.proposed.size(), 1u);
  EXPECT_GT(*s.readingDue_s, s.time_s);
  a.runUntil(kDay_s, finished);
  s = a.core().status();
  EXPECT_EQ(s.phase, Phase::Cornered);
  EXPECT_TRUE(s.proposed.empty());
  EXPECT_FALSE(s.readingDue_s.has_value());
  EXPECT_EQ(s.localized, std::vector<std::string>{"module-a"});
}

// A station with crew and a lifeboat: the first step musters them; no step's configuration
// leaves anyone without a path to their lifeboat, and each proposal says why it is safe.
TEST(OperationsCore, no_step_strands_a_crew_member_on_a_crewed_station) {
  const model::Station st = locate::testing::smallStation();
  for (uint64_t seed : {1u, 2u}) {
    Autopilot a(scenarioOf(st, "lab", kOnset_s, 2.0 * kDay_s, seed), quickRun(), {});
    a.runUntil(2.0 * kDay_s, finished);
    EXPECT_EQ(a.core().status().localized, std::vector<std::string>{"lab"})
        << "seed " << seed << ": " << whyNot(a);
    EXPECT_EQ(a.stranded(), 0);
    const std::vector<ProposedStep>& steps = a.transcript().proposals;
    ASSERT_FALSE(steps.empty());
    EXPECT_EQ(steps.front().operations.front().kind, OperationKind::CrewMove);
    for (const ProposedStep& p : steps) {
      EXPECT_TRUE(p.whySafe.violations.empty()) << p.whySafe.violations.front();
      EXPECT_GT(p.whySafe.pressureMargin_pa, 0.0);
      EXPECT_LE(p.whySafe.hold_s, p.whySafe.longestHold_s);
      ASSERT_EQ(p.whySafe.paths.size(), st.crew.size());
      for (const CrewPath& path : p.whySafe.paths) {
        ASSERT_FALSE(path.modules.empty()) << path.crew << " has no path in step " << p.step;
        EXPECT_EQ(st.modules[static_cast<std::size_t>(st.moduleIndex(path.modules.back()))].vehicle,
                  path.lifeboat);
      }
      EXPECT_FALSE(p.reads.empty());
    }
  }
}

// The crew does something else than proposed: the core plans again from what the log says.
TEST(OperationsCore, an_unproposed_hatch_operation_is_honoured_and_replanned_from) {
  const model::Station st = locate::testing::smallStation();
  Autopilot a(scenarioOf(st, "lab", kOnset_s, 2.0 * kDay_s, 3), quickRun(), {});
  std::string closedInstead;
  a.carryOut = [&](const ProposedStep& p) {
    if (!closedInstead.empty()) return true;
    // The first proposal is answered by closing a hatch it does not mention.
    for (const model::Hatch& h : st.hatches) {
      const bool mentioned = std::any_of(p.operations.begin(), p.operations.end(),
                                         [&](const Operation& o) { return o.subject == h.id; });
      if (!mentioned && h.closable && h.open) {
        closedInstead = h.id;
        a.act(model::HatchEvent{h.id, false}, h.operateTime_s);
        return false;
      }
    }
    return true;
  };
  a.runUntil(2.0 * kDay_s, finished);
  ASSERT_FALSE(closedInstead.empty());
  const std::vector<ProposedStep>& steps = a.transcript().proposals;
  ASSERT_GE(steps.size(), 2u) << whyNot(a);
  EXPECT_EQ(steps[1].step, 0);
  EXPECT_GT(steps[1].proposedAt_s, steps[0].proposedAt_s);
  for (const Operation& o : steps[1].operations)
    EXPECT_FALSE(o.kind == OperationKind::CloseHatch && o.subject == closedInstead)
        << "the replan must start from " << closedInstead << " closed";
  EXPECT_EQ(a.core().status().localized, std::vector<std::string>{"lab"}) << whyNot(a);
}

// The station changes under a reading: the core plans again from the new configuration, and
// what it read before the change still counts.
TEST(OperationsCore, a_change_under_a_reading_ends_it_and_is_planned_from) {
  const model::Station st = locate::testing::smallStation();
  Autopilot a(scenarioOf(st, "lab", kOnset_s, 2.0 * kDay_s, 4), quickRun(), {});
  a.runUntil(2.0 * kDay_s,
             [](const OperationsCore& c) { return c.status().readingDue_s.has_value(); });
  const OperationsStatus under = a.core().status();
  ASSERT_TRUE(under.readingDue_s.has_value()) << whyNot(a);
  const ProposedStep interrupted = under.proposed.front();
  // Toggle a hatch the step did not touch.
  const model::Hatch* other = nullptr;
  for (const model::Hatch& h : st.hatches)
    if (h.closable && std::none_of(interrupted.operations.begin(), interrupted.operations.end(),
                                   [&](const Operation& o) { return o.subject == h.id; }))
      other = &h;
  ASSERT_NE(other, nullptr);
  const bool closedNow =
      std::find(interrupted.closedHatches.begin(), interrupted.closedHatches.end(), other->id) !=
      interrupted.closedHatches.end();
  a.act(model::HatchEvent{other->id, closedNow}, other->operateTime_s);
  const std::size_t before = a.transcript().proposals.size();
  a.runUntil(2.0 * kDay_s,
             [&](const OperationsCore&) { return a.transcript().proposals.size() > before; });
  ASSERT_GT(a.transcript().proposals.size(), before) << whyNot(a);
  const ProposedStep& replanned = a.transcript().proposals[before];
  EXPECT_EQ(replanned.step, interrupted.step) << "an interrupted step is not counted as read";
  EXPECT_EQ(a.transcript().outcomes.size(), static_cast<std::size_t>(interrupted.step));
  a.runUntil(2.0 * kDay_s, finished);
  EXPECT_EQ(a.core().status().localized, std::vector<std::string>{"lab"}) << whyNot(a);
  EXPECT_EQ(a.stranded(), 0);
}

// The 2018 story on the ISS: 2 mm in the Soyuz MS-09 orbital module. The crew's own 2018 moves
// are taken out of the world: the autopilot does what the core proposes instead.
// A bundled scenario with only its leak: the autopilot does what the core proposes instead of
// the crew's recorded moves.
model::Scenario leakOnlyWorld(const std::string& scenario) {
  Result<model::Scenario> loaded =
      model::loadScenario(std::string(LEAKHUNT_SOURCE_DIR) + "/data/scenarios/" + scenario);
  EXPECT_TRUE(loaded.ok()) << loaded.error().message;
  if (!loaded.ok()) return {};
  model::Scenario world = std::move(loaded).value();
  std::erase_if(world.events, [](const model::Event& e) {
    return !std::holds_alternative<model::LeakEvent>(e.action);
  });
  EXPECT_EQ(world.events.size(), 1u);
  return world;
}

// Cornered in `module` within `within_s` of the alarm, no step unsafe, nobody stranded.
void expectCorneredSafely(Autopilot& a, const std::string& module, double within_s) {
  const OperationsStatus s = a.core().status();
  ASSERT_EQ(s.phase, Phase::Cornered) << whyNot(a);
  EXPECT_EQ(s.localized, std::vector<std::string>{module});
  EXPECT_EQ(a.stranded(), 0);
  for (const ProposedStep& p : a.transcript().proposals)
    EXPECT_TRUE(p.whySafe.violations.empty()) << p.whySafe.violations.front();
  EXPECT_LE(a.transcript().cornered.front().time_s - s.alarm->report.alarmTime_s, within_s);
}

TEST(OperationsCore, soyuz_ms09_2018_is_cornered_safely) {
  const model::Scenario world = leakOnlyWorld("soyuz-ms09-2018.yaml");
  ASSERT_EQ(world.events.size(), 1u);
  Autopilot a(world, quickRun(), {});
  a.runUntil(world.duration_s, finished);
  // The drill's target (locate/drill_test.cpp): found within two hours of the alarm.
  expectCorneredSafely(a, "soyuz-ms09-om", 2.0 * kHour_s);
}

// Mir 1997: a breach of about 150 kg/h. The alarm's first numbers are a wide "at least" from the
// pressure rate (issue 20), under which the planner may find no safe step; it must plan again
// once the estimate narrows, and corner Spektr before the station empties, never stranding the
// crew.
TEST(OperationsCore, spektr_1997_is_cornered_after_the_first_wide_numbers) {
  const model::Scenario world = leakOnlyWorld("spektr-1997.yaml");
  ASSERT_EQ(world.events.size(), 1u);
  Autopilot a(world, quickRun(), {});
  // A stop on the first "at least" is provisional (the status says so): not the end.
  a.runUntil(world.duration_s, [](const OperationsCore& core) {
    return finished(core) && !core.status().stopProvisional;
  });
  expectCorneredSafely(a, "spektr", kHour_s);
}

// After the hole is cornered and patched (logged), verify reads the isolated module from the
// patch on and says the repair holds; a patch that leaves a quarter of the hole open does not.
TEST(OperationsCore, a_logged_patch_is_verified_on_the_localised_segment) {
  for (const double residualShare : {0.0, 0.25}) {
    Autopilot a(scenarioOf(twoModule(), "module-b", kOnset_s, 3.0 * kDay_s, 21), quickRun(), {});
    a.runUntil(3.0 * kDay_s, finished);
    ASSERT_EQ(a.core().status().phase, Phase::Cornered) << whyNot(a);
    model::PatchEvent patch;
    patch.leak = "hole";
    patch.residualCda_m2 = residualShare * 0.65 * std::numbers::pi * 1e-6;
    a.act(patch, 600.0);
    a.runUntil(3.0 * kDay_s, [](const OperationsCore& c) { return c.status().repair.has_value(); });
    const OperationsStatus s = a.core().status();
    ASSERT_TRUE(s.repair.has_value()) << "no verdict by " << a.now_s() << " s; " << whyNot(a);
    EXPECT_FALSE(s.verifying);
    EXPECT_EQ(s.repair->segment, std::vector<std::string>{"module-b"});
    EXPECT_EQ(s.repair->result.verdict,
              residualShare == 0.0 ? verify::Verdict::Met : verify::Verdict::NotMet);
    EXPECT_EQ(a.transcript().order.back(), "verdict");
  }
}

// A patch that holds, then fails: verify says it holds, the crew opens the hatch again, and
// days later the trend of the station reports the leak coming back, after the verdict.
TEST(OperationsCore, the_trend_reports_a_failing_patch_after_the_verdict) {
  const double days = 14.0 * kDay_s;
  const model::Station st = twoModule();
  Autopilot a(scenarioOf(st, "module-b", kOnset_s, days, 23), quickRun(), {});
  a.runUntil(days, finished);
  ASSERT_EQ(a.core().status().phase, Phase::Cornered) << whyNot(a);
  model::PatchEvent patch;
  patch.leak = "hole";
  patch.fails = true;
  patch.failureAfter_s = 7.0 * kDay_s;
  patch.failureDuration_s = kDay_s;
  patch.failureCda_m2 = 0.5 * 0.65 * std::numbers::pi * 1e-6;  // a 1.4 mm hole again
  a.act(patch, 600.0);
  const double patched_s = 1535565600.0 + a.now_s() + 600.0;
  a.runUntil(days, [](const OperationsCore& c) { return c.status().repair.has_value(); });
  const testing::Transcript& t = a.transcript();
  ASSERT_EQ(t.verdicts.size(), 1u) << whyNot(a);
  EXPECT_EQ(t.verdicts.front().result.verdict, verify::Verdict::Met);
  // The crew reopens the hatch after the verdict. Watching the isolated module alone, the trend
  // would not see the regrowth: verify::PeriodRates takes every increment after the abrupt stop
  // for an unlogged step and replaces it by the leak-time mean, which then never moves.
  const model::Hatch& h = st.hatches.front();
  a.act(model::HatchEvent{h.id, true}, h.operateTime_s + 120.0);
  a.runUntil(days, [](const OperationsCore&) { return false; });
  EXPECT_EQ(t.verdicts.size(), 1u) << "the verdict is given once";
  ASSERT_FALSE(t.trend.empty()) << whyNot(a);
  const verify::TrendChange& c = t.trend.front().change;
  EXPECT_GT(c.after_kg_s, c.before_kg_s);
  EXPECT_GE(c.time_s, patched_s + 6.0 * kDay_s);  // the regrowth, not the patch itself
  EXPECT_GT(c.reportedAt_s, t.verdicts.front().time_s);
  EXPECT_EQ(t.trend.front().segment, (std::vector<std::string>{"module-a", "module-b"}));
  EXPECT_EQ(t.order.back(), "trend");
}

// A log entry for a block the detector has already closed (a crew logging late) is still
// honoured: a new detector runs over the kept telemetry, once, before the next sample.
TEST(OperationsCore, a_late_log_entry_reruns_the_detector_once) {
  const model::Station st = twoModule();
  Autopilot a(scenarioOf(st, "", 0.0, 6.0 * kHour_s, 31), quickRun(), {});
  a.runUntil(3.0 * kHour_s, [](const OperationsCore&) { return false; });
  ASSERT_EQ(a.core().rebuilds(), 0);
  const double now = a.core().status().time_s;
  a.core().log(detect::LoggedHatch{now - 1800.0, 0, false});
  a.runUntil(4.0 * kHour_s, [](const OperationsCore&) { return false; });
  EXPECT_EQ(a.core().rebuilds(), 1);
  // The detector as rebuilt sees the hatch closed since then: two segments, the second since
  // the closing's block.
  const std::vector<detect::SegmentStatus> segments = a.core().segments();
  ASSERT_EQ(segments.size(), 2u);
  EXPECT_NEAR(segments.front().since_s, now - 1800.0, 60.0);
}

// Weeks of operations: once the first incident is closed (cornered, patched, verdict given), a
// new hole raises a new alarm, and (laterIncidents) a new incident corners it, with every alarm
// of the detector told.
TEST(OperationsCore, a_later_incident_is_cornered_after_the_first_is_closed) {
  OperationsOptions options;
  options.laterIncidents = true;
  const model::Station st = twoModule();
  // The world's second hole, in the other module, opens days after the first.
  model::Scenario world = scenarioOf(st, "module-b", kOnset_s, 4.0 * kDay_s, 21);
  model::LeakEvent second;
  second.id = "hole-2";
  second.module = "module-a";
  second.cd = 0.65;
  second.cda_m2 = second.cd * std::numbers::pi * 0.001 * 0.001;
  world.events.push_back({2.5 * kDay_s, second, {}});
  Autopilot a(world, quickRun(), options);
  a.runUntil(4.0 * kDay_s, finished);
  ASSERT_EQ(a.core().status().phase, Phase::Cornered) << whyNot(a);
  model::PatchEvent patch;
  patch.leak = "hole";
  a.act(patch, 600.0);
  a.runUntil(4.0 * kDay_s, [](const OperationsCore& c) { return c.status().repair.has_value(); });
  ASSERT_TRUE(a.core().status().repair.has_value()) << whyNot(a);
  // The crew open the hatch again.
  const model::Hatch& h = st.hatches.front();
  a.act(model::HatchEvent{h.id, true}, h.operateTime_s + 120.0);
  a.runUntil(4.0 * kDay_s, [&](const OperationsCore&) {
    return a.transcript().cornered.size() == 2 || a.transcript().noSafeTest.size() == 1;
  });
  const testing::Transcript& t = a.transcript();
  ASSERT_EQ(t.alarms.size(), 2u) << whyNot(a);
  ASSERT_EQ(t.cornered.size(), 2u) << whyNot(a);
  EXPECT_EQ(t.cornered.front().modules, std::vector<std::string>{"module-b"});
  EXPECT_EQ(t.cornered.back().modules, std::vector<std::string>{"module-a"});
  EXPECT_GT(t.alarms.back().report.alarmTime_s, t.verdicts.front().time_s);
  EXPECT_EQ(a.core().status().localized, std::vector<std::string>{"module-a"});
  EXPECT_GE(t.detectorAlarms.size(), t.alarms.size());
}

}  // namespace
}  // namespace leakhunt::ops
