#include "model/steady_air.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "gas/humidity.hpp"
#include "gas/species.hpp"

namespace leakhunt::model {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Coil {
  double flow_m3_s = 0.0;    // flow * efficiency through the coil
  double floor_kg_m3 = 0.0;  // vapour density the coil's outlet holds
  bool operator<(const Coil& o) const { return floor_kg_m3 < o.floor_kg_m3; }
};

struct Link {
  std::size_t other = 0;
  double flow_m3_s = 0.0;
};

// One species' steady balance in every module: production P_i, fractional removal k_i rho_i,
// coils q (rho_i - rho_c)+, exchange Q_ij (rho_j - rho_i), and at most `cap` (saturation).
struct Balance {
  std::vector<double> production_kg_s, removal_m3_s, cap_kg_m3;
  std::vector<std::vector<Coil>> coils;  // sorted by floor
};

int findRoot(std::vector<int>& parent, int i) {
  while (parent[static_cast<std::size_t>(i)] != i) {
    parent[static_cast<std::size_t>(i)] =
        parent[static_cast<std::size_t>(parent[static_cast<std::size_t>(i)])];
    i = parent[static_cast<std::size_t>(i)];
  }
  return i;
}

// The density that balances module i given its neighbours': the root of the decreasing,
// piecewise linear N0 - D0 rho - sum q (rho - rho_c)+, taken piece by piece.
double localRoot(double n0, double d0, const std::vector<Coil>& coils) {
  double num = n0, den = d0;
  for (std::size_t j = 0; j <= coils.size(); ++j) {
    const double upper = j < coils.size() ? coils[j].floor_kg_m3 : kInf;
    const double candidate = den > 0.0 ? num / den : (num > 0.0 ? kInf : 0.0);
    if (candidate <= upper) return candidate;
    if (j < coils.size()) {
      num += coils[j].flow_m3_s * coils[j].floor_kg_m3;
      den += coils[j].flow_m3_s;
    }
  }
  return kInf;
}

std::vector<double> solve(const Balance& b, const std::vector<std::vector<Link>>& links,
                          const std::vector<int>& segmentOf, std::vector<double> rho) {
  const std::size_t n = rho.size();
  // A segment whose crew make the species and where nothing removes it: unbounded, or held
  // at saturation everywhere (water condenses). One with neither keeps what it holds.
  std::vector<double> made(n, 0.0);
  std::vector<bool> removes(n, false);
  for (std::size_t i = 0; i < n; ++i) {
    const auto s = static_cast<std::size_t>(segmentOf[i]);
    made[s] += b.production_kg_s[i];
    if (b.removal_m3_s[i] > 0.0 || !b.coils[i].empty()) removes[s] = true;
  }
  std::vector<bool> free(n, false);
  for (std::size_t i = 0; i < n; ++i) {
    const auto s = static_cast<std::size_t>(segmentOf[i]);
    if (removes[s]) continue;
    if (made[s] > 0.0) rho[i] = b.cap_kg_m3[i];
  }
  for (std::size_t i = 0; i < n; ++i) free[i] = removes[static_cast<std::size_t>(segmentOf[i])];
  // Projected Gauss-Seidel: the exchange matrix is diagonally dominant, so it converges; the
  // projection onto rho <= cap is the condensation.
  for (int sweep = 0; sweep < 20000; ++sweep) {
    double change = 0.0, scale = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      if (!free[i]) continue;
      double n0 = b.production_kg_s[i], d0 = b.removal_m3_s[i];
      for (const Link& l : links[i]) {
        n0 += l.flow_m3_s * rho[l.other];
        d0 += l.flow_m3_s;
      }
      const double next = std::min(localRoot(n0, d0, b.coils[i]), b.cap_kg_m3[i]);
      change = std::max(change, std::abs(next - rho[i]));
      scale = std::max(scale, std::abs(next));
      rho[i] = next;
    }
    if (change <= 1e-13 * scale) break;
  }
  return rho;
}

// Groups of modules that exchange air (open hatches that ventilate; `ventilation: 0` is none),
// the exchange links, and the crew per module.
struct Exchange {
  std::vector<std::vector<Link>> links;
  std::vector<int> groupOf;
  std::vector<int> crew;
};

Exchange exchangeOf(const Station& s) {
  const std::size_t n = s.modules.size();
  Exchange e;
  std::vector<int> parent(n);
  std::iota(parent.begin(), parent.end(), 0);
  e.links.assign(n, {});
  for (const Hatch& h : s.hatches) {
    const int a = s.moduleIndex(h.moduleA), b = s.moduleIndex(h.moduleB);
    if (!h.open || h.ventilation_m3_s <= 0.0 || a < 0 || b < 0 || a == b) continue;
    parent[static_cast<std::size_t>(findRoot(parent, a))] = findRoot(parent, b);
    e.links[static_cast<std::size_t>(a)].push_back(
        {static_cast<std::size_t>(b), h.ventilation_m3_s});
    e.links[static_cast<std::size_t>(b)].push_back(
        {static_cast<std::size_t>(a), h.ventilation_m3_s});
  }
  e.groupOf.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) e.groupOf[i] = findRoot(parent, static_cast<int>(i));
  e.crew.assign(n, 0);
  for (const CrewMember& c : s.crew) {
    const int m = s.moduleIndex(c.location);
    if (m >= 0) ++e.crew[static_cast<std::size_t>(m)];
  }
  return e;
}

}  // namespace

double gasTemperature(const Station& s, std::size_t module) {
  return s.modules[module].temperature_k.value_or(s.atmosphere.temperature_k);
}

double nominalInventory_kg(const Station& s, std::size_t module, double gasConstant_j_kgk) {
  return s.atmosphere.pressure_pa * s.modules[module].volume_m3 /
         (gasConstant_j_kgk * gasTemperature(s, module));
}

double nominalStationInventory_kg(const Station& s) {
  const double r = gas::mixtureProperties(gas::toMassFractions(s.atmosphere.composition)).r_j_kgk;
  double kg = 0.0;
  for (std::size_t i = 0; i < s.modules.size(); ++i) kg += nominalInventory_kg(s, i, r);
  return kg;
}

SteadyAir steadyAir(const Station& s) {
  const std::size_t n = s.modules.size();
  SteadyAir out;
  const Exchange exchange = exchangeOf(s);
  const std::vector<std::vector<Link>>& links = exchange.links;
  const std::vector<int>& crew = exchange.crew;
  out.segmentOf = exchange.groupOf;

  constexpr auto kCo2 = gas::index(gas::Species::CO2);
  constexpr auto kWater = gas::index(gas::Species::H2O);
  const double rCo2 = gas::gasConstant(kCo2), rWater = gas::gasConstant(kWater);
  Balance co2, water;
  for (Balance* b : {&co2, &water}) {
    b->production_kg_s.assign(n, 0.0);
    b->removal_m3_s.assign(n, 0.0);
    b->cap_kg_m3.assign(n, kInf);
    b->coils.assign(n, {});
  }
  std::vector<double> co2Start(n), waterStart(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = gasTemperature(s, i);
    co2.production_kg_s[i] = crew[i] * s.metabolism.co2Production_kg_s;
    water.production_kg_s[i] = crew[i] * s.metabolism.h2oProduction_kg_s;
    const double surface = s.modules[i].coldestSurface_k.value_or(t);
    water.cap_kg_m3[i] = gas::saturationPressure(surface) / (rWater * t);
    const double p = s.atmosphere.pressure_pa;
    co2Start[i] = p * s.atmosphere.composition[kCo2] / (rCo2 * t);
    waterStart[i] =
        std::min(p * s.atmosphere.composition[kWater] / (rWater * t), water.cap_kg_m3[i]);
  }
  for (const LifeSupport& ls : s.lifeSupport) {
    const int m = s.moduleIndex(ls.module);
    if (m < 0) continue;
    const auto i = static_cast<std::size_t>(m);
    const double q = ls.flow_m3_s * ls.efficiency;
    if (ls.kind == LifeSupportKind::Co2Removal) co2.removal_m3_s[i] += q;
    if (ls.kind != LifeSupportKind::H2oRemoval) continue;
    if (!ls.coilTemperature_k) {
      water.removal_m3_s[i] += q;
      continue;
    }
    const double floor =
        gas::saturationPressure(*ls.coilTemperature_k) / (rWater * gasTemperature(s, i));
    water.coils[i].push_back({q, floor});
  }
  for (auto& c : water.coils) std::sort(c.begin(), c.end());

  const std::vector<double> rhoCo2 = solve(co2, links, out.segmentOf, co2Start);
  const std::vector<double> rhoWater = solve(water, links, out.segmentOf, waterStart);
  std::vector<bool> removed(n, false);
  for (std::size_t i = 0; i < n; ++i)
    if (water.removal_m3_s[i] > 0.0 || !water.coils[i].empty())
      removed[static_cast<std::size_t>(out.segmentOf[i])] = true;
  for (std::size_t i = 0; i < n; ++i) {
    const double t = gasTemperature(s, i);
    out.waterRemoved.push_back(removed[static_cast<std::size_t>(out.segmentOf[i])]);
    out.ppCo2_pa.push_back(rhoCo2[i] * rCo2 * t);
    out.ppH2o_pa.push_back(rhoWater[i] * rWater * t);
    out.relativeHumidity.push_back(out.ppH2o_pa.back() / gas::saturationPressure(t));
    out.condensing.push_back(rhoWater[i] >= water.cap_kg_m3[i] * (1.0 - 1e-9));
  }
  return out;
}

std::vector<double> steadyPpO2Offsets_pa(const Station& s) {
  const std::size_t n = s.modules.size();
  const Exchange exchange = exchangeOf(s);
  const std::vector<std::vector<Link>>& links = exchange.links;
  const std::vector<int>& groupOf = exchange.groupOf;
  const std::vector<int>& crew = exchange.crew;
  std::vector<double> offset;
  // O2: made by the generators, breathed by the crew, carried by the fans; relative to each
  // group's mean, so its net (which sets the common drift, not the differences) is spread over
  // the group by volume, and a removal of a millionth of each module's volume a second pins the
  // mean (it bends the differences by about 0.1 % against fans of 0.05 m^3/s), which is then
  // taken off. Not counted: the bulk flow that carries the crew's CO2 and water to the removers
  // (in a hab breathing and a lab making O2 and removing CO2 and water, it doubles the lab's
  // lead over the hab: tests/sim/steady_air_test.cpp).
  Balance o2;
  o2.production_kg_s.assign(n, 0.0);
  o2.removal_m3_s.assign(n, 0.0);
  o2.cap_kg_m3.assign(n, kInf);
  o2.coils.assign(n, {});
  for (std::size_t i = 0; i < n; ++i)
    o2.production_kg_s[i] = -crew[i] * s.metabolism.o2Consumption_kg_s;
  for (const LifeSupport& ls : s.lifeSupport) {
    const int m = s.moduleIndex(ls.module);
    if (m >= 0 && ls.kind == LifeSupportKind::O2Generation)
      o2.production_kg_s[static_cast<std::size_t>(m)] += ls.rate_kg_s;
  }
  std::vector<double> groupNet(n, 0.0), groupVolume(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const auto g = static_cast<std::size_t>(groupOf[i]);
    groupNet[g] += o2.production_kg_s[i];
    groupVolume[g] += s.modules[i].volume_m3;
  }
  constexpr double kPin_per_s = 1e-6;
  for (std::size_t i = 0; i < n; ++i) {
    const auto g = static_cast<std::size_t>(groupOf[i]);
    const double v = s.modules[i].volume_m3;
    o2.production_kg_s[i] -= groupVolume[g] > 0.0 ? groupNet[g] * v / groupVolume[g] : 0.0;
    o2.removal_m3_s[i] = kPin_per_s * v;
  }
  const std::vector<double> rhoO2 = solve(o2, links, groupOf, std::vector<double>(n, 0.0));
  const double rO2 = gas::gasConstant(gas::index(gas::Species::O2));
  std::vector<double> groupMean(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    offset.push_back(links[i].empty() ? 0.0 : rhoO2[i] * rO2 * gasTemperature(s, i));
    groupMean[static_cast<std::size_t>(groupOf[i])] += offset[i] * s.modules[i].volume_m3;
  }
  for (std::size_t i = 0; i < n; ++i) {
    const auto g = static_cast<std::size_t>(groupOf[i]);
    if (!links[i].empty()) offset[i] -= groupMean[g] / groupVolume[g];
  }

  return offset;
}

}  // namespace leakhunt::model
