#include "harness/drill_report.hpp"

#include <sstream>

#include "locate/render.hpp"
#include "report/result_json.hpp"

namespace leakhunt::harness {
using Json = nlohmann::ordered_json;
using locate::join;
using locate::kgPerDay;

Json toJson(const DrillResult& r) {
  Json j;
  j["scenario"] = r.scenario;
  j["strategy"] = r.strategy;
  j["detected"] = r.detected;
  j["alarm_time_s"] = r.alarm_s;
  j["alarm_rate_kg_s"] = r.alarmRate_kg_s;
  j["localized_module"] =
      r.localizedModules.size() == 1 ? Json(r.localizedModules.front()) : Json(nullptr);
  j["localized_modules"] = r.localizedModules;
  j["inseparable"] = r.inseparable;
  j["suspects"] = r.suspects;
  j["why"] = r.why;
  Json post = Json::object();
  for (std::size_t m = 0; m < r.posterior.size(); ++m)
    if (r.posterior[m] > 0.0) post[r.moduleIds[m]] = r.posterior[m];
  j["posterior"] = post;
  j["elapsed_s"] = r.elapsed_s;
  j["hatch_operations"] = r.hatchOperations;
  Json steps = Json::array();
  for (const DrillStep& s : r.steps) {
    Json out = Json::array();
    for (const locate::SegmentOutcome& o : s.outcome) out.push_back(report::segmentReadingJson(o));
    Json p = Json::object();
    for (std::size_t m = 0; m < s.posterior.size(); ++m)
      if (s.posterior[m] > 0.0) p[r.moduleIds[m]] = s.posterior[m];
    steps.push_back(
        {{"configuration", {{"closed_hatches", s.closedHatches}, {"operations", s.operations}}},
         {"start_s", s.start_s},
         {"switch_s", s.switch_s},
         {"settle_s", s.settle_s},
         {"dwell_s", s.dwell_s},
         {"outcome", out},
         {"posterior", p}});
  }
  j["steps"] = steps;
  j["truth_modules"] = r.truthModules;
  j["correct"] = r.correct ? Json(*r.correct) : Json(nullptr);
  j["crew_cut_off"] = r.crewCutOff;
  return j;
}

std::string toText(const DrillResult& r) {
  std::ostringstream out;
  out << "Drill " << r.scenario << " (strategy " << r.strategy << ")\n";
  if (!r.detected) {
    out << "No alarm: " << r.why << "\n";
    return out.str();
  }
  out << "Alarm " << locate::duration(r.alarm_s - r.onset_s) << " after the hidden onset, rate "
      << kgPerDay(r.alarmRate_kg_s) << "\n";
  for (std::size_t i = 0; i < r.steps.size(); ++i) {
    const DrillStep& s = r.steps[i];
    out << "  step " << i + 1 << " at +" << locate::duration(s.start_s) << ": "
        << (s.operations.empty() ? std::string("no hatch change") : join(s.operations, "; "))
        << "; watch " << locate::duration(s.dwell_s) << "\n";
    for (const locate::SegmentOutcome& o : s.outcome)
      if (o.sigma_kg_s > 0.0)
        out << "      [" << join(o.segment) << "] " << kgPerDay(o.rate_kg_s) << " +- "
            << kgPerDay(o.sigma_kg_s) << (o.losing ? "  LOSING" : "") << "\n";
  }
  if (r.localized)
    out << "Localised to " << join(r.localizedModules) << " in " << locate::duration(r.elapsed_s)
        << " after the alarm, " << r.hatchOperations << " hatch operations\n";
  else
    out << "Not localised after " << locate::duration(r.elapsed_s) << ": " << r.why
        << "\n  still suspected: " << join(r.suspects) << "\n";
  if (r.correct)
    out << (*r.correct ? "Correct" : "WRONG") << " (truth: " << join(r.truthModules) << ")\n";
  return out.str();
}

}  // namespace leakhunt::harness
