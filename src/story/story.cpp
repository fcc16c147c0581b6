#include "story/story.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "detect/logged_events.hpp"
#include "gas/species.hpp"
#include "harness/autopilot.hpp"
#include "harness/drill.hpp"
#include "harness/scenario_log.hpp"
#include "sim/scenario_runner.hpp"
#include "story/after_the_hole.hpp"
#include "story/beside_truth.hpp"
#include "story/recorder.hpp"
#include "story/story_report.hpp"
#include "story/story_scenario.hpp"
#include "story/timeline.hpp"
#include "story/wording.hpp"
#include "telemetry/telemetry_io.hpp"

namespace leakhunt::story {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kPatchAfterFound_s = 1800.0;
// As the drill's: an alarm within three days of the hole, the leak localised within six.
constexpr double kDetectWithin_s = 3.0 * 86400.0;
constexpr double kLocaliseWithin_s = 6.0 * 86400.0;

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
  const detect::LeakReport& r = a.first;
  out.holeDiameter_m = r.diameter_m;
  out.holeLow_m = r.diameterLow_m;
  out.holeHigh_m = r.diameterHigh_m;
  out.cd = r.cd;
  out.holeAtLeast = detect::onlyALowerBound(r.rateBasis);
  out.emptied = detect::emptiedBasis(r.rateBasis);
  return out;
}

std::size_t mostLikely(const std::vector<double>& posterior) {
  std::size_t top = 0;  // ties go to the first in the station's list
  for (std::size_t m = 1; m < posterior.size(); ++m)
    if (posterior[m] > posterior[top]) top = m;
  return top;
}

// What the core concluded in the incidents after the first, for the timeline (the first
// incident's steps are told from its localisation, as the drill's report has them).
std::vector<report::TimelineEntry> laterIncidentEntries(const Recorder& recorder,
                                                        const model::Station& st) {
  std::vector<report::TimelineEntry> out;
  for (std::size_t k = 1; k < recorder.incidents().size(); ++k) {
    const Incident& in = recorder.incidents()[k];
    const harness::DrillResult& loc = in.localisation;
    if (!in.decided) continue;
    std::string steps;
    for (const harness::DrillStep& ds : loc.steps)
      for (const std::string& op : ds.operations) steps += (steps.empty() ? "" : ", ") + op;
    out.push_back(
        {in.decided_s, "locate",
         loc.localized
             ? fmt::format("incident {}: LEAK CORNERED: {}", k + 1, loc.localizedModules.front())
             : fmt::format("incident {}: THE PLANNER STOPPED: {}", k + 1, loc.why),
         fmt::format("{} step(s) after its alarm{}{}", loc.steps.size(), steps.empty() ? "" : ": ",
                     steps)});
  }
  for (std::size_t k = 1; k < recorder.verdicts().size(); ++k) {
    const ops::RepairVerdict& v = recorder.verdicts()[k];
    std::vector<int> modules;
    for (const std::string& id : v.segment) modules.push_back(st.moduleIndex(id));
    out.push_back(
        {v.time_s, "verify",
         fmt::format("repair verification of patch {}, segment [{}]", k + 1,
                     segmentText(st, modules)),
         fmt::format("residual leak {:.3f} kg/day, 95 % upper bound {:.3f} kg/day: {}",
                     v.result.rate_kg_s * 86400.0, v.result.upper_kg_s * 86400.0,
                     v.result.verdict == verify::Verdict::Met ? "the repair holds"
                                                              : "the repair does NOT hold")});
  }
  return out;
}

// The repair the crew makes once an incident is decided: the patch on the module leakhunt named
// (the world decides what it meets), the hatches equalised and opened, the crew back at work,
// and, the first time, the repress. The first repair is the scenario's own patch (its residual,
// its failure); a later one is the same patch that holds.
struct Repair {
  StoryScenario story;              // the first repair's world, as storyScenario builds it
  std::vector<model::Event> later;  // later repairs' events (times since the world's start)
};

Result<bool> scheduleRepair(harness::Autopilot& crew, const std::vector<model::Event>& events,
                            double from_s, double reopen_s, const std::string& module) {
  for (const model::Event& e : events) {
    if (e.time_s < from_s) continue;
    const bool repair = std::holds_alternative<model::PatchEvent>(e.action) ||
                        std::holds_alternative<model::RepressEvent>(e.action) ||
                        ((std::holds_alternative<model::HatchEvent>(e.action) ||
                          std::holds_alternative<model::CrewMoveEvent>(e.action)) &&
                         e.time_s >= reopen_s);
    if (!repair) continue;
    // The crew log the module they patched, never the world's name for a hole.
    if (Result<bool> r =
            crew.act(e.action, std::max(0.0, e.time_s - crew.now_s()), "the patch on " + module);
        !r)
      return r;
  }
  return true;
}

// A later repair: the base's patch, holding, on `module` at `patchAt_s`; then the hatches the
// crew changed back to their described state and the crew back at work, as storyScenario does
// for the first. `done`: what the crew did so far (times since the world's start).
std::vector<model::Event> laterRepair(const model::Scenario& base, const StoryScenario& first,
                                      const std::vector<model::Event>& done,
                                      const std::string& module, double patchAt_s) {
  std::vector<model::Event> out;
  if (!first.patch) return out;
  const model::Station& st = base.station;
  model::PatchEvent patch = *first.patch;
  patch.fails = false;
  patch.leak = leakInModule(base, module, patchAt_s);
  out.push_back({patchAt_s, patch, {}});
  std::vector<bool> open;
  for (const model::Hatch& h : st.hatches) open.push_back(h.open);
  std::vector<std::string> place;
  for (const model::CrewMember& c : st.crew) place.push_back(c.location);
  for (const model::Event& e : done) {
    if (const auto* h = std::get_if<model::HatchEvent>(&e.action))
      if (const int i = st.hatchIndex(h->hatch); i >= 0)
        open[static_cast<std::size_t>(i)] = h->open;
    if (const auto* c = std::get_if<model::CrewMoveEvent>(&e.action))
      for (std::size_t k = 0; k < st.crew.size(); ++k)
        if (st.crew[k].id == c->crew) place[k] = c->module;
  }
  const double reopen = patchAt_s + RepairPlan{}.reopenAfter_s;
  for (std::size_t i = 0; i < st.hatches.size(); ++i)
    if (open[i] != st.hatches[i].open)
      out.push_back({reopen, model::HatchEvent{st.hatches[i].id, st.hatches[i].open}, {}});
  for (std::size_t k = 0; k < st.crew.size(); ++k)
    if (place[k] != st.crew[k].location)
      out.push_back({reopen, model::CrewMoveEvent{st.crew[k].id, st.crew[k].location}, {}});
  return out;
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

  // The world: the scenario's hidden leaks and what the station does by itself (temperatures,
  // sensor faults). Its crew acts only as the operations core proposes, and repairs where the
  // core said; the scenario's own hatch closures and repair are not played.
  model::Scenario world = hiddenLeakOnly(base);
  world.duration_s = leakAt_s + kDetectWithin_s + kLocaliseWithin_s + kPatchAfterFound_s +
                     options.followAfterPatch_s + 3600.0;
  sim::RunOptions run;
  run.relativeTolerance = options.relativeTolerance;
  run.emitTruth = true;  // for the figures and the section beside the truth only
  Result<std::vector<double>> settled = harness::settledState(world, run);
  if (!settled) return settled.error();
  run.initialState = *settled;

  // One operations core for the whole run: alarms, estimates, the isolation, the repair verdict
  // and the trend are its events.
  ops::OperationsOptions core;
  core.detector.model = options.detector;
  core.laterIncidents = true;
  // The repair is judged against 5 % of the rate leakhunt measured (the share at which the trend
  // reports a failing patch), not the 0.05 kg/day of a tight station: at the ISS's noise that
  // takes about five days to show, and the story's patch must be judged the day after.
  core.verifyTargetShare = 0.05;
  core.trend.period_s = options.trendPeriod_s;
  // Weeks of 1 Hz telemetry: the crew log each action as done, so the detector takes it as it
  // runs; a few hours kept bound the memory.
  core.keepTape_s = 6.0 * 3600.0;
  Timeline told({});
  Recorder recorder(world, 60.0, 1800.0, &told);
  Result<std::unique_ptr<harness::Autopilot>> started = harness::Autopilot::start(
      world, run, core, harness::loggedEventsOf(world, st), &recorder, &recorder);
  if (!started) return started.error();
  harness::Autopilot& crew = **started;
  recorder.watch(&crew.core());
  double plannedEnd_s = world.duration_s;
  const auto progress = [&] {
    if (options.progress) options.progress(std::min(1.0, crew.now_s() / plannedEnd_s));
  };

  // 1. The alarm.
  const auto alarmed = [&](const ops::OperationsCore& c) {
    progress();
    return c.status().phase != ops::Phase::Waiting;
  };
  if (Result<bool> r = crew.runUntil(leakAt_s + kDetectWithin_s, alarmed); !r) return r.error();
  const bool incident = !recorder.incidents().empty();
  RepairPlan plan;
  plan.followFor_s = options.followAfterPatch_s;
  plan.failureAfter_s = options.failureAfter_s;
  plan.failureDuration_s = options.failureDuration_s;
  StoryScenario story;
  std::vector<model::Event> laterRepairs;
  // Per incident (by the core's count; the first's is the story's patch): when the crew patched
  // the module it named, NaN when they did not.
  std::vector<double> laterPatch_s;
  int hatchOperations = 0;
  bool crewCutOff = false;
  if (incident) {
    // 2. The isolation: the core proposes, the crew carries out, the core reads, until it
    // corners the leak or no safe test remains (or the time limit, a step begun read to its end).
    const double limit = crew.now_s() + kLocaliseWithin_s;
    const auto decided = [&](const ops::OperationsCore& c) {
      progress();
      return c.status().isolationOver(crew.now_s(), limit);
    };
    if (Result<bool> r = crew.runUntil(crew.end_s(), decided); !r) return r.error();
    const harness::DrillResult& loc = recorder.incidents().front().localisation;
    sum.localized_s = loc.alarm_s + loc.elapsed_s;
    sum.hatchOperations = crew.hatchOperations();
    hatchOperations = crew.hatchOperations();
    crewCutOff = crew.stranded() > 0;
    if (loc.localized) {
      sum.localisation = std::string("planner (") + toString(core.planner.strategy) + ")";
      sum.localizedModule = loc.localizedModules.front();
      sum.cornered = true;
    } else {
      const std::size_t top = mostLikely(loc.posterior);
      sum.localizedModule = loc.moduleIds[top];
      sum.localisation = fmt::format(
          "planner ({}) stopped without cornering the leak ({}); the crew patch its most "
          "likely module, {} (p = {:.2f})",
          toString(core.planner.strategy), loc.why.empty() ? "time limit reached" : loc.why,
          sum.localizedModule, loc.posterior[top]);
    }
    // 3. The crew tapes and seals the hole within half an hour of the finger on it.
    plan.patchAt_s = std::max(sum.localized_s - t0, crew.now_s()) + kPatchAfterFound_s;
    plan.patchModule = sum.localizedModule;
    story = storyScenario(base, crew.actions(), plan);
    if (Result<bool> r = scheduleRepair(crew, story.scenario.events, plan.patchAt_s,
                                        story.reopenAt_s, story.patchModule);
        !r)
      return r.error();
    plannedEnd_s = plan.patchAt_s + options.followAfterPatch_s;
    // 4. The weeks after. Should the core open a new incident (a failing patch raises a new
    // alarm once the repair was judged), the crew follows its steps again and patches again.
    std::size_t repaired = 1;
    const auto nextDecided = [&](const ops::OperationsCore&) {
      progress();
      return recorder.incidents().size() > repaired && recorder.incidents()[repaired].decided;
    };
    while (crew.now_s() < std::min(plannedEnd_s, crew.end_s())) {
      if (Result<bool> r = crew.runUntil(plannedEnd_s, nextDecided); !r) return r.error();
      if (!nextDecided(crew.core())) break;
      const Incident& next = recorder.incidents()[repaired++];
      std::string module;
      if (next.localisation.localized)
        module = next.localisation.localizedModules.front();
      else if (!next.localisation.posterior.empty())
        module = next.localisation.moduleIds[mostLikely(next.localisation.posterior)];
      const double at = next.decided_s - t0 + kPatchAfterFound_s;
      if (module.empty() || at >= plannedEnd_s) continue;
      laterPatch_s.resize(repaired, kNaN);
      laterPatch_s[repaired - 1] = t0 + at;
      std::vector<model::Event> repair = laterRepair(base, story, crew.actions(), module, at);
      if (Result<bool> r =
              scheduleRepair(crew, repair, at, at + RepairPlan{}.reopenAfter_s, module);
          !r)
        return r.error();
      laterRepairs.insert(laterRepairs.end(), repair.begin(), repair.end());
    }
  } else {
    // No alarm: nothing to act on; the world runs to the scenario's end.
    plan.patchAt_s = base.duration_s;
    plan.followFor_s = 0.0;
    story = storyScenario(base, {}, plan);
    plannedEnd_s = base.duration_s;
    if (Result<bool> r = crew.runUntil(base.duration_s,
                                       [&](const ops::OperationsCore&) {
                                         progress();
                                         return false;
                                       });
        !r)
      return r.error();
    sum.localisation = "none: leakhunt raised no alarm within " + humanDuration(kDetectWithin_s) +
                       " of the hole, so there was nothing to localise";
    sum.localized_s = kNaN;
  }
  crew.core().finish();
  // The world ran to here: past the scenario's own end when the story follows the station after
  // its isolation (the report's span says so; its timeline reaches that far).
  story.scenario.duration_s = crew.now_s();
  recorder.finish();
  // What the crew did after the first repair (later incidents' steps and repairs) joins the
  // world's events, for the timeline, the figures and the judging beside the truth.
  for (const model::Event& e : crew.actions())
    if (incident && e.time_s > story.reopenAt_s) story.scenario.events.push_back(e);
  for (const model::Event& e : laterRepairs)
    if (std::holds_alternative<model::PatchEvent>(e.action)) story.scenario.events.push_back(e);
  std::stable_sort(
      story.scenario.events.begin(), story.scenario.events.end(),
      [](const model::Event& a, const model::Event& b) { return a.time_s < b.time_s; });

  sum.patched = story.patched;
  sum.patchModule = story.patched ? story.patchModule : "";
  sum.patch_s = story.patched ? t0 + story.patchAt_s : kNaN;
  // The first incident's localisation, as the drill's report has it.
  harness::DrillResult first;
  if (incident) {
    first = recorder.incidents().front().localisation;
    first.hatchOperations = hatchOperations;
    first.crewCutOff = crewCutOff;
    if (first.suspects.empty())
      for (std::size_t m = 0; m < first.posterior.size(); ++m)
        if (first.posterior[m] >= 0.01) first.suspects.push_back(st.modules[m].id);
  }
  const harness::DrillResult* planner = incident ? &first : nullptr;

  // Every alarm is an alarm. The one the crew acted on opened the first incident.
  const Alarm* alarm = nullptr;
  for (const Alarm& a : recorder.alarms()) {
    sum.alarms.push_back(summaryOf(a, recorder, st));
    sum.alarms.back().actedOn = a.incident == 0;
    sum.alarms.back().incident = a.incident;
    if (a.incident == 0) alarm = &a;
  }
  sum.incidents = static_cast<int>(recorder.incidents().size());
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
  // The crew's log says which module was patched, never which hidden leak that patch met.
  detect::LoggedEvents log = harness::loggedEventsOf(story.scenario, st);
  for (detect::LoggedPatch& p : log.patches) p.leak = "the patch on a module leakhunt named";
  AfterTheHoleInput in;
  in.station = &st;
  in.log = &log;
  in.module = st.moduleIndex(story.patched ? story.patchModule : sum.localizedModule);
  in.named_s = sum.localized_s;
  in.firstAlarm = alarm;
  in.patched = story.patched;
  in.patch_s = sum.patch_s;
  in.verdict = recorder.verdicts().empty() ? nullptr : &recorder.verdicts().front();
  in.changes = &recorder.trendChanges();
  in.trend = &crew.core().trend();
  in.series = &crew.core().series();
  in.blockPeriod_s = core.detector.blockPeriod_s;
  const AfterTheHole after = afterTheHole(in);

  // The incidents after the first, as leakhunt saw them (judged beside the truth below).
  for (std::size_t k = 1; k < recorder.incidents().size(); ++k) {
    const Incident& in = recorder.incidents()[k];
    const harness::DrillResult& loc = in.localisation;
    LaterIncident later;
    later.alarm_s = loc.alarm_s;
    if (loc.localized)
      later.module = loc.localizedModules.front();
    else if (!loc.posterior.empty())
      later.module = loc.moduleIds[mostLikely(loc.posterior)];
    later.cornered = loc.localized;
    if (in.decided) later.decided_s = in.decided_s;
    if (k < laterPatch_s.size()) later.patch_s = laterPatch_s[k];
    sum.laterIncidents.push_back(later);
  }

  Timeline timeline(scheduledEntries(story, planner, sum));
  timeline.append(told);
  for (const report::TimelineEntry& e : afterTheHoleEntries(after, st)) timeline.tell(e);
  for (const report::TimelineEntry& e : laterIncidentEntries(recorder, st)) timeline.tell(e);

  sum.patchVerified = after.verifyRun && after.verify.verdict == verify::Verdict::Met;
  sum.residualRate_kg_s = after.verifyRun ? after.verify.rate_kg_s : kNaN;
  sum.residualBound_kg_s = after.verifyRun ? after.verify.upper_kg_s : kNaN;
  // The failing patch is reported by the trend's rise on the patched module's segment (the
  // specific sign); when the trend reported none, by the first alarm after the patch that
  // opened a new incident (an alarm may be false: the section beside the truth says).
  sum.regrowthDetected = after.regrowth.has_value();
  sum.regrowthDetected_s = after.regrowth ? after.regrowth->reportedAt_s : kNaN;
  sum.regrowthBy = after.regrowth ? "trend" : "";
  if (story.patched && !sum.regrowthDetected)
    for (const Alarm& a : recorder.alarms())
      if (a.incident > 0 && a.first.alarmTime_s > sum.patch_s) {
        sum.regrowthDetected = true;
        sum.regrowthDetected_s = a.first.alarmTime_s;
        sum.regrowthBy = "alarm";
        break;
      }
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
  for (const LaterIncident& later : sum.laterIncidents)
    truth.laterCorrect.push_back(!later.module.empty() &&
                                 !leakInModule(base, later.module, later.alarm_s - t0).empty());

  result.report = storyReport(base, story, recorder, timeline, after, planner, sum);
  return result;
}

}  // namespace leakhunt::story
