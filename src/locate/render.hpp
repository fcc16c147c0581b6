// Plans as readable text and as JSON (SI units, stable keys). Pure functions returning strings
// and values: the CLI and the demo print them. Drill results (harness) are harness/drill_report.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "locate/plan_tree.hpp"

namespace leakhunt::locate {

nlohmann::ordered_json toJson(const Plan& plan);
std::string toText(const Plan& plan);

// "1 h 05 min", "12 min", "2.4 d".
std::string duration(double s);

}  // namespace leakhunt::locate
