// Shared by the bench/ programs: the benchmark scenario (bench/iss-2018-hole.yaml, the ISS 2018
// network with a 2 mm hole) and its variations.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

#include "model/load.hpp"
#include "model/scenario.hpp"
#include "sim/scenario_runner.hpp"

namespace leakhunt::bench {

#ifndef LEAKHUNT_BENCH_SCENARIO
#define LEAKHUNT_BENCH_SCENARIO "bench/iss-2018-hole.yaml"
#endif

// The benchmark scenario, or the program exits with the loader's message.
inline model::Scenario loadBenchScenario(const std::string& path = LEAKHUNT_BENCH_SCENARIO) {
  auto sc = model::loadScenario(path);
  if (!sc) {
    std::fprintf(stderr, "%s\n", sc.error().message.c_str());
    std::exit(2);
  }
  return *sc;
}

// The same scenario over `days`.
inline model::Scenario withDuration(model::Scenario sc, double days) {
  sc.duration_s = days * 86400.0;
  return sc;
}

// The scenario's hole moved to `module` and `onset_s`, with another seed.
inline model::Scenario withHole(model::Scenario sc, uint64_t seed, const std::string& module,
                                double onset_s) {
  sc.seed = seed;
  for (model::Event& e : sc.events)
    if (auto* leak = std::get_if<model::LeakEvent>(&e.action)) {
      leak->module = module;
      e.time_s = onset_s;
    }
  return sc;
}

// Keeps nothing: the throughput runs.
class NullObserver : public sim::RunObserver {};

inline sim::RunOptions noOutput(sim::Solver solver, double spinUp_s) {
  sim::RunOptions o;
  o.solver = solver;
  o.emitTelemetry = false;
  o.emitTruth = false;
  o.spinUp_s = spinUp_s;
  return o;
}

}  // namespace leakhunt::bench
