// What localisation needs to know about a station beyond its graph: cabin gas constant,
// inventories, which modules carry pressure sensors and life support. Pure functions.
#pragma once

#include <vector>

#include "detect/residual_noise.hpp"
#include "model/station.hpp"

namespace leakhunt::locate {

struct StationFacts {
  double rMix_j_kgk = 287.0;            // cabin air's specific gas constant
  std::vector<double> inventory_kg;     // per module at the declared atmosphere
  std::vector<double> volume_m3;        // per module
  std::vector<bool> hasPressureSensor;  // per module
  std::vector<bool> hasO2Generation;    // per module
  std::vector<bool> hasCo2Removal;      // per module
  // Per module: its terms of the detector's noise model (from the declared sensors, at the
  // detector's 60 s blocks), and what scales their sums (detect/residual_noise.hpp).
  std::vector<detect::ModuleNoise> noise;
  detect::NoiseScale noiseScale;
  double temperature_k = 295.15;
  double pressure_pa = 101325.0;
  double evacuation_pa = 520.0 * 133.322387415;
};

StationFacts factsOf(const model::Station& station);

}  // namespace leakhunt::locate
