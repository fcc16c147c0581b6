#include "locate/render.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace leakhunt::locate {
namespace {

using Json = nlohmann::ordered_json;

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

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::string kgPerDay(double kg_s) {
  char b[48];
  std::snprintf(b, sizeof b, "%.3g kg/day", kg_s * 86400.0);
  return b;
}

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

}  // namespace leakhunt::locate
