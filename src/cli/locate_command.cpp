// `leakhunt locate plan|infer|drill`: plan hatch closures as an adaptive tree, infer the leak's
// module from telemetry with hatch closures, and run the closed-loop drill on a scenario.
// A thin shell: src/locate plans, the operations core (src/ops) infers, the harness drills;
// this file reads inputs and renders.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/detector_option.hpp"
#include "cli/event_file.hpp"
#include "cli/implausible.hpp"
#include "cli/telemetry_input.hpp"
#include "detect/logged_events.hpp"
#include "gas/units.hpp"
#include "harness/drill.hpp"
#include "harness/drill_report.hpp"
#include "harness/scenario_log.hpp"
#include "locate/plan_request.hpp"
#include "locate/plan_tree.hpp"
#include "locate/render.hpp"
#include "model/load.hpp"
#include "ops/inference.hpp"
#include "ops/operations_core.hpp"
#include "ops/record_replay.hpp"
#include "ops/vacuum_watch.hpp"
#include "report/result_json.hpp"
#include "telemetry/telemetry_io.hpp"

namespace leakhunt::cli {
namespace {

struct LocateArgs {
  std::string station, telemetry, scenario, events, leakRate, strategy = "information",
                                                              prior = "uniform", spinUp = "1 day";
  std::vector<std::string> crewAt, suspects;
  bool json = false, noMuster = false;
  std::string detector;  // addDetectorOption's (drill)
};

// The option's name before the library's message ("--strategy: ...").
template <class T>
Result<T> option(Result<T> r) {
  if (!r) return Error{"--" + r.error().message};
  return r;
}

Result<double> rateOf(const std::string& text) {
  Result<double> r = gas::parseQuantity(text, gas::Dimension::MassRate);
  if (!r) return Error{"--leak-rate: " + r.error().message + " (e.g. '1.4 kg/day', '4.9e-4 kg/s')"};
  if (!(*r > 0.0)) return Error{"--leak-rate: must be positive, got '" + text + "'"};
  return r;
}

int refuse(const std::string& message) {
  std::cerr << message << "\n";
  return 1;
}

int runPlan(const LocateArgs& a) {
  Result<model::Station> st = model::loadStation(a.station);
  if (!st) return refuse(st.error().message);
  warnImplausible(*st, "locate plan");
  Result<double> rate = rateOf(a.leakRate);
  if (!rate) return refuse(rate.error().message);
  const locate::PlanAsk ask{*rate, a.strategy, a.prior, a.suspects, a.crewAt, !a.noMuster};
  Result<locate::PlanRequest> req = locate::planRequest(*st, ask);
  if (!req) return refuse(req.error().message);
  const locate::Plan plan = locate::buildPlan(*req);
  if (a.json)
    std::cout << locate::toJson(plan).dump(2) << "\n";
  else
    std::cout << locate::toText(plan);
  return 0;
}

int runInfer(const LocateArgs& a) {
  Result<model::Station> st = model::loadStation(a.station);
  if (!st) return refuse(st.error().message);
  warnImplausible(*st, "locate infer");
  Result<locate::PriorSpec> prior = option(locate::priorNamed(a.prior));
  if (!prior) return refuse(prior.error().message);
  ops::OperationsOptions o;
  o.prior = *prior;
  if (!a.leakRate.empty()) {
    Result<double> rate = rateOf(a.leakRate);
    if (!rate) return refuse(rate.error().message);
    o.leakRate_kg_s = *rate;
  }
  detect::LoggedEvents log;
  if (!a.events.empty()) {
    Result<model::Scenario> ev = loadEvents(a.events, a.station);
    if (!ev) return refuse(ev.error().message);
    warnScenario(ev->warnings, "locate infer");
    log = harness::loggedEventsOf(*ev, *st);
  }
  telemetry::ChannelTable channels;
  std::vector<telemetry::Sample> samples;
  telemetry::TelemetryGuard guard(*st);
  Result<std::size_t> read =
      guard.read(a.telemetry, channels, [&](const telemetry::Sample& s) { samples.push_back(s); });
  if (!read) return refuse(read.error().message);
  if (const int refused = reportTelemetryGuard(guard, "locate infer")) return refused;
  std::vector<std::string> names;
  for (std::size_t c = 0; c < channels.size(); ++c)
    names.push_back(channels.name(static_cast<int>(c)));
  const ops::Inference r = ops::inferFromRecord(*st, names, samples, log, o);
  if (a.json) {
    std::cout << report::inferenceJson(r, report::Times::Iso).dump(2) << "\n";
    return 0;
  }
  if (!r.alarm) {
    std::cout << "no leak alarmed in " << a.telemetry << ": nothing to localise\n";
    return 0;
  }
  std::printf("alarm %s: leak %.3g kg/day, suspected in [%s]\n",
              telemetry::formatTime(r.alarm->report.alarmTime_s).c_str(),
              r.alarm->report.rate_kg_s * 86400.0, locate::join(r.alarm->segment).c_str());
  if (const ops::EmptiedSegment* e =
          r.atVacuum(r.alarm->segment, std::numeric_limits<double>::infinity()))
    std::printf(
        "  segment at vacuum from %s (%.3g Pa): it emptied faster than it could be measured; "
        "the leak was at least that, and a window after it reads an empty segment\n",
        telemetry::formatTime(e->since_s).c_str(), e->pressure_pa);
  if (o.leakRate_kg_s > 0.0)
    std::printf("read with the given rate, %.3g kg/day\n", o.leakRate_kg_s * 86400.0);
  for (const ops::InferenceWindow& w : r.windows) {
    std::printf("%s to %s:\n", telemetry::formatTime(w.outcome.from_s).c_str(),
                telemetry::formatTime(w.outcome.to_s).c_str());
    for (const locate::SegmentOutcome& so : w.outcome.segments) {
      if (!so.read) continue;
      if (const ops::EmptiedSegment* e = r.atVacuum(so.segment, w.outcome.from_s)) {
        std::printf("  [%s] at vacuum since %s: nothing left to lose, no rate\n",
                    locate::join(so.segment).c_str(), telemetry::formatTime(e->since_s).c_str());
        continue;
      }
      std::printf("  [%s] %.3g +- %.2g kg/day%s\n", locate::join(so.segment).c_str(),
                  so.rate_kg_s * 86400.0, so.sigma_kg_s * 86400.0, so.losing ? "  LOSING" : "");
    }
  }
  std::printf("posterior (probability the module holds a leak):\n");
  for (const ops::ModuleProbability& p : r.posterior)
    if (p.probability >= 0.001) std::printf("  %-20s %.4f\n", p.module.c_str(), p.probability);
  if (r.cornered)
    std::printf("cornered in %s (%.4f)\n", locate::join(r.cornered->modules).c_str(),
                r.cornered->probability);
  else if (r.noSafeTest)
    std::printf("not cornered; %s\n", r.noSafeTest->why.c_str());
  else if (r.next)
    std::printf("not cornered; next step: %s, watch %s\n",
                r.next->closedHatches.empty()
                    ? "keep the hatches as they are"
                    : ("close " + locate::join(r.next->closedHatches)).c_str(),
                locate::duration(r.next->dwell_s).c_str());
  if (const ops::ModuleProbability* best = r.best())
    std::printf("most likely: %s (%.4f)\n", best->module.c_str(), best->probability);
  return 0;
}

class PrintSteps final : public harness::DrillObserver {
 public:
  void onAlarm(const harness::DrillResult& r) override {
    std::fprintf(stderr, "alarm: %.3g kg/day\n", r.alarmRate_kg_s * 86400.0);
  }
  void onStep(const harness::DrillStep& s, const harness::DrillResult& r) override {
    std::fprintf(stderr, "step %zu: %zu hatch operations, watched %s\n", r.steps.size(),
                 s.operations.size(), locate::duration(s.dwell_s).c_str());
  }
};

int runDrillCommand(const LocateArgs& a) {
  Result<model::Scenario> sc = model::loadScenario(a.scenario);
  if (!sc) return refuse(sc.error().message);
  warnImplausible(sc->station, "locate drill");
  warnScenario(sc->warnings, "locate drill");
  Result<locate::Strategy> strategy = option(locate::strategyNamed(a.strategy));
  if (!strategy) return refuse(strategy.error().message);
  Result<locate::PriorSpec> prior = option(locate::priorNamed(a.prior));
  if (!prior) return refuse(prior.error().message);
  Result<double> spin = gas::parseQuantity(a.spinUp, gas::Dimension::Time);
  if (!spin) return refuse("--spin-up: " + spin.error().message);
  harness::DrillOptions o;
  o.planner.strategy = *strategy;
  o.prior = *prior;
  o.sim.spinUp_s = *spin;
  o.sim.relativeTolerance = 1e-6;
  o.musterInLifeboats = !a.noMuster;
  o.detector.model = detectorModelOf(a.detector);
  PrintSteps progress;
  Result<harness::DrillResult> r = harness::runDrill(*sc, o, a.json ? nullptr : &progress);
  if (!r) return refuse(a.scenario + ": " + r.error().message);
  if (a.json)
    std::cout << harness::toJson(*r).dump(2) << "\n";
  else
    std::cout << harness::toText(*r);
  return 0;
}

void run(int rc) {
  if (rc != 0) throw CLI::RuntimeError(rc);
}

}  // namespace

void addLocateCommand(CLI::App& app) {
  auto a = std::make_shared<LocateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "locate", "Find which module leaks: plan hatch closures, infer from telemetry, drill");
  cmd->require_subcommand(1);
  const auto common = [&](CLI::App* sub) {
    sub->add_option("--strategy", a->strategy,
                    "information (most information per second), halving (by volume) or "
                    "crew-2018 (lifeboats, segment split, then module by module)");
    sub->add_option("--prior", a->prior,
                    "Where leaks are likely a priori: uniform, volume, wall-area");
    sub->add_flag("--json", a->json, "Print one JSON document (SI units)");
  };
  CLI::App* plan = cmd->add_subcommand(
      "plan",
      "Adaptive isolation plan: hatches to close, how long to watch, what to read, "
      "and the branch for each outcome");
  plan->add_option("STATION", a->station, "Station description (YAML)")->required();
  plan->add_option("--leak-rate", a->leakRate, "The leak's rate, e.g. '41 kg/day' or '1.4 kg/day'")
      ->required();
  plan->add_option("--crew-at", a->crewAt,
                   "Crew positions held through the plan, CREW=MODULE (repeat); default: "
                   "each crew member first goes to their lifeboat");
  plan->add_flag("--no-muster", a->noMuster, "Keep the crew where the station file puts them");
  plan->add_option("--suspects", a->suspects,
                   "Modules that may leak; default: the station's "
                   "largest segment");
  common(plan);
  plan->callback([a] { run(runPlan(*a)); });

  CLI::App* inferCmd = cmd->add_subcommand(
      "infer", "Posterior per module from telemetry that already holds hatch closures");
  inferCmd->add_option("STATION", a->station, "Station description (YAML)")->required();
  inferCmd->add_option("TELEMETRY", a->telemetry, "Telemetry file (CSV or JSON Lines)")->required();
  inferCmd->add_option(
      "--events", a->events,
      "Logged hatch and crew events: a scenario (its leaks are ignored) or events file");
  inferCmd->add_option("--leak-rate", a->leakRate,
                       "Read with this leak rate instead of the alarm's");
  common(inferCmd);
  inferCmd->callback([a] { run(runInfer(*a)); });

  CLI::App* drill = cmd->add_subcommand(
      "drill",
      "Closed loop on a scenario: hidden leak, the planner closes hatches, the detector "
      "reads the simulated telemetry, until one module holds 0.99");
  drill->add_option("SCENARIO", a->scenario, "Scenario (YAML) with the hidden leak")->required();
  drill->add_option("--spin-up", a->spinUp, "Settling time of the cabin before the start");
  drill->add_flag("--no-muster", a->noMuster, "Crew stays where it is at the alarm");
  addDetectorOption(drill, &a->detector);
  common(drill);
  drill->callback([a] { run(runDrillCommand(*a)); });
}

}  // namespace leakhunt::cli
