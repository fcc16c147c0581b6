// A scenario run as a live station (`leakhunt serve --scenario`): the simulator's sensor
// readings go into the server's core exactly as outside telemetry does, in batches, paced so
// that `speed` simulated seconds pass per wall-clock second. The server sees only these
// readings and the scenario's log (harness/scenario_log.hpp), through server::TelemetrySource.
//
// The station continues (sim::Simulation): it advances a chunk at a time, and before each
// chunk it takes what the server handed its crew (a mutex-guarded queue): an operator's posted
// hatch operation, crew move, patch or repress happens on the simulated station at its clock and
// is logged back when done; a confirmed
// step (or, with `autopilot`, every proposed step) is carried out by the simulated crew to the
// step's schedule, each operation logged back to the server (actor "simulator") once done.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/truth_wall.hpp"
#include "model/scenario.hpp"
#include "server/telemetry_source.hpp"

namespace leakhunt::harness {

struct FeedOptions {
  double speed = 1.0;         // simulated seconds per wall second; 0: as fast as it runs
  double batchWall_s = 0.05;  // one batch per this much wall time (at least one output step)
  // The simulated crew carries out each proposed step by itself, at once (demos, tests).
  bool autopilot = false;
  std::function<void(const std::string&)> onFinish;  // "" when the run ended normally
};

class SimulatedStation final : public server::TelemetrySource {
 public:
  // `scenario.station` must be the station the server serves.
  SimulatedStation(model::Scenario scenario, FeedOptions options);
  ~SimulatedStation() override;

  detect::LoggedEvents loggedEvents() const override;
  std::optional<double> clockStart_s() const override;
  void start(const server::Catalog& catalog, server::Core& core) override;
  void stop() override;

  bool carriesOutActions() const override { return true; }
  void logged(const server::Action& action, double time_s) override;
  void confirmed(const ops::ProposedStep& step) override;
  void proposed(const ops::ProposedStep& step) override;

  // What the crew was handed, for the run's thread.
  struct Order {
    std::optional<server::Action> action;  // an operator's logged action, at `time_s`
    double time_s = 0.0;
    std::optional<ops::ProposedStep> step;  // a step to carry out
  };

 private:
  void run(const server::Catalog& catalog, server::Core& core);

  model::Scenario m_scenario;
  FeedOptions m_options;
  std::atomic<bool> m_stop{false};
  std::mutex m_ordersMutex;
  std::vector<Order> m_orders;
  std::thread m_thread;
};

}  // namespace leakhunt::harness
