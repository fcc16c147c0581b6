#include "detect/machine_rate.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>

#include "gas/species.hpp"

namespace leakhunt::detect {

double machineAirRate_kg_s(const model::Station& station, const model::LifeSupport& machine,
                           double p_pa, double cabinR) {
  const auto airEquivalent = [&](gas::Species sp) {
    return gas::gasConstant(gas::index(sp)) / cabinR;
  };
  if (machine.kind == model::LifeSupportKind::O2Generation)
    return machine.rate_kg_s * airEquivalent(gas::Species::O2);
  if (machine.kind == model::LifeSupportKind::Co2Removal ||
      machine.kind == model::LifeSupportKind::H2oRemoval) {
    const gas::Species sp =
        machine.kind == model::LifeSupportKind::Co2Removal ? gas::Species::CO2 : gas::Species::H2O;
    const double rho = p_pa * station.atmosphere.composition[gas::index(sp)] /
                       (gas::gasConstant(gas::index(sp)) * station.atmosphere.temperature_k);
    return machine.flow_m3_s * machine.efficiency * rho * airEquivalent(sp);
  }
  return machine.rate_kg_s;
}

std::vector<int> machineModules(const model::Station& station) {
  std::unordered_map<std::string, int> byId;  // the first module of an id
  for (std::size_t i = 0; i < station.modules.size(); ++i)
    byId.emplace(station.modules[i].id, static_cast<int>(i));
  std::vector<int> out;
  for (const model::LifeSupport& ls : station.lifeSupport) {
    const auto it = byId.find(ls.module);
    out.push_back(it == byId.end() ? -1 : it->second);
  }
  return out;
}

double segmentKnownSources_kg_s(const model::Station& station, double cabinR,
                                std::span<const int> machineModule, std::span<const int> members,
                                std::span<const int> crewModule, double traceSources_kg_s) {
  const auto inSeg = [&](int m) {
    return std::find(members.begin(), members.end(), m) != members.end();
  };
  const double o2 = gas::gasConstant(gas::index(gas::Species::O2)) / cabinR;
  double s = traceSources_kg_s;
  for (std::size_t l = 0; l < station.lifeSupport.size(); ++l) {
    const model::LifeSupport& ls = station.lifeSupport[l];
    if (!inSeg(machineModule[l])) continue;
    if (ls.kind == model::LifeSupportKind::O2Generation)
      s += ls.rate_kg_s * o2;
    else if (ls.kind == model::LifeSupportKind::Vent)
      s -= ls.rate_kg_s;
  }
  const model::Metabolism& met = station.metabolism;
  for (int m : crewModule)
    if (inSeg(m)) s -= met.o2Consumption_kg_s * o2;
  return s;
}

}  // namespace leakhunt::detect
