// Runs a scenario: integrates the gas network between events and emits, at each output time,
// the noise-free state (truth) and what the sensors read (telemetry). A run that must take
// events as it goes (a drill, a live dashboard) uses sim::Simulation (sim/simulation.hpp);
// runScenario is that simulation advanced once to the end.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "base/truth_wall.hpp"
#include "model/scenario.hpp"
#include "network/integrator.hpp"
#include "telemetry/sample.hpp"

namespace leakhunt::sim {

enum class Solver {
  Auto,     // the segment reduction when isothermal, else the full network
  Full,     // every hatch by the orifice law, stiff BDF
  Reduced,  // segments at one pressure, BDF (isothermal only)
};

struct RunOptions {
  Solver solver = Solver::Auto;
  double relativeTolerance = 1e-8;
  bool emitTelemetry = true;
  bool emitTruth = false;
  bool truthPressuresOnly = false;                // truth: each module's pressure, nothing else
  double spinUp_s = 5.0 * 86400.0;                // settle CO2 and humidity before the start
  std::function<void(double fraction)> progress;  // called now and then; may be empty
  // The state at the start, as RunResult::initialState of an earlier run of the same station:
  // skips the spin-up, so Monte Carlo runs settle the cabin once, not once per run.
  std::vector<double> initialState;
  bool stopAfterSpinUp = false;  // return once the start state is known
};

// Receives output in time order. Channel indices refer to the tables of RunResult.
class RunObserver {
 public:
  virtual ~RunObserver() = default;
  // Called once before any sample, with the tables their channel indices refer to.
  virtual void begin(const telemetry::ChannelTable& /*telemetry*/,
                     const telemetry::ChannelTable& /*truth*/) {}
  virtual void telemetry(const telemetry::Sample&) {}
  virtual void truth(const telemetry::Sample&) {}
};

struct SegmentSummary {
  std::vector<std::string> modules;
  double pressureStart_pa = 0.0;
  double pressureEnd_pa = 0.0;
  double dropRate_pa_s = 0.0;        // over the last hour, positive when falling
  double timeToEvacuation_s = -1.0;  // from the end, at the last hour's rate; -1 if not falling
};

struct RunResult {
  telemetry::ChannelTable telemetryChannels;
  telemetry::ChannelTable truthChannels;
  std::vector<double> finalPressures_pa;  // per module
  std::vector<SegmentSummary> segments;   // by the hatch states at the end
  network::IntegratorStats stats;
  std::vector<double> initialState;  // the state at the start, after spin-up
  std::string solver;
};

Result<RunResult> runScenario(const model::Scenario& scenario, const RunOptions& options,
                              RunObserver& observer);

}  // namespace leakhunt::sim
