// The closed-loop drill (issue 4): the simulator holds a hidden leak; the operations core
// (src/ops), reading only the simulated telemetry and the log, raises the alarm and proposes
// step after step; the simulated crew (harness/autopilot) carries each out on the simulation
// and logs it, until one module (or a pair) holds the stopping probability or no safe test
// remains. The drill's result is built from the core's events. The simulator is the outside
// world: the core never reads its truth; the drill scores `correct` against it at the end.
//
// Library API for the CLI and the demo:
//   Result<DrillResult> runDrill(const model::Scenario&, const DrillOptions&, DrillObserver*)
// Harness side: the drill holds the hidden leak and scores against it; the estimators it runs
// (detect, locate) see only the simulated telemetry and harness/scenario_log's log.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "base/truth_wall.hpp"
#include "detect/detector.hpp"
#include "locate/belief.hpp"
#include "locate/planner.hpp"
#include "locate/segment_outcome.hpp"
#include "model/scenario.hpp"
#include "sim/scenario_runner.hpp"

namespace leakhunt::harness {

struct DrillOptions {
  locate::PlannerOptions planner;
  locate::PriorSpec prior;
  detect::DetectorOptions detector;
  double stopProbability = 0.99;
  double detectWithin_s = 3.0 * 86400.0;  // after the first leak onset, else "not detected"
  double maxLocalise_s = 6.0 * 86400.0;   // from the alarm
  int maxSteps = 40;
  // At the alarm every crew member goes to their own lifeboat (the ISS procedure's first step,
  // shared/docs/record.md 3), which frees the station's hatches for testing.
  bool musterInLifeboats = true;
  double muster_s = 600.0;
  // Prior sd of the leak rate, as a share of the alarm's rate: the rate at an alarm can be
  // several times off for a slow leak (docs/detection.md), so the prior is broad.
  double rateSigmaFraction = 1.0;
  sim::RunOptions sim;  // relativeTolerance, spin-up, a settled initialState
};

struct DrillStep {
  std::vector<std::string> closedHatches;  // the configuration: hatches closed by the plan
  std::vector<std::string> operations;     // "close X", "equalise, then open Y", in order
  double start_s = 0.0;                    // since the alarm: when the step was proposed
  double switch_s = 0.0, settle_s = 0.0, dwell_s = 0.0;
  double expectedBits = 0.0;
  std::vector<locate::SegmentOutcome> outcome;
  std::vector<double> posterior;  // per module, after the step
};

struct DrillResult {
  std::string scenario;
  std::string strategy;
  std::vector<std::string> moduleIds;
  bool detected = false;
  double onset_s = 0.0;  // Unix time of the first hidden leak (truth; for scoring only)
  double alarm_s = 0.0;  // Unix time of the alarm
  double alarmRate_kg_s = 0.0;
  bool localized = false;
  std::vector<std::string> localizedModules;  // one, or two for two leaks
  bool inseparable = false;                   // stopped with no safe, informative test left
  std::vector<std::string> suspects;          // modules still holding 1 % or more
  std::string why;                            // why it stopped
  std::vector<double> posterior;              // per module
  double elapsed_s = 0.0;                     // alarm to the end of the last dwell
  int hatchOperations = 0;
  std::vector<DrillStep> steps;
  std::vector<std::string> truthModules;  // of the scenario's leaks
  std::optional<bool> correct;
  bool crewCutOff = false;  // any step's configuration left a crew member without a path
  // The hatch operations and crew moves the drill made, times since the given scenario's
  // start, in order: to replay the same isolation (the demo's story does).
  std::vector<model::Event> actions;
};

class DrillObserver {
 public:
  virtual ~DrillObserver() = default;
  virtual void onAlarm(const DrillResult&) {}
  virtual void onStep(const DrillStep&, const DrillResult&) {}
};

// `scenario`: its leak events are the hidden truth; its hatch and crew-move events after the
// first leak's onset are dropped (the planner acts instead). `strategy` is in options.planner.
Result<DrillResult> runDrill(const model::Scenario& scenario, const DrillOptions& options,
                             DrillObserver* observer);

// The settled state of a scenario's station, to share between drills (RunOptions::initialState).
Result<std::vector<double>> settledState(const model::Scenario& scenario,
                                         const sim::RunOptions& options);

}  // namespace leakhunt::harness
