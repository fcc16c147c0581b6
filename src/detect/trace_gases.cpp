#include "detect/trace_gases.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>

#include "gas/humidity.hpp"
#include "model/steady_air.hpp"

namespace leakhunt::detect {

TraceGases::TraceGases(const model::Station& station, double airGasConstant, TraceStart from)
    : m_station(station), m_r(airGasConstant), m_from(from) {
  // Ids to indices by hash (the first module of an id, as the detectors'): a station of
  // hundreds of modules must not look them up linearly at every segment change.
  std::unordered_map<std::string, int> byId;
  for (std::size_t i = 0; i < station.modules.size(); ++i)
    byId.emplace(station.modules[i].id, static_cast<int>(i));
  const auto indexOf = [&](const std::string& id) {
    const auto it = byId.find(id);
    return it == byId.end() ? -1 : it->second;
  };
  m_lifeSupport.assign(station.modules.size(), {});
  for (std::size_t l = 0; l < station.lifeSupport.size(); ++l) {
    const int m = indexOf(station.lifeSupport[l].module);
    if (m >= 0) m_lifeSupport[static_cast<std::size_t>(m)].push_back(l);
  }
  for (const model::Hatch& h : station.hatches)
    m_hatchEnds.emplace_back(indexOf(h.moduleA), indexOf(h.moduleB));
}

bool atmosphereLeavesOut(const model::Station& station, gas::Species species) {
  return station.atmosphere.composition[gas::index(species)] <= 0.0;
}

bool TraceGases::leavesOutATraceGas(const model::Station& station) {
  for (gas::Species sp : kTrace)
    if (atmosphereLeavesOut(station, sp)) return true;
  return false;
}

double TraceGases::airEquivalent(gas::Species sp) const {
  return gas::gasConstant(gas::index(sp)) / m_r;
}

void TraceGases::setSegments(const std::vector<int>& segmentOf, std::size_t segmentCount,
                             const std::vector<bool>& hatchOpen) {
  m_exchangeOf.assign(segmentCount, {});
  for (std::size_t h = 0; h < m_station.hatches.size(); ++h) {
    const model::Hatch& hatch = m_station.hatches[h];
    if (h >= hatchOpen.size() || !hatchOpen[h] || hatch.ventilation_m3_s <= 0.0) continue;
    const auto [a, b] = m_hatchEnds[h];
    if (a < 0 || b < 0 || a == b) continue;
    m_exchangeOf[static_cast<std::size_t>(segmentOf[static_cast<std::size_t>(a)])].push_back(
        {static_cast<std::size_t>(a), static_cast<std::size_t>(b), hatch.ventilation_m3_s});
  }
}

void TraceGases::advance(double dt, std::span<const std::vector<int>> members,
                         std::span<const double> moduleTemperature_k,
                         std::span<const int> crewModule, std::vector<double>& sources) {
  if (!m_started) start();
  const model::Metabolism& met = m_station.metabolism;
  const double production[2] = {met.co2Production_kg_s, met.h2oProduction_kg_s};
  m_crew.assign(m_station.modules.size(), 0);
  for (int m : crewModule)
    if (m >= 0 && static_cast<std::size_t>(m) < m_crew.size())
      ++m_crew[static_cast<std::size_t>(m)];
  sources.assign(members.size(), 0.0);
  static const std::vector<Exchange> kNoLinks;
  for (std::size_t g = 0; g < members.size(); ++g) {
    const std::vector<int>& modules = members[g];
    double volume = 0.0;
    for (int i : modules) volume += m_station.modules[static_cast<std::size_t>(i)].volume_m3;
    for (std::size_t k = 0; k < kTrace.size(); ++k) {
      const bool water = kTrace[k] == gas::Species::H2O;
      for (int i : modules)
        budgets(static_cast<std::size_t>(i), water,
                m_crew[static_cast<std::size_t>(i)] * production[k], moduleTemperature_k);
      std::vector<double>& mass = m_mass[k];
      double before = 0.0, after = 0.0;
      for (int i : modules) before += mass[static_cast<std::size_t>(i)];
      advanceModules(modules, volume, g < m_exchangeOf.size() ? m_exchangeOf[g] : kNoLinks, mass,
                     dt);
      for (int i : modules) after += mass[static_cast<std::size_t>(i)];
      if (m_started) sources[g] += (after - before) / dt * airEquivalent(kTrace[k]);
    }
  }
  m_started = true;
}

// Every module at the steady state of its declared life support, crew and hatches. Where
// nothing removes the species, as the described atmosphere holds it (water at most saturated):
// how far it has risen since depends on how long the station has run, which the detector
// does not know; starting such a station saturated read a drill's short spin-up's still
// rising vapour as gas gained, and cornered the wrong module (tests/ops). `AsFilled`: a gas the
// atmosphere leaves out starts at none (TraceStart).
void TraceGases::start() {
  const model::SteadyAir air = model::steadyAir(m_station);
  for (std::size_t k = 0; k < kTrace.size(); ++k) {
    const std::size_t sp = gas::index(kTrace[k]);
    const double r = gas::gasConstant(sp);
    std::vector<double>& mass = m_mass[k];
    mass.assign(m_station.modules.size(), 0.0);
    for (std::size_t i = 0; i < m_station.modules.size(); ++i) {
      const bool water = kTrace[k] == gas::Species::H2O;
      double pp = water ? air.ppH2o_pa[i] : air.ppCo2_pa[i];
      const double described =
          m_station.atmosphere.pressure_pa * m_station.atmosphere.composition[sp];
      if (!std::isfinite(pp) || (water && !air.waterRemoved[i])) pp = std::min(pp, described);
      if (m_from == TraceStart::AsFilled && atmosphereLeavesOut(m_station, kTrace[k])) pp = 0.0;
      const double t = model::gasTemperature(m_station, i);
      mass[i] = pp * m_station.modules[i].volume_m3 / (r * t);
    }
  }
}

// Exchange through the segment's hatches (explicit, in steps short against each module's
// exchange time) and, within each step, each module's own budget in closed form. A gap of
// many quiet blocks, where no increment is read, is taken as one well-mixed volume.
void TraceGases::advanceModules(const std::vector<int>& modules, double volume_m3,
                                const std::vector<Exchange>& links, std::vector<double>& mass,
                                double dt) {
  m_exchanged.assign(m_station.modules.size(), 0.0);
  for (const Exchange& e : links) {
    m_exchanged[e.a] += e.flow_m3_s;
    m_exchanged[e.b] += e.flow_m3_s;
  }
  double h = dt;
  for (int i : modules) {
    const auto m = static_cast<std::size_t>(i);
    if (m_exchanged[m] > 0.0)
      h = std::min(h, 0.5 * m_station.modules[m].volume_m3 / m_exchanged[m]);
  }
  constexpr double kMaxSteps = 2000.0;
  if (dt / h > kMaxSteps) {
    // One well-mixed volume: the sum of the modules' budgets.
    TraceBudget sum;
    double total = 0.0;
    m_coilScratch.clear();
    sum.cap_kg = 0.0;
    for (int i : modules) {
      const auto m = static_cast<std::size_t>(i);
      const TraceBudget& b = m_budgetOf[m];
      const double v = m_station.modules[m].volume_m3;
      sum.production_kg_s += b.production_kg_s;
      sum.linearRate_per_s += b.linearRate_per_s * v / volume_m3;
      for (const TraceFloor& c : b.coils)
        m_coilScratch.push_back({c.rate_per_s * v / volume_m3, c.floor_kg * volume_m3 / v});
      sum.cap_kg += b.cap_kg;
      total += mass[m];
    }
    sum.coils = m_coilScratch;
    total = advanceTrace(sum, total, dt);
    for (int i : modules)
      mass[static_cast<std::size_t>(i)] =
          total * m_station.modules[static_cast<std::size_t>(i)].volume_m3 / volume_m3;
    return;
  }
  const int steps = static_cast<int>(std::ceil(dt / h - 1e-9));
  h = dt / steps;
  for (int step = 0; step < steps; ++step) {
    for (const Exchange& e : links) {
      const double flow = e.flow_m3_s * h *
                          (mass[e.a] / m_station.modules[e.a].volume_m3 -
                           mass[e.b] / m_station.modules[e.b].volume_m3);
      mass[e.a] -= flow;
      mass[e.b] += flow;
    }
    for (int i : modules) {
      const auto m = static_cast<std::size_t>(i);
      mass[m] = advanceTrace(m_budgetOf[m], mass[m], h);
    }
  }
}

// Module i's declared removers of CO2 (water: also its coils and its saturation), per
// docs/simulator.md, into m_budgetOf[i] (its coils in m_coilsOf[i]).
void TraceGases::budgets(std::size_t i, bool water, double made,
                         std::span<const double> temperature_k) {
  const model::LifeSupportKind remover =
      water ? model::LifeSupportKind::H2oRemoval : model::LifeSupportKind::Co2Removal;
  constexpr std::size_t kWater = gas::index(gas::Species::H2O);
  m_coilsOf.resize(m_station.modules.size());
  m_budgetOf.resize(m_station.modules.size());
  const double v = m_station.modules[i].volume_m3;
  const double t = temperature_k[i];
  TraceBudget& b = m_budgetOf[i];
  b = TraceBudget{};
  b.production_kg_s = made;
  m_coilsOf[i].clear();
  for (std::size_t l : m_lifeSupport[i]) {
    const model::LifeSupport& ls = m_station.lifeSupport[l];
    if (ls.kind != remover) continue;
    const double rate = ls.flow_m3_s * ls.efficiency / v;
    if (!water || !ls.coilTemperature_k) {
      b.linearRate_per_s += rate;
      continue;
    }
    // The coil's outlet, saturated at the coil, reheated to the module's gas temperature.
    const double density =
        gas::saturationPressure(*ls.coilTemperature_k) / (gas::gasConstant(kWater) * t);
    m_coilsOf[i].push_back({rate, density * v});
  }
  b.coils = m_coilsOf[i];
  if (!water) return;
  // Saturation at the module's coldest surface (declared, else its gas temperature).
  const double surface = m_station.modules[i].coldestSurface_k.value_or(t);
  b.cap_kg = gas::saturationPressure(surface) * v / (gas::gasConstant(kWater) * t);
}

}  // namespace leakhunt::detect
