// A scenario run as a live telemetry source (`leakhunt serve --scenario`): the simulator's
// sensor readings go into the server's core exactly as outside telemetry does, in batches,
// paced so that `speed` simulated seconds pass per wall-clock second. The server sees only
// these readings and the scenario's log (harness/scenario_log.hpp), through
// server::TelemetrySource.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include "base/truth_wall.hpp"
#include "model/scenario.hpp"
#include "server/telemetry_source.hpp"

namespace leakhunt::harness {

struct FeedOptions {
  double speed = 1.0;         // simulated seconds per wall second; 0: as fast as it runs
  double batchWall_s = 0.05;  // one batch per this much wall time (at least one output step)
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

 private:
  void run(const server::Catalog& catalog, server::Core& core);

  model::Scenario m_scenario;
  FeedOptions m_options;
  std::atomic<bool> m_stop{false};
  std::thread m_thread;
};

}  // namespace leakhunt::harness
