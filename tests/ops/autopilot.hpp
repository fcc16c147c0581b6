// The world around an operations core, for tests: harness::Autopilot (the one the drill runs),
// with its errors turned into test failures. Only the harness sees the truth.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "harness/autopilot.hpp"
#include "model/scenario.hpp"
#include "ops/operations_core.hpp"
#include "sim/simulation.hpp"

namespace leakhunt::ops::testing {

using Transcript = harness::Transcript;

class Autopilot {
  // First, for carryOut to bind to.
  std::unique_ptr<harness::Autopilot> m_a;

 public:
  Autopilot(const model::Scenario& world, const sim::RunOptions& run, OperationsOptions options);

  void runUntil(double until_s, const std::function<bool(const OperationsCore&)>& stop);
  void act(const model::EventAction& action, double duration_s = 0.0);

  OperationsCore& core() { return m_a->core(); }
  Transcript& transcript() { return m_a->transcript(); }
  double now_s() const { return m_a->now_s(); }
  int stranded() const { return m_a->stranded(); }
  int stepsDone() const { return m_a->stepsDone(); }
  // Proposals the autopilot does not carry out: a hook may log something else instead.
  std::function<bool(const ProposedStep&)>& carryOut;
};

// A scenario of `station` from 2018-08-29T18:00Z lasting `duration_s`, with one 2 mm hole
// (Cd 0.65) in `leakModule` at `onset_s` (none when empty).
model::Scenario scenarioOf(const model::Station& station, const std::string& leakModule,
                           double onset_s, double duration_s, uint64_t seed);

sim::RunOptions quickRun();

}  // namespace leakhunt::ops::testing
