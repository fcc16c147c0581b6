// "One loop, live", part 3: a slow-leak drill of a fixed number of steps, the world continued
// from its own state and the steps proposed and read by the operations core (src/ops), on one
// settled cabin; beside it, as its peer, the same drill stopped at half the steps. Prints each
// run's time and the cost a step at both lengths, whose ratio says how the cost grows with the
// steps. Not a test: prints, never asserts on time. (The peer it was first measured against,
// the world re-simulated from the settled state at every step, was retired when the drill moved
// onto the operations core: its figures are in docs/simulator.md.)
//
//   bench_drill_continue [--scenario PATH] [--module ID] [--steps N] [--rtol R] [--repeat K]
//
// Default: data/scenarios/zvezda-prk-2020.yaml (Zvezda's PrK crack, 1.4 kg/day), 10 steps: the
// drill is held to exactly N steps by asking for a verdict it cannot reach (stop probability
// above 1), so both ways do the same work.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "harness/drill.hpp"
#include "model/load.hpp"

using namespace leakhunt;

namespace {

struct Args {
  std::string scenario = std::string(LEAKHUNT_SOURCE_DIR) + "/data/scenarios/zvezda-prk-2020.yaml";
  std::string module;  // move the leak here (empty: the scenario's)
  int steps = 10;
  double rtol = 1e-6;  // as `leakhunt locate drill`
  int repeat = 1;
};

// The first three fields of /proc/loadavg: the machine is shared, every figure says how busy.
std::string loadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--scenario")
      a.scenario = v;
    else if (k == "--module")
      a.module = v;
    else if (k == "--steps")
      a.steps = std::atoi(v.c_str());
    else if (k == "--rtol")
      a.rtol = std::atof(v.c_str());
    else if (k == "--repeat")
      a.repeat = std::atoi(v.c_str());
    else {
      std::fprintf(stderr, "unknown option %s\n", k.c_str());
      std::exit(2);
    }
  }
  return a;
}

struct Timed {
  harness::DrillResult result;
  double seconds = 0.0;
};

Timed drill(const model::Scenario& sc, const harness::DrillOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  Result<harness::DrillResult> r = harness::runDrill(sc, o, nullptr);
  const auto t1 = std::chrono::steady_clock::now();
  if (!r) {
    std::fprintf(stderr, "drill: %s\n", r.error().message.c_str());
    std::exit(1);
  }
  return {std::move(r).value(), std::chrono::duration<double>(t1 - t0).count()};
}

void show(const char* label, const Timed& t) {
  const harness::DrillResult& r = t.result;
  std::printf("%-34s %8.2f s  steps %2zu  alarm %.1f h after onset  drill %.2f h  %s\n", label,
              t.seconds, r.steps.size(), (r.alarm_s - r.onset_s) / 3600.0, r.elapsed_s / 3600.0,
              r.localizedModules.empty() ? "(no verdict asked)" : r.localizedModules[0].c_str());
}

}  // namespace

int main(int argc, char** argv) {
  const Args a = parse(argc, argv);
  Result<model::Scenario> loaded = model::loadScenario(a.scenario);
  if (!loaded) {
    std::fprintf(stderr, "%s\n", loaded.error().message.c_str());
    return 2;
  }
  model::Scenario sc = *loaded;
  if (!a.module.empty())
    for (model::Event& e : sc.events)
      if (auto* leak = std::get_if<model::LeakEvent>(&e.action)) leak->module = a.module;

  harness::DrillOptions o;
  o.sim.relativeTolerance = a.rtol;
  o.maxSteps = a.steps;
  o.stopProbability = 2.0;  // never reached: exactly `steps` steps, unless no test is left
  o.maxLocalise_s = 30.0 * 86400.0;
  std::printf("== %s, leak in %s, %d steps, rtol %g; load average before: %s\n", sc.name.c_str(),
              a.module.empty() ? "the scenario's module" : a.module.c_str(), a.steps, a.rtol,
              loadAverage().c_str());

  // One settled cabin for every run, outside the timing.
  const auto s0 = std::chrono::steady_clock::now();
  Result<std::vector<double>> settled = harness::settledState(sc, o.sim);
  if (!settled) {
    std::fprintf(stderr, "spin-up: %s\n", settled.error().message.c_str());
    return 1;
  }
  o.sim.initialState = *settled;
  std::printf("spin-up (shared, not timed below): %.2f s\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - s0).count());

  // The peer: the same drill stopped at half the steps, alternated with the full one so a change
  // in the machine's load falls on both. A drill whose cost grows linearly in its steps costs
  // the same a step at both lengths (ratio 1); one that re-simulated its world at every step, as
  // the drill did before it continued, costs about twice as much a step at twice the steps.
  harness::DrillOptions half = o;
  half.maxSteps = std::max(1, a.steps / 2);
  double total = 0.0, halfTotal = 0.0;
  std::size_t steps = 0, halfSteps = 0;
  for (int k = 0; k < a.repeat; ++k) {
    const Timed n = drill(sc, o);
    const Timed h = drill(sc, half);
    show("full length", n);
    show("peer: half the steps", h);
    total += n.seconds;
    steps += n.result.steps.size();
    halfTotal += h.seconds;
    halfSteps += h.result.steps.size();
  }
  const double perStep = steps > 0 ? total / static_cast<double>(steps) : 0.0;
  const double halfPerStep = halfSteps > 0 ? halfTotal / static_cast<double>(halfSteps) : 0.0;
  std::printf(
      "a step: %.3f s at %zu steps, %.3f s at %zu steps; ratio %.2f "
      "(1: linear in the steps, 2: quadratic) over %d run%s each\n",
      perStep, steps / static_cast<std::size_t>(a.repeat), halfPerStep,
      halfSteps / static_cast<std::size_t>(a.repeat),
      halfPerStep > 0.0 ? perStep / halfPerStep : 0.0, a.repeat, a.repeat == 1 ? "" : "s");
  std::printf("load average after: %s\n", loadAverage().c_str());
  return 0;
}
