// The world around an operations core: a continuing simulation holds the hidden leak and feeds
// the core its telemetry block by block; the simulated crew carries out each step the core
// proposes on the simulation (crew moves at once, then one hatch operation after another, to
// the step's schedule) and logs each action to the core when done, as a crew would. Harness
// side of the truth wall: only this sees the simulation; the core sees telemetry and the log.
// The drill (harness/drill) and the operations core's tests (tests/ops) both run it.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "base/truth_wall.hpp"
#include "model/scenario.hpp"
#include "ops/operations_core.hpp"
#include "sim/simulation.hpp"

namespace leakhunt::harness {

// Everything the core said, in order; each event is passed on to `also` (may be null).
class Transcript final : public ops::OperationsObserver {
 public:
  explicit Transcript(ops::OperationsObserver* also = nullptr) : m_also(also) {}
  void onAlarm(const ops::Alarm& a) override;
  void onDetectorAlarm(const ops::Alarm& a) override;
  void onEstimate(const ops::Estimate& e) override;
  void onProposedStep(const ops::ProposedStep& p) override;
  void onStepOutcome(const ops::StepOutcome& o) override;
  void onPosterior(const ops::Posterior& p) override;
  void onCornered(const ops::Cornered& c) override;
  void onNoSafeTest(const ops::NoSafeTest& n) override;
  void onRepairVerdict(const ops::RepairVerdict& v) override;
  void onTrendChange(const ops::TrendChange& t) override;

  std::vector<std::string> order;  // event kinds, estimates left out
  int estimates = 0;
  std::vector<ops::Alarm> alarms;          // the incidents'
  std::vector<ops::Alarm> detectorAlarms;  // every alarm the detector raised
  std::vector<ops::ProposedStep> proposals;
  std::vector<ops::ProposedStep> fresh;  // proposed, not yet taken up by the autopilot
  std::vector<ops::StepOutcome> outcomes;
  std::vector<ops::Posterior> posteriors;
  std::vector<ops::Cornered> cornered;
  std::vector<ops::NoSafeTest> noSafeTest;
  std::vector<ops::RepairVerdict> verdicts;
  std::vector<ops::TrendChange> trend;

 private:
  ops::OperationsObserver* m_also;
};

class Autopilot final : public sim::RunObserver {
 public:
  // Starts the simulation of `world` (times of its events since its start) and a core with
  // `options` and `log` (what the station logged before the core started). Events also go to
  // `also`, which must outlive the autopilot. `watcher` (may be null) sees the world as it
  // runs: every telemetry sample as it goes to the core, and the truth when `run.emitTruth`.
  static Result<std::unique_ptr<Autopilot>> start(const model::Scenario& world,
                                                  const sim::RunOptions& run,
                                                  ops::OperationsOptions options,
                                                  detect::LoggedEvents log = {},
                                                  ops::OperationsObserver* also = nullptr,
                                                  sim::RunObserver* watcher = nullptr);

  // Advances the world a detector block at a time to `until_s` (since the world's start), or
  // until `stop` holds after a block.
  Result<bool> runUntil(double until_s,
                        const std::function<bool(const ops::OperationsCore&)>& stop);
  // Does `action` on the world `duration_s` from now and logs it when done (a patch as `logAs`
  // when given: the crew logs the module it patched, not the world's name for the hole).
  Result<bool> act(const model::EventAction& action, double duration_s = 0.0,
                   const std::string& logAs = "");

  ops::OperationsCore& core() { return *m_core; }
  Transcript& transcript() { return m_transcript; }
  double now_s() const { return m_sim->time_s(); }
  double end_s() const { return m_sim->end_s(); }
  double startUnix_s() const { return m_start_s; }
  // Crew members the station as it stood after a step's last operation left without a path to
  // their lifeboat (the configuration the crew holds through the dwell).
  int stranded() const { return m_stranded; }
  int stepsDone() const { return m_stepsDone; }
  int hatchOperations() const { return m_hatchOperations; }
  // The hatch operations and crew moves the crew made, in the order made (times since the
  // world's start).
  const std::vector<model::Event>& actions() const { return m_actions; }
  // Proposals the autopilot does not carry out: a hook may log something else instead.
  std::function<bool(const ops::ProposedStep&)> carryOut = [](const ops::ProposedStep&) {
    return true;
  };

  void begin(const telemetry::ChannelTable& t, const telemetry::ChannelTable& truth) override {
    if (watcher) watcher->begin(t, truth);
  }
  void telemetry(const telemetry::Sample& s) override { m_pending.push_back(s); }
  void truth(const telemetry::Sample& s) override {
    if (watcher) watcher->truth(s);
  }

 private:
  Autopilot(const model::Scenario& world, ops::OperationsObserver* also);
  struct Due {
    double at_s = 0.0;  // since the world's start
    ops::LoggedAction entry;
    bool endsStep = false;
  };
  Result<bool> perform(const ops::ProposedStep& step);
  Result<bool> schedule(const model::EventAction& action, double at_s, bool endsStep,
                        const std::string& logAs = "");
  void logDue();
  void logFront();
  sim::RunObserver* watcher = nullptr;
  void checkCrew();

  model::Station m_station;
  double m_start_s = 0.0;  // Unix time of the world's start
  double m_block_s = 60.0;
  std::optional<sim::Simulation> m_sim;
  std::vector<telemetry::Sample> m_pending;
  Transcript m_transcript;
  std::unique_ptr<ops::OperationsCore> m_core;
  std::vector<Due> m_due;
  std::vector<bool> m_open;  // the world's hatches and crew, as the autopilot made them
  std::vector<int> m_crew;
  int m_stranded = 0, m_stepsDone = 0, m_hatchOperations = 0;
  std::vector<model::Event> m_actions;
};

}  // namespace leakhunt::harness
