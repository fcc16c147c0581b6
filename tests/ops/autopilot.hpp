// The world around an operations core, for tests: a continuing simulation holds the hidden
// leak and feeds the core its telemetry block by block; each step the core proposes is done on
// the simulation (hatch and crew events, one operation after another) and logged to the core
// when done, as a crew would. Only this harness sees the truth.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/scenario.hpp"
#include "ops/operations_core.hpp"
#include "sim/simulation.hpp"

namespace leakhunt::ops::testing {

// Everything the core said, in order.
class Transcript final : public OperationsObserver {
 public:
  void onAlarm(const Alarm& a) override { add("alarm", alarms, a); }
  void onEstimate(const Estimate&) override { ++estimates; }
  void onProposedStep(const ProposedStep& p) override {
    add("proposed", proposals, p);
    fresh.push_back(p);
  }
  void onStepOutcome(const StepOutcome& o) override { add("outcome", outcomes, o); }
  void onPosterior(const Posterior& p) override { add("posterior", posteriors, p); }
  void onCornered(const Cornered& c) override { add("cornered", cornered, c); }
  void onNoSafeTest(const NoSafeTest& n) override { add("no-safe-test", noSafeTest, n); }
  void onRepairVerdict(const RepairVerdict& v) override { add("verdict", verdicts, v); }
  void onTrendChange(const TrendChange& t) override { add("trend", trend, t); }

  std::vector<std::string> order;  // event kinds, estimates left out
  int estimates = 0;
  std::vector<Alarm> alarms;
  std::vector<ProposedStep> proposals;
  std::vector<ProposedStep> fresh;  // proposed, not yet taken up by the autopilot
  std::vector<StepOutcome> outcomes;
  std::vector<Posterior> posteriors;
  std::vector<Cornered> cornered;
  std::vector<NoSafeTest> noSafeTest;
  std::vector<RepairVerdict> verdicts;
  std::vector<TrendChange> trend;

 private:
  template <class T>
  void add(const char* kind, std::vector<T>& list, const T& value) {
    order.push_back(kind);
    list.push_back(value);
  }
};

class Autopilot final : public sim::RunObserver {
 public:
  // Starts the simulation of `world` (times of its events since its start).
  Autopilot(const model::Scenario& world, const sim::RunOptions& run, OperationsOptions options);

  // Advances the world a block at a time to `until_s` (since the world's start), or until
  // `stop` holds after a block.
  void runUntil(double until_s, const std::function<bool(const OperationsCore&)>& stop);
  // Does `action` on the world at its next block and logs it when done.
  void act(const model::EventAction& action, double duration_s = 0.0);

  OperationsCore& core() { return *m_core; }
  Transcript& transcript() { return m_transcript; }
  double now_s() const { return m_sim->time_s(); }
  // Crew members the station as it stood after a step's last operation left without a path to
  // their lifeboat (the configuration the crew holds through the dwell).
  int stranded() const { return m_stranded; }
  int stepsDone() const { return m_stepsDone; }
  // Proposals the autopilot does not carry out: a hook may log something else instead.
  std::function<bool(const ProposedStep&)> carryOut = [](const ProposedStep&) { return true; };

  void begin(const telemetry::ChannelTable&, const telemetry::ChannelTable&) override {}
  void telemetry(const telemetry::Sample& s) override { m_pending.push_back(s); }

 private:
  struct Due {
    double at_s = 0.0;  // since the world's start
    LoggedAction entry;
    bool endsStep = false;
  };
  void perform(const ProposedStep& step);
  void schedule(const model::EventAction& action, double at_s, bool endsStep);
  void logDue();
  void checkCrew();

  model::Station m_station;
  double m_start_s = 0.0;  // Unix time of the world's start
  std::optional<sim::Simulation> m_sim;
  std::vector<telemetry::Sample> m_pending;
  Transcript m_transcript;
  std::unique_ptr<OperationsCore> m_core;
  std::vector<Due> m_due;
  std::vector<bool> m_open;  // the world's hatches and crew, as the autopilot made them
  std::vector<int> m_crew;
  int m_stranded = 0, m_stepsDone = 0;
};

// A scenario of `station` from 2018-08-29T18:00Z lasting `duration_s`, with one 2 mm hole
// (Cd 0.65) in `leakModule` at `onset_s` (none when empty).
model::Scenario scenarioOf(const model::Station& station, const std::string& leakModule,
                           double onset_s, double duration_s, uint64_t seed);

sim::RunOptions quickRun();

}  // namespace leakhunt::ops::testing
