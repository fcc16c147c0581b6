#include "locate/station_facts.hpp"

#include <algorithm>
#include <cmath>

#include "gas/species.hpp"
#include "model/steady_air.hpp"

namespace leakhunt::locate {

StationFacts factsOf(const model::Station& st) {
  StationFacts f;
  const std::size_t n = st.modules.size();
  f.rMix_j_kgk = gas::mixtureProperties(gas::toMassFractions(st.atmosphere.composition)).r_j_kgk;
  f.temperature_k = st.atmosphere.temperature_k;
  f.pressure_pa = st.atmosphere.pressure_pa;
  f.temperatureUnmeasured_k = st.temperatureUnmeasured_k;
  f.evacuation_pa =
      st.limits ? st.limits->evacuationPressure_pa : model::Limits{}.evacuationPressure_pa;
  f.inventory_kg.resize(n);
  f.volume_m3.resize(n);
  f.hasPressureSensor.assign(n, false);
  f.hasO2Generation.assign(n, false);
  f.hasCo2Removal.assign(n, false);
  f.sourceWander_kg_s.assign(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const model::Module& m = st.modules[i];
    f.volume_m3[i] = m.volume_m3;
    f.inventory_kg[i] = model::nominalInventory_kg(st, i, f.rMix_j_kgk);
  }
  double noise = 0.0;
  int sensors = 0;
  for (const model::Sensor& s : st.sensors) {
    if (s.quantity != model::Quantity::Pressure) continue;
    const int i = st.moduleIndex(s.module);
    if (i < 0) continue;
    f.hasPressureSensor[static_cast<std::size_t>(i)] = true;
    // White noise plus quantisation, averaged over one 60 s block (docs/detection.md 2).
    const double perSample = std::sqrt(s.noise * s.noise + s.resolution * s.resolution / 12.0);
    noise += perSample / std::sqrt(std::max(1.0, 60.0 / std::max(s.period_s, 1e-3)));
    ++sensors;
  }
  if (sensors > 0) f.pressureBlockSigma_pa = noise / sensors;
  for (const model::LifeSupport& ls : st.lifeSupport) {
    const int i = st.moduleIndex(ls.module);
    if (i < 0) continue;
    const auto k = static_cast<std::size_t>(i);
    if (ls.kind == model::LifeSupportKind::O2Generation) f.hasO2Generation[k] = true;
    if (ls.kind == model::LifeSupportKind::Co2Removal) f.hasCo2Removal[k] = true;
    f.sourceWander_kg_s[k] += ls.spread_fraction * ls.rate_kg_s;
  }
  return f;
}

}  // namespace leakhunt::locate
