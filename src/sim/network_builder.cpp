#include "sim/network_builder.hpp"

#include <cassert>
#include <cmath>
#include <numbers>
#include <random>

namespace leakhunt::sim {

namespace {

enum Purpose : uint64_t { kTemperature = 1, kLifeSupport, kCrew, kRepress, kSensor };

constexpr double kForever = 1e300;

// Cut a leak's history at time t: the pieces after t are dropped and the one spanning t ends
// there at the value it had reached.
void cutAt(network::LeakInput& leak, double t) {
  const double reached = leak.cda(t);
  std::vector<network::CdaPiece> kept;
  for (network::CdaPiece p : leak.pieces) {
    if (p.t0_s >= t) break;
    if (p.t1_s > t) {
      p.t1_s = t;
      p.cda1_m2 = reached;
    }
    kept.push_back(p);
  }
  leak.pieces = std::move(kept);
}

void addLeak(network::NetworkInputs& in, const model::Station& st, const model::LeakEvent& e,
             double t) {
  network::LeakInput leak;
  leak.id = e.id;
  leak.module = st.moduleIndex(e.module);
  assert(leak.module >= 0);
  switch (e.onset) {
    case model::OnsetProfile::Step:
      leak.pieces.push_back({t, kForever, e.cda_m2, e.cda_m2, false});
      break;
    case model::OnsetProfile::Ramp:
      leak.pieces.push_back({t, t + e.onsetDuration_s, 0.0, e.cda_m2, false});
      leak.pieces.push_back({t + e.onsetDuration_s, kForever, e.cda_m2, e.cda_m2, false});
      break;
    case model::OnsetProfile::Growth:
      leak.pieces.push_back({t, t + e.onsetDuration_s, 0.01 * e.cda_m2, e.cda_m2, true});
      leak.pieces.push_back({t + e.onsetDuration_s, kForever, e.cda_m2, e.cda_m2, false});
      break;
  }
  in.leaks.push_back(std::move(leak));
}

void addPatch(network::NetworkInputs& in, const model::PatchEvent& e, double t) {
  for (network::LeakInput& leak : in.leaks) {
    if (leak.id != e.leak) continue;
    cutAt(leak, t);
    if (!e.fails) {
      leak.pieces.push_back({t, kForever, e.residualCda_m2, e.residualCda_m2, false});
      return;
    }
    const double fail = t + e.failureAfter_s;
    const double grown = fail + e.failureDuration_s;
    leak.pieces.push_back({t, fail, e.residualCda_m2, e.residualCda_m2, false});
    leak.pieces.push_back({fail, grown, e.residualCda_m2, e.failureCda_m2, false});
    leak.pieces.push_back({grown, kForever, e.failureCda_m2, e.failureCda_m2, false});
    return;
  }
}

network::Wander wander(double spread, uint64_t seed) {
  // Rates wander over hours: machines cycle, crews sleep and exercise.
  return {spread, network::SmoothNoise(seed, 1800.0, 6.0 * 3600.0)};
}

}  // namespace

uint64_t streamSeed(uint64_t scenarioSeed, uint64_t purpose, uint64_t item) {
  uint64_t z = scenarioSeed * 0x9E3779B97F4A7C15ULL + purpose * 0xBF58476D1CE4E5B9ULL + item + 1;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

BuiltNetwork buildNetwork(const model::Scenario& scenario) {
  const model::Station& st = scenario.station;
  const uint64_t seed = scenario.seed;
  BuiltNetwork b;
  network::NetworkInputs& in = b.inputs;
  for (std::size_t i = 0; i < st.modules.size(); ++i) {
    const model::Module& m = st.modules[i];
    b.geometry.push_back(
        {m.volume_m3,
         m.wallArea_m2 > 0.0 ? m.wallArea_m2 : 4.84 * std::cbrt(m.volume_m3 * m.volume_m3),
         m.wallHeatTransfer_w_m2k});
    network::ModuleThermal t;
    t.setPoint_k = m.temperature_k.value_or(st.atmosphere.temperature_k);
    t.swing_k = m.orbitalSwing_k;
    t.orbitalOmega_rad_s = 2.0 * std::numbers::pi / st.orbitalPeriod_s;
    t.phase_rad = m.orbitalPhase_rad;
    t.unmeasured_k = st.temperatureUnmeasured_k;
    t.coldSurface_k = m.coldestSurface_k.value_or(0.0);
    t.unmeasuredNoise =
        network::SmoothNoise(streamSeed(seed, kTemperature, i), 3600.0, 8.0 * 3600.0);
    in.thermal.push_back(t);
  }
  for (const model::Hatch& h : st.hatches) {
    network::HatchInput hi;
    hi.moduleA = st.moduleIndex(h.moduleA);
    hi.moduleB = st.moduleIndex(h.moduleB);
    hi.cda_m2 = h.cd * h.area_m2;
    hi.ventilation_m3_s = h.ventilation_m3_s;
    hi.states = {{-kForever, h.open}};
    in.hatches.push_back(hi);
  }
  for (std::size_t k = 0; k < st.lifeSupport.size(); ++k) {
    const model::LifeSupport& ls = st.lifeSupport[k];
    const int module = st.moduleIndex(ls.module);
    const network::Wander w = wander(ls.spread_fraction, streamSeed(seed, kLifeSupport, k));
    switch (ls.kind) {
      case model::LifeSupportKind::O2Generation:
        in.generators.push_back({module, gas::index(gas::Species::O2), ls.rate_kg_s, w});
        break;
      case model::LifeSupportKind::Co2Removal:
        in.removers.push_back({module, static_cast<int>(gas::index(gas::Species::CO2)),
                               ls.flow_m3_s, ls.efficiency, 0.0, w});
        break;
      case model::LifeSupportKind::H2oRemoval:
        in.removers.push_back({module, static_cast<int>(gas::index(gas::Species::H2O)),
                               ls.flow_m3_s, ls.efficiency, 0.0, w,
                               ls.coilTemperature_k.value_or(0.0)});
        break;
      case model::LifeSupportKind::Vent:
        in.removers.push_back({module, -1, 0.0, 1.0, ls.rate_kg_s, w});
        break;
    }
  }
  in.metabolism = {st.metabolism.o2Consumption_kg_s, st.metabolism.co2Production_kg_s,
                   st.metabolism.h2oProduction_kg_s};
  for (std::size_t c = 0; c < st.crew.size(); ++c) {
    network::CrewInput ci;
    ci.locations = {{-kForever, st.moduleIndex(st.crew[c].location)}};
    ci.wander = wander(st.metabolism.spread_fraction, streamSeed(seed, kCrew, c));
    in.crew.push_back(std::move(ci));
  }
  std::mt19937_64 repressRng(streamSeed(seed, kRepress, 0));
  std::normal_distribution<double> normal;
  for (const model::Event& ev : scenario.events) {
    const double t = ev.time_s;
    std::visit(
        [&](const auto& a) {
          using A = std::decay_t<decltype(a)>;
          if constexpr (std::is_same_v<A, model::LeakEvent>) {
            addLeak(in, st, a, t);
          } else if constexpr (std::is_same_v<A, model::HatchEvent>) {
            in.hatches[static_cast<std::size_t>(st.hatchIndex(a.hatch))].states.push_back(
                {t, a.open});
          } else if constexpr (std::is_same_v<A, model::PatchEvent>) {
            addPatch(in, a, t);
          } else if constexpr (std::is_same_v<A, model::RepressEvent>) {
            // The log says `mass_kg`; what arrives differs by the stated error.
            const double delivered =
                a.mass_kg * std::max(0.0, 1.0 + a.error_fraction * normal(repressRng));
            in.represses.push_back({st.moduleIndex(a.module), t, t + a.duration_s,
                                    delivered / a.duration_s, a.composition});
          } else if constexpr (std::is_same_v<A, model::CrewMoveEvent>) {
            for (std::size_t c = 0; c < st.crew.size(); ++c)
              if (st.crew[c].id == a.crew)
                in.crew[c].locations.push_back({t, st.moduleIndex(a.module)});
          } else if constexpr (std::is_same_v<A, model::TemperatureEvent>) {
            for (std::size_t i = 0; i < st.modules.size(); ++i)
              if (a.module.empty() || st.modules[i].id == a.module)
                in.thermal[i].setPointChanges.push_back({t, a.setPoint_k});
          }
          // Sensor faults act on telemetry, not on the gas.
        },
        ev.action);
  }
  return b;
}

}  // namespace leakhunt::sim
