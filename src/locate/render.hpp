// Plans as readable text and as JSON (SI units, stable keys). Pure functions returning strings
// and values: the CLI and the demo print them. Drill results (harness) are harness/drill_report.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "locate/plan_tree.hpp"

namespace leakhunt::locate {

nlohmann::ordered_json toJson(const Plan& plan);
std::string toText(const Plan& plan);

// "1 h 05 min", "12 min", "2.4 d".
std::string duration(double s);
// "0.123 kg/day" (three significant figures).
std::string kgPerDay(double kg_s);
// "a, b, c".
std::string join(const std::vector<std::string>& items, const char* separator = ", ");

}  // namespace leakhunt::locate
