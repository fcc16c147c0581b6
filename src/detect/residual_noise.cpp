#include "detect/residual_noise.hpp"

#include <algorithm>
#include <cmath>

#include "detect/machine_rate.hpp"
#include "gas/species.hpp"
#include "model/steady_air.hpp"

namespace leakhunt::detect {
namespace {

// A module's terms apart from its sensors: inventory, unseen temperature, machines.
ModuleNoise moduleTerms(const model::Station& station, double r, std::size_t module,
                        std::span<const int> machineModule) {
  ModuleNoise n;
  const double t = model::gasTemperature(station, module);
  n.inventory_kg = model::nominalInventory_kg(station, module, r);
  const double u = n.inventory_kg * station.temperatureUnmeasured_k / t;
  n.temperatureWanderVar_kg2 = u * u;
  const double p = station.atmosphere.pressure_pa;
  for (std::size_t l = 0; l < station.lifeSupport.size(); ++l) {
    if (machineModule[l] != static_cast<int>(module)) continue;
    const model::LifeSupport& ls = station.lifeSupport[l];
    const double spread = ls.spread_fraction * machineAirRate_kg_s(station, ls, p, r);
    n.machineVar_kg2_s2 += spread * spread;
  }
  return n;
}

void addThermometer(ModuleNoise& n, const model::Station& station, std::size_t module,
                    double blockNoise_k) {
  const double s = n.inventory_kg * blockNoise_k / model::gasTemperature(station, module);
  n.thermometer = true;
  n.thermometerVar_kg2 = s * s;
}

}  // namespace

void SegmentNoiseSums::add(const ModuleNoise& m) {
  total.inventory_kg += m.inventory_kg;
  total.thermometer = total.thermometer || m.thermometer;
  total.thermometerVar_kg2 += m.thermometerVar_kg2;
  total.temperatureWanderVar_kg2 += m.temperatureWanderVar_kg2;
  total.pressureNoise_pa += m.pressureNoise_pa;
  total.pressureSensors += m.pressureSensors;
  total.machineVar_kg2_s2 += m.machineVar_kg2_s2;
}

NoiseScale noiseScale(const model::Station& station, double r, double wanderPeriod_s) {
  const auto airEquivalent = [&](gas::Species sp) { return gas::gasConstant(gas::index(sp)) / r; };
  const model::Metabolism& met = station.metabolism;
  const double crewNet = met.co2Production_kg_s * airEquivalent(gas::Species::CO2) +
                         met.h2oProduction_kg_s * airEquivalent(gas::Species::H2O) -
                         met.o2Consumption_kg_s * airEquivalent(gas::Species::O2);
  return {station.atmosphere.pressure_pa, met.spread_fraction * crewNet, wanderPeriod_s};
}

ResidualNoisePrior residualNoiseOf(const SegmentNoiseSums& segment, const NoiseScale& scale) {
  const ModuleNoise& s = segment.total;
  const double p = scale.pressure_pa;
  // The pressure sensors' mean block sd, a quarter more for the median's efficiency
  // (SensorHealth::consensus), over the root of their number.
  double pVar = 0.0;
  if (s.pressureSensors > 0) {
    const double sd =
        s.pressureNoise_pa / s.pressureSensors * 1.25 / std::sqrt(double(s.pressureSensors));
    pVar = (s.inventory_kg * sd / p) * (s.inventory_kg * sd / p);
  }
  const double white = std::max(std::sqrt(pVar + s.thermometerVar_kg2), 1e-6 * s.inventory_kg);
  const double sourceVar =
      s.machineVar_kg2_s2 + segment.crew * scale.crewWander_kg_s * scale.crewWander_kg_s;
  const WanderParts wander{std::sqrt(sourceVar), std::sqrt(s.temperatureWanderVar_kg2)};
  const OnePeriodWander one = onePeriodWander(wander, scale.wanderPeriod_s);
  return {white, wander, one.rate_kg_s, one.level_kg};
}

std::vector<ModuleNoise> declaredModuleNoise(const model::Station& station, double r,
                                             double blockPeriod_s) {
  const std::vector<int> machines = machineModules(station);
  std::vector<ModuleNoise> out;
  for (std::size_t i = 0; i < station.modules.size(); ++i)
    out.push_back(moduleTerms(station, r, i, machines));
  for (const model::Sensor& s : station.sensors) {
    const int m = station.moduleIndex(s.module);
    if (m < 0) continue;
    const auto k = static_cast<std::size_t>(m);
    const double sd = sensorBlockNoise(s, blockPeriod_s);
    if (s.quantity == model::Quantity::Pressure) {
      out[k].pressureNoise_pa += sd;
      ++out[k].pressureSensors;
    } else if (s.quantity == model::Quantity::Temperature && !out[k].thermometer) {
      addThermometer(out[k], station, k, sd);
    }
  }
  return out;
}

ResidualNoisePrior residualNoisePrior(const model::Station& station, double r,
                                      std::span<const int> members,
                                      std::span<const int> thermometerOf,
                                      const std::vector<std::vector<int>>& pressureChannels,
                                      const SensorHealth& health, std::span<const int> crewModule,
                                      std::span<const int> machineModule, double wanderPeriod_s) {
  SegmentNoiseSums sums;
  for (int m : members) {
    const auto i = static_cast<std::size_t>(m);
    ModuleNoise n = moduleTerms(station, r, i, machineModule);
    if (thermometerOf[i] >= 0)
      addThermometer(n, station, i, health.channel(thermometerOf[i]).blockNoise);
    for (int c : pressureChannels[i]) {
      n.pressureNoise_pa += health.channel(c).blockNoise;
      ++n.pressureSensors;
    }
    sums.add(n);
  }
  for (int m : crewModule)
    if (std::find(members.begin(), members.end(), m) != members.end()) ++sums.crew;
  return residualNoiseOf(sums, noiseScale(station, r, wanderPeriod_s));
}

}  // namespace leakhunt::detect
