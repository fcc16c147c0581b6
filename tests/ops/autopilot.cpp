#include "autopilot.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numbers>

namespace leakhunt::ops::testing {

sim::RunOptions quickRun() {
  sim::RunOptions o;  // as the drill's tests run it
  o.spinUp_s = 0.5 * 86400.0;
  o.relativeTolerance = 1e-6;
  o.emitTelemetry = true;
  o.emitTruth = false;
  return o;
}

model::Scenario scenarioOf(const model::Station& station, const std::string& leakModule,
                           double onset_s, double duration_s, uint64_t seed) {
  model::Scenario s;
  s.name = "ops test";
  s.station = station;
  s.startUnix_s = 1535565600;  // 2018-08-29T18:00:00Z
  s.duration_s = duration_s;
  s.seed = seed;
  if (!leakModule.empty()) {
    model::LeakEvent leak;
    leak.id = "hole";
    leak.module = leakModule;
    leak.cd = 0.65;
    leak.cda_m2 = leak.cd * std::numbers::pi * 0.001 * 0.001;  // 2 mm
    s.events.push_back({onset_s, leak, {}});
  }
  return s;
}

namespace {

std::unique_ptr<harness::Autopilot> started(const model::Scenario& world,
                                            const sim::RunOptions& run, OperationsOptions options) {
  Result<std::unique_ptr<harness::Autopilot>> a =
      harness::Autopilot::start(world, run, std::move(options));
  if (!a) {
    ADD_FAILURE() << a.error().message;
    std::abort();  // nothing to test without a world
  }
  return std::move(a).value();
}

}  // namespace

Autopilot::Autopilot(const model::Scenario& world, const sim::RunOptions& run,
                     OperationsOptions options)
    : m_a(started(world, run, std::move(options))), carryOut(m_a->carryOut) {}

void Autopilot::runUntil(double until_s, const std::function<bool(const OperationsCore&)>& stop) {
  const Result<bool> r = m_a->runUntil(until_s, stop);
  ASSERT_TRUE(r.ok()) << r.error().message;
}

void Autopilot::act(const model::EventAction& action, double duration_s) {
  const Result<bool> r = m_a->act(action, duration_s);
  ASSERT_TRUE(r.ok()) << r.error().message;
}

}  // namespace leakhunt::ops::testing
