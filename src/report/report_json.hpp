// The report as one JSON document: what the renderer reads, and what tests check.
#pragma once

#include <nlohmann/json.hpp>

#include "report/report.hpp"

namespace leakhunt::report {

nlohmann::json toJson(const Report& report);

}  // namespace leakhunt::report
