// A scenario run as a live telemetry source: the simulator's sensor readings go into the core
// exactly as outside telemetry does, in batches, paced so that `speed` simulated seconds pass
// per wall-clock second. The estimators see only these readings and the logged events.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include "model/scenario.hpp"
#include "server/catalog.hpp"
#include "server/core.hpp"

namespace leakhunt::server {

struct FeedOptions {
  double speed = 1.0;         // simulated seconds per wall second; 0: as fast as it runs
  double batchWall_s = 0.05;  // one batch per this much wall time (at least one output step)
  std::function<void(const std::string&)> onFinish;  // "" when the run ended normally
};

class ScenarioFeed {
 public:
  ScenarioFeed(const model::Scenario& scenario, const Catalog& catalog, Core& core,
               FeedOptions options);
  ~ScenarioFeed();
  void start();
  void stop();  // ends the run at its next sample and joins

 private:
  void run();

  const model::Scenario& m_scenario;
  const Catalog& m_catalog;
  Core& m_core;
  FeedOptions m_options;
  std::atomic<bool> m_stop{false};
  std::thread m_thread;
};

}  // namespace leakhunt::server
