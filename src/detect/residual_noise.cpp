#include "detect/residual_noise.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "detect/machine_rate.hpp"
#include "gas/species.hpp"
#include "model/steady_air.hpp"

namespace leakhunt::detect {

ResidualNoisePrior residualNoisePrior(const model::Station& station, double airGasConstant,
                                      std::span<const int> members,
                                      std::span<const int> thermometerOf,
                                      const std::vector<std::vector<int>>& pressureChannels,
                                      const SensorHealth& health, std::span<const int> crewModule,
                                      std::span<const int> machineModule, double wanderPeriod_s) {
  const double r = airGasConstant;
  const auto airEquivalent = [&](gas::Species sp) { return gas::gasConstant(gas::index(sp)) / r; };
  const auto contains = [&](int m) {
    return std::find(members.begin(), members.end(), m) != members.end();
  };
  // Prior white noise of the block inventory from the sensor specifications, and the wander
  // of the sources' rates from their stated spreads (docs/detection.md).
  double inventory = 0.0, tempVar = 0.0, tempWander = 0.0;
  double pressureNoise = 0.0;
  int pressureSensors = 0;
  const double p = station.atmosphere.pressure_pa;
  for (int m : members) {
    const std::size_t i = static_cast<std::size_t>(m);
    const double t = model::gasTemperature(station, i);
    const double mi = model::nominalInventory_kg(station, i, r);
    inventory += mi;
    if (thermometerOf[i] >= 0) {
      const double s = health.channel(thermometerOf[i]).blockNoise;
      tempVar += (mi * s / t) * (mi * s / t);
    }
    const double u = station.temperatureUnmeasured_k / t;
    tempWander += (mi * u) * (mi * u);
    for (int c : pressureChannels[i]) {
      pressureNoise += health.channel(c).blockNoise;
      ++pressureSensors;
    }
  }
  double pVar = 0.0;
  if (pressureSensors > 0) {
    const double s = pressureNoise / pressureSensors * 1.25 / std::sqrt(pressureSensors);
    pVar = (inventory * s / p) * (inventory * s / p);
  }
  const double white = std::max(std::sqrt(pVar + tempVar), 1e-6 * inventory);
  const double omega = 2.0 * std::numbers::pi / wanderPeriod_s;
  double sourceVar = 0.0;
  for (std::size_t l = 0; l < station.lifeSupport.size(); ++l) {
    const model::LifeSupport& ls = station.lifeSupport[l];
    if (!contains(machineModule[l])) continue;
    const double rate = machineAirRate_kg_s(station, ls, p, r);
    sourceVar += (ls.spread_fraction * rate) * (ls.spread_fraction * rate);
  }
  const model::Metabolism& met = station.metabolism;
  const double crewNet = met.co2Production_kg_s * airEquivalent(gas::Species::CO2) +
                         met.h2oProduction_kg_s * airEquivalent(gas::Species::H2O) -
                         met.o2Consumption_kg_s * airEquivalent(gas::Species::O2);
  for (int m : crewModule)
    if (contains(m)) sourceVar += (met.spread_fraction * crewNet) * (met.spread_fraction * crewNet);
  const double wanderVar = sourceVar + tempWander * omega * omega;
  // Level wander: the unseen gas temperature, plus the integral of the sources' wander.
  const double levelVar = tempWander + sourceVar / (omega * omega);
  return {white, std::sqrt(wanderVar), std::sqrt(levelVar)};
}

}  // namespace leakhunt::detect
