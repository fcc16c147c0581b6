#include "verify/daily_summary.hpp"

#include <cmath>
#include <fstream>
#include <string_view>

#include "telemetry/csv_line.hpp"
#include "telemetry/telemetry_io.hpp"

namespace leakhunt::verify {

bool isDailySummary(const std::string& path) {
  std::ifstream in(path);
  std::string first;
  std::getline(in, first);
  if (!first.empty() && first.back() == '\r') first.pop_back();
  return first == kDailySummaryHeader;
}

Result<std::vector<TrendPoint>> readDailySummary(const std::string& path, double period_s) {
  std::ifstream in(path);
  if (!in) return Error{path + ": cannot open"};
  std::vector<TrendPoint> out;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (number == 1 || line.empty()) continue;
    const std::string where = path + ":" + std::to_string(number) + ": ";
    std::string_view field[3];
    std::string unquoted[3];
    std::size_t count = 0;
    if (auto why = telemetry::splitCsvLine(line, field, unquoted, count))
      return Error{where + *why};
    if (count != 3)
      return Error{where + "expected 3 fields period_start,rate_kg_s,rate_sigma_kg_s, found " +
                   std::to_string(count)};
    const std::string time(field[0]), rate(field[1]), sigma(field[2]);
    const Result<double> t = telemetry::parseTime(time);
    if (!t) return Error{where + "period_start: " + t.error().message};
    TrendPoint p;
    p.start_s = *t;
    p.end_s = *t + period_s;
    try {
      std::size_t used = 0;
      p.rate_kg_s = std::stod(rate, &used);
      if (used != rate.size()) throw std::invalid_argument(rate);
      p.rateSigma_kg_s = std::stod(sigma, &used);
      if (used != sigma.size()) throw std::invalid_argument(sigma);
    } catch (const std::exception&) {
      return Error{where +
                   "expected two numbers after the time (rate_kg_s, rate_sigma_kg_s >= "
                   "0), got '" +
                   line + "'"};
    }
    // stod reads "nan" and "inf": a rate that is not a number was once printed as one.
    if (!std::isfinite(p.rate_kg_s))
      return Error{where + "rate_kg_s '" + rate + "' is not allowed: a finite rate in kg/s"};
    if (!std::isfinite(p.rateSigma_kg_s) || p.rateSigma_kg_s < 0.0)
      return Error{where + "rate_sigma_kg_s '" + sigma +
                   "' is not allowed: a finite sd in kg/s, 0 or more"};
    if (!out.empty() && p.start_s <= out.back().start_s)
      return Error{where + "periods must be in increasing time order"};
    p.coverage_s = period_s;
    p.usable = true;
    out.push_back(p);
  }
  return out;
}

}  // namespace leakhunt::verify
