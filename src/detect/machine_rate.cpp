#include "detect/machine_rate.hpp"

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

}  // namespace leakhunt::detect
