// Small stations built inline for the localisation tests.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "model/load.hpp"

namespace leakhunt::locate::testing {

// A core module with life support, a node, a lab, and a Soyuz (orbital module with a
// pressure sensor, descent module without) docked at the node. Two crew, lifeboat the Soyuz.
inline const char* kSmallStation = R"(name: small
atmosphere: {pressure: 750 mmHg, temperature: 22 degC}
limits: {evacuation_pressure: 520 mmHg, min_ppO2: 2.3 psi}
modules:
  - {id: core, volume: 90 m^3, vehicle: station}
  - {id: node, volume: 40 m^3, vehicle: station}
  - {id: lab, volume: 100 m^3, vehicle: station}
  - {id: soyuz-om, volume: 6.5 m^3, vehicle: soyuz}
  - {id: soyuz-da, volume: 4 m^3, vehicle: soyuz}
hatches:
  - {id: core-node, between: [core, node], diameter: 0.8 m}
  - {id: node-lab, between: [node, lab], diameter: 0.8 m}
  - {id: node-soyuz, between: [node, soyuz-om], diameter: 0.8 m}
  - {id: soyuz-om-da, between: [soyuz-om, soyuz-da], diameter: 0.7 m, operate_time: 2 min}
crew:
  - {id: one, location: core, lifeboat: soyuz}
  - {id: two, location: lab, lifeboat: soyuz}
life_support:
  - {id: o2, kind: o2_generation, module: core, rate: 1.7 kg/day}
  - {id: co2, kind: co2_removal, module: core, flow: 20 m^3/h, efficiency: 0.6, vented: true}
sensors:
  - {channel: core.pressure, module: core, quantity: pressure, noise: 0.05 mmHg, resolution: 0.1 mmHg, period: 1 s}
  - {channel: node.pressure, module: node, quantity: pressure, noise: 0.05 mmHg, resolution: 0.1 mmHg, period: 1 s}
  - {channel: lab.pressure, module: lab, quantity: pressure, noise: 0.05 mmHg, resolution: 0.1 mmHg, period: 1 s}
  - {channel: soyuz-om.pressure, module: soyuz-om, quantity: pressure, noise: 0.05 mmHg, resolution: 0.1 mmHg, period: 1 s}
  - {channel: core.temperature, module: core, quantity: temperature, noise: 0.05 K, resolution: 0.01 K, period: 10 s}
  - {channel: lab.temperature, module: lab, quantity: temperature, noise: 0.05 K, resolution: 0.01 K, period: 10 s}
)";

inline model::Station smallStation(const std::string& extra = "") {
  Result<model::Station> s = model::parseStation(std::string(kSmallStation) + extra, "small.yaml");
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  return std::move(s).value();
}

inline model::Station issStation() {
  Result<model::Station> s =
      model::loadStation(std::string(LEAKHUNT_SOURCE_DIR) + "/data/stations/iss-2018.yaml");
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  return std::move(s).value();
}

inline int idx(const model::Station& st, const std::string& id) { return st.moduleIndex(id); }

}  // namespace leakhunt::locate::testing
