#include "locate/station_facts.hpp"

#include <algorithm>
#include <cmath>

#include "detect/detector.hpp"
#include "gas/species.hpp"
#include "model/steady_air.hpp"

namespace leakhunt::locate {

StationFacts factsOf(const model::Station& st) {
  StationFacts f;
  const std::size_t n = st.modules.size();
  f.rMix_j_kgk = gas::mixtureProperties(gas::toMassFractions(st.atmosphere.composition)).r_j_kgk;
  f.temperature_k = st.atmosphere.temperature_k;
  f.pressure_pa = st.atmosphere.pressure_pa;
  f.evacuation_pa =
      st.limits ? st.limits->evacuationPressure_pa : model::Limits{}.evacuationPressure_pa;
  f.inventory_kg.resize(n);
  f.volume_m3.resize(n);
  f.hasPressureSensor.assign(n, false);
  f.hasO2Generation.assign(n, false);
  f.hasCo2Removal.assign(n, false);
  for (std::size_t i = 0; i < n; ++i) {
    const model::Module& m = st.modules[i];
    f.volume_m3[i] = m.volume_m3;
    f.inventory_kg[i] = model::nominalInventory_kg(st, i, f.rMix_j_kgk);
  }
  for (const model::Sensor& s : st.sensors)
    if (const int i = st.moduleIndex(s.module); i >= 0 && s.quantity == model::Quantity::Pressure)
      f.hasPressureSensor[static_cast<std::size_t>(i)] = true;
  for (const model::LifeSupport& ls : st.lifeSupport) {
    const int i = st.moduleIndex(ls.module);
    if (i < 0) continue;
    const auto k = static_cast<std::size_t>(i);
    if (ls.kind == model::LifeSupportKind::O2Generation) f.hasO2Generation[k] = true;
    if (ls.kind == model::LifeSupportKind::Co2Removal) f.hasCo2Removal[k] = true;
  }
  const detect::DetectorOptions detector;
  f.noise = detect::declaredModuleNoise(st, f.rMix_j_kgk, detector.blockPeriod_s);
  f.noiseScale = detect::noiseScale(st, f.rMix_j_kgk, detector.test.wanderPeriod_s);
  return f;
}

}  // namespace leakhunt::locate
