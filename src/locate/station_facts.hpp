// What localisation needs to know about a station beyond its graph: cabin gas constant,
// inventories, which modules carry pressure sensors and life support. Pure functions.
#pragma once

#include <vector>

#include "model/station.hpp"

namespace leakhunt::locate {

struct StationFacts {
  double rMix_j_kgk = 287.0;              // cabin air's specific gas constant
  std::vector<double> inventory_kg;       // per module at the declared atmosphere
  std::vector<double> volume_m3;          // per module
  std::vector<bool> hasPressureSensor;    // per module
  std::vector<bool> hasO2Generation;      // per module
  std::vector<bool> hasCo2Removal;        // per module
  std::vector<double> sourceWander_kg_s;  // per module: 1 sigma of the known sources' wander
  double pressureBlockSigma_pa = 1.0;     // one pressure sensor, one 60 s block mean
  double temperatureUnmeasured_k = 0.05;
  double temperature_k = 295.15;
  double pressure_pa = 101325.0;
  double evacuation_pa = 520.0 * 133.322387415;
};

StationFacts factsOf(const model::Station& station);

}  // namespace leakhunt::locate
