#include "model/synthetic_station.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <utility>
#include <vector>

namespace leakhunt::model {
namespace {

// Pairs (a, b) of module indices a hatch joins.
std::vector<std::pair<int, int>> hatchPairs(int n, SyntheticTopology t) {
  std::vector<std::pair<int, int>> pairs;
  switch (t) {
    case SyntheticTopology::Chain:
      for (int i = 1; i < n; ++i) pairs.emplace_back(i - 1, i);
      break;
    case SyntheticTopology::Tree:
      for (int i = 1; i < n; ++i) pairs.emplace_back((i - 1) / 3, i);
      break;
    case SyntheticTopology::Mesh: {
      const int w = std::max(1, static_cast<int>(std::ceil(std::sqrt(static_cast<double>(n)))));
      for (int i = 0; i < n; ++i) {
        if ((i + 1) % w != 0 && i + 1 < n) pairs.emplace_back(i, i + 1);
        if (i + w < n) pairs.emplace_back(i, i + w);
      }
      break;
    }
  }
  return pairs;
}

}  // namespace

Result<SyntheticTopology> parseSyntheticTopology(const std::string& name) {
  if (name == "chain") return SyntheticTopology::Chain;
  if (name == "tree") return SyntheticTopology::Tree;
  if (name == "mesh") return SyntheticTopology::Mesh;
  return Error{"unknown topology '" + name + "' (chain, tree or mesh)"};
}

std::string topologyName(SyntheticTopology t) {
  switch (t) {
    case SyntheticTopology::Chain:
      return "chain";
    case SyntheticTopology::Tree:
      return "tree";
    case SyntheticTopology::Mesh:
      return "mesh";
  }
  return "?";
}

std::string syntheticStationYaml(const SyntheticStationOptions& o) {
  const int n = std::max(1, o.modules);
  std::mt19937_64 rng(o.seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::string y;
  y.reserve(static_cast<std::size_t>(n) * 400);
  y += "# Synthetic station (leakhunt model::syntheticStationYaml): " + std::to_string(n) +
       " modules, " + topologyName(o.topology) + ", seed " + std::to_string(o.seed) + "\n";
  y += "name: synthetic " + topologyName(o.topology) + " of " + std::to_string(n) + " modules\n";
  y += "atmosphere:\n  pressure: 750 mmHg\n  temperature: 22 degC\n"
       "  composition: {N2: 0.7620, O2: 0.2100, Ar: 0.0093, CO2: 0.0040, H2O: 0.0147}\n";
  y += "modules:\n";
  char b[640];  // the longest line below, with 10-digit indices, fits
  for (int i = 0; i < n; ++i) {
    // 20 to 100 m^3, set points 21-24 degC with a small orbital swing. Drawn one per statement:
    // as three arguments of one call, the order was the compiler's (g++ right to left, clang
    // left to right), so the two builds made different stations from one seed. This is g++'s
    // order, which every recorded figure was measured on.
    const double swing_k = 0.1 + 0.5 * unit(rng);
    const double setPoint_degc = 21.0 + 3.0 * unit(rng);
    const double volume_m3 = 20.0 + 80.0 * unit(rng);
    std::snprintf(b, sizeof b,
                  "  - {id: m%d, volume: %.1f m^3, vehicle: %s, temperature: %.2f degC, "
                  "orbital_swing: %.2f K}\n",
                  i, volume_m3, i == 0 ? "lifeboat" : "station", setPoint_degc, swing_k);
    y += b;
  }
  y += "hatches:\n";
  int h = 0;
  for (const auto& [a, c] : hatchPairs(n, o.topology)) {
    std::snprintf(b, sizeof b,
                  "  - {id: h%d, between: [m%d, m%d], diameter: 0.8 m, ventilation: 0.05 m^3/s}\n",
                  h++, a, c);
    y += b;
  }
  if (h == 0) y += "  []\n";
  const int crew = std::max(1, n / std::max(1, o.modulesPerCrewMember));
  y += "crew:\n";
  for (int c = 0; c < crew; ++c) {
    std::snprintf(b, sizeof b, "  - {id: crew%d, location: m%d, lifeboat: lifeboat}\n", c,
                  static_cast<int>(unit(rng) * n) % n);
    y += b;
  }
  // Per crew member: O2 0.84 kg/day made, CO2 and H2O taken out near where it is made.
  y += "life_support:\n";
  for (int c = 0; c < crew; ++c) {
    const int m = static_cast<int>(unit(rng) * n) % n;
    std::snprintf(b, sizeof b,
                  "  - {id: o2-%d, kind: o2_generation, module: m%d, rate: 0.84 kg/day, "
                  "spread: 5 %%}\n"
                  "  - {id: co2-%d, kind: co2_removal, module: m%d, flow: 6 m^3/h, efficiency: "
                  "0.6, vented: true, spread: 5 %%}\n"
                  "  - {id: h2o-%d, kind: h2o_removal, module: m%d, flow: 10 m^3/h, efficiency: "
                  "0.35, spread: 5 %%}\n",
                  c, m, c, m, c, m);
    y += b;
  }
  y += "sensors:\n";
  for (int i = 0; i < n; ++i) {
    std::snprintf(b, sizeof b,
                  "  - {channel: m%d.pressure, module: m%d, quantity: pressure, noise: 0.05 mmHg, "
                  "resolution: 0.1 mmHg, period: 1 s}\n"
                  "  - {channel: m%d.temperature, module: m%d, quantity: temperature, noise: "
                  "0.05 K, resolution: 0.01 K, period: 10 s}\n",
                  i, i, i, i);
    y += b;
  }
  return y;
}

}  // namespace leakhunt::model
