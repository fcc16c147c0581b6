// The station schematic, drawn from its description, never by hand per station: modules as
// boxes grouped by vehicle, hatches as links (solid when open, dashed red when closed), and
// the leak probability of each module as its fill colour. Graphviz lays it out.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/station.hpp"

namespace leakhunt::report {

struct SchematicState {
  std::vector<bool> hatchOpen;      // per station hatch; empty: as described
  std::vector<double> probability;  // per module, 0..1; empty: no colouring
  std::optional<int> marked;        // a module to outline (the one found)
  std::string caption;              // drawn under the figure
};

// Graphviz DOT text for the station in `state`.
std::string schematicDot(const model::Station& station, const SchematicState& state);

// The fill colour for a probability: white at 0 through amber to red at 1 ("#rrggbb").
std::string probabilityColour(double p);

}  // namespace leakhunt::report
