#include "harness/drill.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include "harness/autopilot.hpp"
#include "harness/drill_record.hpp"
#include "harness/scenario_log.hpp"

namespace leakhunt::harness {
namespace {

// The detector needs an hour of reference before it can alarm (docs/detection.md).
constexpr double kLeadIn_s = 2.0 * 3600.0;

}  // namespace

Result<std::vector<double>> settledState(const model::Scenario& scenario,
                                         const sim::RunOptions& options) {
  sim::RunOptions ro = options;
  ro.stopAfterSpinUp = true;
  ro.initialState.clear();
  sim::RunObserver none;
  Result<sim::RunResult> r = sim::runScenario(scenario, ro, none);
  if (!r) return r.error();
  return r->initialState;
}

Result<DrillResult> runDrill(const model::Scenario& scenario, const DrillOptions& options,
                             DrillObserver* observer) {
  DrillOptions o = options;
  const model::Station& st = scenario.station;
  DrillResult out;
  out.scenario = scenario.name;
  out.strategy = toString(o.planner.strategy);
  for (const model::Module& m : st.modules) out.moduleIds.push_back(m.id);

  // The hidden truth, kept for scoring only.
  double onset = -1.0;
  for (const model::Event& e : scenario.events)
    if (const auto* leak = std::get_if<model::LeakEvent>(&e.action)) {
      if (onset < 0.0) onset = e.time_s;
      if (std::find(out.truthModules.begin(), out.truthModules.end(), leak->module) ==
          out.truthModules.end())
        out.truthModules.push_back(leak->module);
    }
  if (onset < 0.0) onset = 0.0;
  // A scenario whose leak starts within the detector's reference hour gets a quiet lead-in,
  // the world starting earlier, same clock.
  model::Scenario world = scenario;
  const double lead = std::ceil(std::max(0.0, kLeadIn_s - onset));
  world.startUnix_s -= static_cast<int64_t>(lead);
  for (model::Event& e : world.events) e.time_s += lead;
  onset += lead;
  const double start = static_cast<double>(world.startUnix_s);
  out.onset_s = start + onset;

  // From the onset on, the crew acts as the core proposes, not as the scenario says.
  std::erase_if(world.events, [&](const model::Event& e) {
    return e.time_s >= onset && (std::holds_alternative<model::HatchEvent>(e.action) ||
                                 std::holds_alternative<model::CrewMoveEvent>(e.action));
  });
  if (o.sim.initialState.empty()) {
    Result<std::vector<double>> settled = settledState(world, o.sim);
    if (!settled) return settled.error();
    o.sim.initialState = std::move(settled).value();
  }
  // Long enough for the detection window, the localisation and the longest last dwell.
  world.duration_s = onset + o.detectWithin_s + o.maxLocalise_s + 2.0 * 86400.0;

  ops::OperationsOptions core;
  core.detector = o.detector;
  core.planner = o.planner;
  core.prior = o.prior;
  core.stopProbability = o.stopProbability;
  core.rateSigmaFraction = o.rateSigmaFraction;
  core.maxSteps = o.maxSteps;
  core.musterInLifeboats = o.musterInLifeboats;
  core.muster_s = o.muster_s;
  DrillRecord record(out, observer);
  Result<std::unique_ptr<Autopilot>> started =
      Autopilot::start(world, o.sim, core, loggedEventsOf(world, st), &record);
  if (!started) return started.error();
  Autopilot& crew = **started;

  // 1. Wait for the alarm.
  const auto alarmed = [](const ops::OperationsCore& c) {
    return c.status().phase != ops::Phase::Waiting;
  };
  if (Result<bool> r = crew.runUntil(onset + o.detectWithin_s, alarmed); !r) return r.error();
  if (!out.detected) {
    out.why = "no alarm within the detection window";
    return out;
  }
  // 2. The core proposes, the crew carries out, the core reads, until it stops or time runs
  // out: a step begun within the localisation time is read to its end.
  const double limit = out.alarm_s - start + o.maxLocalise_s;
  const auto done = [&](const ops::OperationsCore& c) {
    return c.status().isolationOver(crew.now_s(), limit);
  };
  if (Result<bool> r = crew.runUntil(crew.end_s(), done); !r) return r.error();
  if (!out.localized && !out.inseparable && out.why.empty()) out.why = "time limit reached";

  for (std::size_t m = 0; m < out.posterior.size(); ++m)
    if (out.posterior[m] >= 0.01) out.suspects.push_back(st.modules[m].id);
  out.hatchOperations = crew.hatchOperations();
  out.crewCutOff = crew.stranded() > 0;
  // What the crew did, on the scenario's own clock (the lead-in taken off).
  for (const model::Event& e : crew.actions()) {
    model::Event action = e;
    action.time_s -= lead;
    out.actions.push_back(std::move(action));
  }
  if (!out.truthModules.empty()) {
    std::vector<std::string> a = out.localizedModules, b = out.truthModules;
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    out.correct = out.localized && a == b;
  }
  return out;
}

}  // namespace leakhunt::harness
