// A plan asked for by name, as the CLI's options and the Python module's arguments ask for one,
// and the PlanRequest it makes: one reading of the names and one set of defaults (the crew
// mustered in their lifeboats, the suspects the largest declared segment), so both front ends
// plan the same way (issue 16).
#pragma once

#include <string>
#include <vector>

#include "base/result.hpp"
#include "locate/plan_tree.hpp"

namespace leakhunt::locate {

struct PlanAsk {
  double leakRate_kg_s = 0.0;            // > 0
  std::string strategy = "information";  // information, halving, crew-2018
  std::string prior = "uniform";         // uniform, volume, wall-area
  std::vector<std::string> suspects;     // module ids; empty: the largest declared segment
  std::vector<std::string> crewAt;       // "CREW=MODULE"; given, the crew is not mustered
  bool muster = true;                    // send the crew to their lifeboats first
};

Result<Strategy> strategyNamed(const std::string& name);
Result<PriorSpec> priorNamed(const std::string& name);

// The request for `station` (which must outlive it). Errors name the argument and the value.
Result<PlanRequest> planRequest(const model::Station& station, const PlanAsk& ask);

}  // namespace leakhunt::locate
