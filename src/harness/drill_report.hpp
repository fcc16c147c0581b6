// Drill results as readable text and as JSON (SI units, stable keys), with the truth they were
// scored against. Pure functions: the CLI and the localisation campaign print them.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "base/truth_wall.hpp"
#include "harness/drill.hpp"

namespace leakhunt::harness {

nlohmann::ordered_json toJson(const DrillResult& result);
std::string toText(const DrillResult& result);

}  // namespace leakhunt::harness
