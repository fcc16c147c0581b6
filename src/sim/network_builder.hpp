// Turns a scenario into the inputs of a gas network: hatch states, leak areas over time, the
// true (wandering) source rates, gas temperatures. Randomness comes from the scenario's seed
// only, one independent stream per thing, so the same seed gives the same run.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/truth_wall.hpp"
#include "model/scenario.hpp"
#include "network/gas_network.hpp"

namespace leakhunt::sim {

// A seed for one purpose and one item, derived from the scenario's seed (splitmix64).
uint64_t streamSeed(uint64_t scenarioSeed, uint64_t purpose, uint64_t item);

struct BuiltNetwork {
  std::vector<network::ModuleGeometry> geometry;
  network::NetworkInputs inputs;
};

BuiltNetwork buildNetwork(const model::Scenario& scenario);

}  // namespace leakhunt::sim
