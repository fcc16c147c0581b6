#include "report/report_json.hpp"

#include <cmath>

namespace leakhunt::report {
namespace {

// JSON has no NaN or infinity: a missing point is null, which the renderer leaves as a gap.
nlohmann::json numbers(const std::vector<double>& values) {
  nlohmann::json out = nlohmann::json::array();
  for (double v : values) out.push_back(std::isfinite(v) ? nlohmann::json(v) : nlohmann::json());
  return out;
}

}  // namespace

nlohmann::json toJson(const Report& report) {
  nlohmann::json doc{{"title", report.title}, {"subtitle", report.subtitle}};
  doc["timeline"] = nlohmann::json::array();
  for (const TimelineEntry& e : report.timeline)
    doc["timeline"].push_back({{"time_s", e.t},
                               {"stage", e.stage},
                               {"happened", e.happened},
                               {"concluded", e.concluded}});
  doc["tables"] = nlohmann::json::array();
  for (const Table& t : report.tables)
    doc["tables"].push_back({{"title", t.title}, {"columns", t.columns}, {"rows", t.rows}});
  doc["plots"] = nlohmann::json::array();
  for (const LinePlot& p : report.plots) {
    nlohmann::json plot{{"id", p.id}, {"title", p.title}, {"y_label", p.yLabel}, {"log_y", p.logY}};
    plot["series"] = nlohmann::json::array();
    for (const Series& s : p.series)
      plot["series"].push_back({{"label", s.label},
                                {"time_s", numbers(s.t)},
                                {"y", numbers(s.y)},
                                {"low", numbers(s.low)},
                                {"high", numbers(s.high)},
                                {"dashed", s.dashed}});
    plot["markers"] = nlohmann::json::array();
    for (const Marker& m : p.markers)
      plot["markers"].push_back({{"time_s", m.t}, {"label", m.label}});
    doc["plots"].push_back(std::move(plot));
  }
  doc["schematics"] = nlohmann::json::array();
  for (const Schematic& s : report.schematics)
    doc["schematics"].push_back({{"id", s.id}, {"title", s.title}, {"dot", s.dot}});
  doc["notes"] = report.notes;
  return doc;
}

}  // namespace leakhunt::report
