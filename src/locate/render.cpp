#include "locate/render.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace leakhunt::locate {
namespace {

using Json = nlohmann::ordered_json;

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::string kgPerDay(double kg_s) {
  char b[48];
  std::snprintf(b, sizeof b, "%.3g kg/day", kg_s * 86400.0);
  return b;
}

Json nodeJson(const PlanNode& n) {
  Json j;
  j["closed_hatches"] = n.closed;
  j["operations"] = n.operations;
  j["switch_s"] = n.switch_s;
  j["settle_s"] = n.settle_s;
  j["dwell_s"] = n.dwell_s;
  j["expected_bits"] = n.expectedBits;
  Json segs = Json::array();
  for (std::size_t g = 0; g < n.segments.size(); ++g)
    segs.push_back(
        {{"modules", n.segments[g]},
         {"read", n.read[g]},
         {"reading_sigma_kg_s",
          std::isfinite(n.readingSigma_kg_s[g]) ? Json(n.readingSigma_kg_s[g]) : Json(nullptr)}});
  j["segments"] = segs;
  Json br = Json::array();
  for (const PlanBranch& b : n.branches) {
    Json x{{"if_losing", b.losing}, {"probability", b.probability}};
    if (b.next)
      x["then"] = nodeJson(*b.next);
    else
      x["conclusion"] = b.conclusion;
    br.push_back(x);
  }
  j["branches"] = br;
  return j;
}

void nodeText(const PlanNode& n, int depth, std::ostringstream& out) {
  const std::string pad(static_cast<std::size_t>(depth) * 4, ' ');
  out << pad << "Step " << depth + 1 << ": ";
  if (n.operations.empty())
    out << "keep the hatches as they are";
  else
    out << join(n.operations, "; ");
  out << " (" << duration(n.switch_s) << "), settle " << duration(n.settle_s) << ", watch "
      << duration(n.dwell_s) << " (" << std::round(n.expectedBits * 100.0) / 100.0 << " bits)\n";
  for (std::size_t g = 0; g < n.segments.size(); ++g) {
    out << pad << "  read " << (n.read[g].empty() ? "(no pressure sensor)" : join(n.read[g]))
        << " for segment [" << join(n.segments[g]) << "]";
    if (std::isfinite(n.readingSigma_kg_s[g]))
      out << ", rate sd " << kgPerDay(n.readingSigma_kg_s[g]);
    out << "\n";
  }
  for (const PlanBranch& b : n.branches) {
    out << pad << "  if [" << join(b.losing) << "] loses gas (p "
        << std::round(b.probability * 1000.0) / 1000.0 << "):";
    if (b.next) {
      out << "\n";
      nodeText(*b.next, depth + 1, out);
    } else {
      out << " " << b.conclusion << "\n";
    }
  }
}

}  // namespace

std::string duration(double s) {
  char b[48];
  if (!std::isfinite(s)) return "never";
  if (s < 3600.0)
    std::snprintf(b, sizeof b, "%.0f min", s / 60.0);
  else if (s < 2.0 * 86400.0)
    std::snprintf(b, sizeof b, "%d h %02d min", static_cast<int>(s / 3600.0),
                  static_cast<int>(std::fmod(s, 3600.0) / 60.0));
  else
    std::snprintf(b, sizeof b, "%.2f d", s / 86400.0);
  return b;
}

Json toJson(const Plan& p) {
  Json j;
  j["station"] = p.station;
  j["strategy"] = p.strategy;
  j["leak_rate_kg_s"] = p.leakRate_kg_s;
  j["crew_moves"] = p.preface;
  j["expected_time_s"] = p.expectedTime_s;
  j["worst_time_s"] = p.worstTime_s;
  j["nodes"] = p.nodes;
  if (p.root)
    j["plan"] = nodeJson(*p.root);
  else
    j["conclusion"] = p.conclusion;
  return j;
}

std::string toText(const Plan& p) {
  std::ostringstream out;
  out << "Isolation plan for " << p.station << ", leak " << kgPerDay(p.leakRate_kg_s)
      << " (strategy " << p.strategy << ")\n";
  if (!p.preface.empty())
    out << "First, crew to their lifeboats: " << join(p.preface, "; ") << "\n";
  if (!p.root) {
    out << p.conclusion << "\n";
    return out.str();
  }
  out << "Expected time to the module " << duration(p.expectedTime_s) << ", at most "
      << duration(p.worstTime_s) << " (hatch work, settling and watching; " << p.nodes
      << " steps in the tree)\n";
  nodeText(*p.root, 0, out);
  return out.str();
}

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
    for (const SegmentOutcome& o : s.outcome)
      out.push_back({{"modules", o.modules},
                     {"rate_kg_s", o.rate_kg_s},
                     {"sigma_kg_s", o.sigma_kg_s},
                     {"losing", o.losing}});
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
  out << "Alarm " << duration(r.alarm_s - r.onset_s) << " after the hidden onset, rate "
      << kgPerDay(r.alarmRate_kg_s) << "\n";
  for (std::size_t i = 0; i < r.steps.size(); ++i) {
    const DrillStep& s = r.steps[i];
    out << "  step " << i + 1 << " at +" << duration(s.start_s) << ": "
        << (s.operations.empty() ? std::string("no hatch change") : join(s.operations, "; "))
        << "; watch " << duration(s.dwell_s) << "\n";
    for (const SegmentOutcome& o : s.outcome)
      if (o.sigma_kg_s > 0.0)
        out << "      [" << join(o.modules) << "] " << kgPerDay(o.rate_kg_s) << " +- "
            << kgPerDay(o.sigma_kg_s) << (o.losing ? "  LOSING" : "") << "\n";
  }
  if (r.localized)
    out << "Localised to " << join(r.localizedModules) << " in " << duration(r.elapsed_s)
        << " after the alarm, " << r.hatchOperations << " hatch operations\n";
  else
    out << "Not localised after " << duration(r.elapsed_s) << ": " << r.why
        << "\n  still suspected: " << join(r.suspects) << "\n";
  if (r.correct)
    out << (*r.correct ? "Correct" : "WRONG") << " (truth: " << join(r.truthModules) << ")\n";
  return out.str();
}

}  // namespace leakhunt::locate
