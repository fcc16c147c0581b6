#include "story/story.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "detect/logged_events.hpp"
#include "gas/species.hpp"
#include "harness/drill.hpp"
#include "harness/scenario_log.hpp"
#include "sim/scenario_runner.hpp"
#include "story/after_the_hole.hpp"
#include "story/beside_truth.hpp"
#include "story/recorder.hpp"
#include "story/story_report.hpp"
#include "story/story_scenario.hpp"
#include "story/timeline.hpp"
#include "telemetry/telemetry_io.hpp"

namespace leakhunt::story {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kPatchAfterFound_s = 1800.0;

const model::LeakEvent* firstLeak(const model::Scenario& s, double* at_s) {
  for (const model::Event& e : s.events)
    if (const auto* l = std::get_if<model::LeakEvent>(&e.action)) {
      *at_s = e.time_s;
      return l;
    }
  return nullptr;
}

std::vector<std::string> moduleIds(const model::Station& st, const std::vector<int>& modules) {
  std::vector<std::string> out;
  for (int m : modules) out.push_back(st.modules[static_cast<std::size_t>(m)].id);
  return out;
}

// Truth: when the failing patch passes 5 % of the hole's area (CdA grows linearly from the
// residual to the failed size); NaN when it never does, or when it is not on this hole.
double crossing5pct(const model::LeakEvent& leak, const StoryScenario& story, double patch_s) {
  if (!story.patch || !story.patch->fails || story.patchedLeak != leak.id) return kNaN;
  const model::PatchEvent& p = *story.patch;
  const double f = (0.05 * leak.cda_m2 - p.residualCda_m2) / (p.failureCda_m2 - p.residualCda_m2);
  return f >= 0.0 && f <= 1.0 ? patch_s + p.failureAfter_s + f * p.failureDuration_s : kNaN;
}

// The scenario with its hidden leaks only: the drill's planner does the hatches and crew, and
// the repair comes after the leak is found.
model::Scenario hiddenLeakOnly(const model::Scenario& base) {
  model::Scenario s = base;
  std::erase_if(s.events, [](const model::Event& e) {
    return !std::holds_alternative<model::LeakEvent>(e.action) &&
           !std::holds_alternative<model::TemperatureEvent>(e.action) &&
           !std::holds_alternative<model::SensorFaultEvent>(e.action);
  });
  return s;
}

// The estimate of an alarm an hour on, or the last one before its segment changed.
AlarmSummary summaryOf(const Alarm& a, const Recorder& recorder, const model::Station& st) {
  AlarmSummary out;
  out.alarm_s = a.first.alarmTime_s;
  out.estimate_s = a.first.time_s;
  out.rate_kg_s = a.first.rate_kg_s;
  out.rateSigma_kg_s = a.first.rateSigma_kg_s;
  for (const RatePoint& p : recorder.rates())
    if (p.detection == a.first.detection && p.t <= a.first.alarmTime_s + 3600.0) {
      out.estimate_s = p.t;
      out.rate_kg_s = p.rate_kg_s;
      out.rateSigma_kg_s = p.sigma_kg_s;
    }
  out.segment = moduleIds(st, a.modules);
  return out;
}

std::size_t mostLikely(const std::vector<double>& posterior) {
  std::size_t top = 0;  // ties go to the first in the station's list
  for (std::size_t m = 1; m < posterior.size(); ++m)
    if (posterior[m] > posterior[top]) top = m;
  return top;
}

}  // namespace

Result<StoryResult> runStory(const model::Scenario& base, const StoryOptions& options) {
  StoryResult result;
  StorySummary& sum = result.summary;
  sum.scenario = base.name;
  const model::Station& st = base.station;
  const double t0 = static_cast<double>(base.startUnix_s);
  // The harness's truth: the hidden leak runs the world and is put beside leakhunt's answers
  // after the run. No decision below reads it.
  double leakAt_s = 0.0;
  const model::LeakEvent* leak = firstLeak(base, &leakAt_s);
  if (!leak)
    return Error{base.where.file + ": the scenario has no leak event; the story needs one"};

  // The isolation: the planner's, in a closed loop on the hidden leak (the drill). The crew
  // patches the module the planner named: cornered, or, when it stopped without cornering
  // (two modules it cannot tell apart), its most likely one. Only if the drill raised no
  // alarm at all does the story fall back to the scenario's own closures and repair.
  sim::RunOptions run;
  run.relativeTolerance = options.relativeTolerance;
  run.emitTruth = true;
  run.progress = options.progress;
  Result<std::vector<double>> settled = harness::settledState(hiddenLeakOnly(base), run);
  if (!settled) return settled.error();
  run.initialState = *settled;
  harness::DrillOptions drillOptions;
  drillOptions.sim.relativeTolerance = options.relativeTolerance;
  drillOptions.sim.initialState = *settled;
  Result<harness::DrillResult> drill =
      harness::runDrill(hiddenLeakOnly(base), drillOptions, nullptr);
  if (!drill) return drill.error();
  std::vector<model::Event> isolation;
  RepairPlan plan;
  const bool plannerRan = drill->detected && !drill->posterior.empty();
  if (plannerRan) {
    isolation = drill->actions;
    sum.localized_s = drill->alarm_s + drill->elapsed_s;
    sum.hatchOperations = drill->hatchOperations;
    if (drill->localized) {
      sum.localisation = "planner (" + drill->strategy + ")";
      sum.localizedModule = drill->localizedModules.front();
      sum.cornered = true;
    } else {
      const std::size_t top = mostLikely(drill->posterior);
      sum.localizedModule = drill->moduleIds[top];
      sum.localisation = fmt::format(
          "planner ({}) stopped without cornering the leak ({}); the crew patch its most "
          "likely module, {} (p = {:.2f})",
          drill->strategy, drill->why, sum.localizedModule, drill->posterior[top]);
    }
    // The crew tapes and seals the hole within half an hour of the finger on it.
    plan.patchAt_s = sum.localized_s + kPatchAfterFound_s - t0;
    plan.patchModule = sum.localizedModule;
  } else {
    isolation = scriptedIsolation(base);
    plan.patchModule = firstPatchModule(base);
    sum.localisation =
        "scripted: the hatch closures and repair the scenario describes, not leakhunt's (the "
        "planner stopped: " +
        (drill->why.empty() ? std::string("no alarm") : drill->why) + ")";
    sum.localized_s = kNaN;
    for (const model::Event& e : isolation)
      if (std::holds_alternative<model::HatchEvent>(e.action)) ++sum.hatchOperations;
    plan.patchAt_s = firstPatchTime(base).value_or(base.duration_s);
  }
  plan.followFor_s = options.followAfterPatch_s;
  plan.failureAfter_s = options.failureAfter_s;
  plan.failureDuration_s = options.failureDuration_s;
  const StoryScenario story = storyScenario(base, isolation, plan);

  sum.patched = story.patched;
  sum.patchModule = story.patched ? story.patchModule : "";
  sum.patch_s = story.patched ? t0 + story.patchAt_s : kNaN;
  const harness::DrillResult* planner = plannerRan ? &*drill : nullptr;
  Timeline timeline(scheduledEntries(story, planner, sum));
  // The crew's log says which module was patched, never which hidden leak that patch met.
  detect::LoggedEvents log = harness::loggedEventsOf(story.scenario, st);
  for (detect::LoggedPatch& p : log.patches) p.leak = "the patch on " + story.patchModule;
  Recorder recorder(story.scenario, log, 60.0, 1800.0, &timeline, options.trendPeriod_s);
  Result<sim::RunResult> ran = sim::runScenario(story.scenario, run, recorder);
  if (!ran) return ran.error();
  recorder.finish();

  // Every alarm is an alarm. The one the crew acted on is the one nearest the drill's (the
  // story replays the drill's run up to the patch); without a drill alarm, the first.
  const Alarm* alarm = nullptr;
  for (const Alarm& a : recorder.alarms()) {
    sum.alarms.push_back(summaryOf(a, recorder, st));
    if (!alarm || (plannerRan && std::abs(a.first.alarmTime_s - drill->alarm_s) <
                                     std::abs(alarm->first.alarmTime_s - drill->alarm_s)))
      alarm = &a;
  }
  if (alarm) sum.alarms[static_cast<std::size_t>(alarm - recorder.alarms().data())].actedOn = true;
  sum.alarmRaised = alarm != nullptr;
  sum.alarm_s = alarm ? alarm->first.alarmTime_s : kNaN;
  if (alarm) {
    const AlarmSummary& a = sum.alarms[static_cast<std::size_t>(alarm - recorder.alarms().data())];
    sum.alarmSegment = a.segment;
    sum.rate_kg_s = a.rate_kg_s;
    sum.rateSigma_kg_s = a.rateSigma_kg_s;
    sum.diameter_m = alarm->last.diameter_m;
    sum.diameterLow_m = alarm->last.diameterLow_m;
    sum.diameterHigh_m = alarm->last.diameterHigh_m;
    sum.reserve_s = alarm->first.reserveTime_s;
    sum.reserveWithRepress_s = alarm->first.reserveTimeWithRepress_s;
    double volume = 0.0;
    for (const model::Module& m : st.modules) volume += m.volume_m3;
    const double r =
        gas::mixtureProperties(gas::toMassFractions(st.atmosphere.composition)).r_j_kgk;
    sum.pressureDropRate_pa_s = sum.rate_kg_s * r * st.atmosphere.temperature_k / volume;
  }
  AfterTheHoleInput in;
  in.station = &st;
  in.log = &log;
  in.module = st.moduleIndex(story.patched ? story.patchModule : sum.localizedModule);
  in.firstAlarm = alarm;
  in.patched = story.patched;
  in.patch_s = sum.patch_s;
  in.reopen_s = t0 + story.reopenAt_s;
  // The repair is judged against 5 % of the rate leakhunt measured (the share at which the trend
  // reports a failing patch), not the 0.05 kg/day of a tight station: at the ISS's noise that
  // takes about five days to show, and the story's patch must be judged the day after.
  in.verifyTarget_kg_s = std::max(0.05 / 86400.0, 0.05 * sum.rate_kg_s);
  const AfterTheHole after = afterTheHole(recorder, in);
  for (const report::TimelineEntry& e : afterTheHoleEntries(after, st)) timeline.tell(e);

  sum.patchVerified = after.verifyRun && after.verify.verdict == verify::Verdict::Met;
  sum.residualRate_kg_s = after.verifyRun ? after.verify.rate_kg_s : kNaN;
  sum.residualBound_kg_s = after.verifyRun ? after.verify.upper_kg_s : kNaN;
  sum.regrowthDetected = after.regrowth.has_value();
  sum.regrowthDetected_s = after.regrowth ? after.regrowth->reportedAt_s : kNaN;
  sum.onsetProfile = after.onsetRun ? verify::toString(after.onset.best) : "";
  sum.onsetEstimate_s =
      after.onsetRun ? after.onset.onset_s : (alarm ? alarm->first.onsetTime_s : kNaN);
  sum.onsetLow_s =
      after.onsetRun ? after.onset.onsetLow_s : (alarm ? alarm->first.onsetLow_s : kNaN);
  sum.onsetHigh_s =
      after.onsetRun ? after.onset.onsetHigh_s : (alarm ? alarm->first.onsetHigh_s : kNaN);
  sum.groundTestRun = after.groundTestRun;
  sum.groundTestPasses = after.groundTestRun && after.groundTest.estimated.passes;
  sum.groundTestPassesSmallest = after.groundTestRun && after.groundTest.smallest.passes;
  sum.groundTestDiameter_m =
      after.groundTestRun ? after.groundTest.input.holeDiameter_m.value_or(kNaN) : kNaN;

  // Beside the truth, written now that the run is over.
  BesideTheTruth& truth = sum.truth;
  truth.leakModule = leak->module;
  truth.leakOnset_s = t0 + leakAt_s;
  truth.leakDiameter_m = std::sqrt(4.0 * leak->cda_m2 / (leak->cd * M_PI));
  truth.leakCd = leak->cd;
  truth.sizingCd = alarm ? alarm->first.cd : kNaN;
  truth.sameAreaAtSizingCd_m =
      alarm ? std::sqrt(4.0 * leak->cda_m2 / (alarm->first.cd * M_PI)) : kNaN;
  truth.localizedCorrect = !sum.localizedModule.empty() &&
                           !leakInModule(base, sum.localizedModule, story.patchAt_s).empty();
  truth.patchOnTheHole = story.patched && !story.patchedLeak.empty();
  truth.regrowthCrossed5pct_s = crossing5pct(*leak, story, sum.patch_s);
  for (const Alarm& a : recorder.alarms()) {
    const AlarmVerdict v = judgeAlarm(story.scenario, a.modules, a.first.alarmTime_s);
    truth.alarms.push_back({a.first.alarmTime_s, v.trueAlarm, v.why});
  }

  result.report = storyReport(base, story, recorder, timeline, after, planner, sum);
  return result;
}

}  // namespace leakhunt::story
