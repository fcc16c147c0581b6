// The daily-summary format `leakhunt trend` reads beside telemetry (docs/after-the-hole.md): a
// CSV with the header `period_start,rate_kg_s,rate_sigma_kg_s`, one period a line, its start in
// ISO 8601 UTC and its leak rate and sd in kg/s, as a station's own trending keeps them. The
// format's one loader (issue 16): lines are split by telemetry::splitCsvLine and times read by
// the one time parser.
#pragma once

#include <string>
#include <vector>

#include "base/result.hpp"
#include "verify/trend.hpp"

namespace leakhunt::verify {

inline constexpr const char* kDailySummaryHeader = "period_start,rate_kg_s,rate_sigma_kg_s";

// True when the file's first line is the daily summary's header.
bool isDailySummary(const std::string& path);

// The periods, each `period_s` long and fully covered, in increasing time order. Errors say
// file:line and what is wrong (a time, a number, the order, the count of fields).
Result<std::vector<TrendPoint>> readDailySummary(const std::string& path, double period_s);

}  // namespace leakhunt::verify
