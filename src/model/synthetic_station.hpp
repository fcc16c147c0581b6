// Synthetic stations of any size, for the scaling benchmark and tests: N modules joined by
// hatches as a chain, a tree or a mesh, with crew, life support and a pressure and temperature
// sensor in every module. Written as station YAML (docs/formats.md), so what is measured goes
// through the same reader as a real station; deterministic in the seed.
#pragma once

#include <cstdint>
#include <string>

#include "base/result.hpp"

namespace leakhunt::model {

enum class SyntheticTopology {
  Chain,  // module i joins i-1: the longest path, the worst case for a banded solver
  Tree,   // module i joins (i-1)/3: branching, like real stations
  Mesh,   // a near-square grid, each module joined to its right and lower neighbour (loops)
};

struct SyntheticStationOptions {
  int modules = 10;
  SyntheticTopology topology = SyntheticTopology::Tree;
  uint64_t seed = 1;
  int modulesPerCrewMember = 20;  // crew and life support grow with the station
};

Result<SyntheticTopology> parseSyntheticTopology(const std::string& name);  // chain|tree|mesh
std::string topologyName(SyntheticTopology t);

// Module ids are "m0", "m1", ...; module 0 is the lifeboat's docking module.
std::string syntheticStationYaml(const SyntheticStationOptions& options);

}  // namespace leakhunt::model
