#include "sim/scenario_runner.hpp"

#include "sim/simulation.hpp"

namespace leakhunt::sim {

// One advance of a fresh simulation to the end: the same path as a run continued step by step
// (sim/simulation.hpp), so the two emit the same outputs.
Result<RunResult> runScenario(const model::Scenario& scenario, const RunOptions& options,
                              RunObserver& observer) {
  Result<Simulation> sim = Simulation::start(scenario, options, observer);
  if (!sim) return sim.error();
  if (options.stopAfterSpinUp) {
    RunResult settled;
    settled.initialState = sim->initialState();
    return settled;
  }
  if (Result<bool> r = sim.value().advanceTo(scenario.duration_s); !r) return r.error();
  if (options.progress) options.progress(1.0);
  return sim->summary();
}

}  // namespace leakhunt::sim
