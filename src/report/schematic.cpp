#include "report/schematic.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <map>

namespace leakhunt::report {
namespace {

// DOT strings are double-quoted; descriptions may hold quotes or backslashes.
std::string escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string quoted(const std::string& text) { return "\"" + escaped(text) + "\""; }

int channel(double a, double b, double f) { return static_cast<int>(std::lround(a + (b - a) * f)); }

}  // namespace

std::string probabilityColour(double p) {
  p = std::clamp(std::isfinite(p) ? p : 0.0, 0.0, 1.0);
  // Two legs, white -> amber (255,193,7) -> red (211,47,47): a small probability is already
  // visibly tinted, and only a near-certain module turns red.
  const bool first = p < 0.5;
  const double f = first ? p / 0.5 : (p - 0.5) / 0.5;
  const int r = first ? channel(255, 255, f) : channel(255, 211, f);
  const int g = first ? channel(255, 193, f) : channel(193, 47, f);
  const int b = first ? channel(255, 7, f) : channel(7, 47, f);
  return fmt::format("#{:02x}{:02x}{:02x}", r, g, b);
}

std::string schematicDot(const model::Station& station, const SchematicState& state) {
  assert(state.hatchOpen.empty() || state.hatchOpen.size() == station.hatches.size());
  assert(state.probability.empty() || state.probability.size() == station.modules.size());
  std::string dot = "graph station {\n  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=11";
  if (!state.caption.empty()) dot += ", label=" + quoted(state.caption) + ", labelloc=b";
  dot += "];\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];\n";
  dot += "  edge [fontname=\"Helvetica\", fontsize=8];\n";

  std::map<std::string, std::vector<int>> byVehicle;
  for (int i = 0; i < static_cast<int>(station.modules.size()); ++i)
    byVehicle[station.modules[i].vehicle].push_back(i);
  int cluster = 0;
  for (const auto& [vehicle, members] : byVehicle) {
    dot += fmt::format("  subgraph cluster_{} {{\n    label={}; style=dashed; color=grey60;\n",
                       cluster++, quoted(vehicle.empty() ? "station" : vehicle));
    for (int i : members) {
      const model::Module& m = station.modules[i];
      // The id keeps the drawing compact; the full name is the tooltip in the SVG.
      std::string label = escaped(m.id);
      label += fmt::format("\\n{:.0f} m³", m.volume_m3);
      std::string fill = "#ffffff";
      if (!state.probability.empty()) {
        label += fmt::format("\\np = {:.2f}", state.probability[i]);
        fill = probabilityColour(state.probability[i]);
      }
      const bool marked = state.marked && *state.marked == i;
      // The label carries DOT's own line breaks (\n), so it is not escaped a second time.
      dot += fmt::format("    {} [label=\"{}\", tooltip={}, fillcolor={}{}];\n", quoted(m.id),
                         label, quoted(m.name.empty() ? m.id : m.name), quoted(fill),
                         marked ? ", penwidth=3, color=\"#b71c1c\"" : "");
    }
    dot += "  }\n";
  }
  for (std::size_t h = 0; h < station.hatches.size(); ++h) {
    const model::Hatch& hatch = station.hatches[h];
    const bool open = state.hatchOpen.empty() ? hatch.open : state.hatchOpen[h];
    dot += fmt::format("  {} -- {} [tooltip={}{}];\n", quoted(hatch.moduleA), quoted(hatch.moduleB),
                       quoted(hatch.id + (open ? " (open)" : " (closed)")),
                       open ? (hatch.closable ? "" : ", penwidth=2")
                            : ", style=dashed, color=\"#c62828\", label=\"closed\"");
  }
  dot += "}\n";
  return dot;
}

}  // namespace leakhunt::report
