// The CO2 and water each module settles to, from a station's declared numbers alone (no
// simulation): the crew make them where they are, removers and condensing heat exchangers take
// them out, open hatches exchange air, and water above saturation at the coldest surface
// condenses (docs/simulator.md). `check` warns from this before anyone runs a simulation.
#pragma once

#include <vector>

#include "model/station.hpp"

namespace leakhunt::model {

struct SteadyAir {
  // Per module, in station order. Infinity where nothing the crew's air reaches removes CO2.
  std::vector<double> ppCo2_pa;
  // Capped at saturation (what would rise above condenses).
  std::vector<double> ppH2o_pa;
  std::vector<double> relativeHumidity;  // ppH2O over saturation at the gas temperature
  std::vector<bool> condensing;          // held at saturation at its coldest surface
  // Something in the module's group removes water (else its vapour, if crewed, is saturated
  // only in the long run: how soon depends on how long the station has run).
  std::vector<bool> waterRemoved;
  // Modules that exchange air (joined by open hatches that ventilate), as a group per module:
  // a closed hatch, or an open one with `ventilation: 0 m^3/s`, carries no CO2 across.
  std::vector<int> segmentOf;
};

// Well mixed within each module; each open hatch exchanges its ventilation both ways. For one
// module with removal Q*eta: ppCO2 = production * R * T / (Q * eta).
SteadyAir steadyAir(const Station& station);

// Each module's ppO2 above its group's volume-weighted mean [Pa], per module in station order: O2
// is made in one or two modules and breathed where the crew are, and the fans carry it between
// them, so a crewed module far from the generators runs low. Zero in a module that exchanges
// with none. Apart from steadyAir: only a reader of ppO2 sensors needs it, and on a chain of
// 10,000 modules its solve took `check` from 11.9 to 14.2 s.
std::vector<double> steadyPpO2Offsets_pa(const Station& station);

// The module's gas temperature the steady state uses [K]: its set point, else the station's.
double gasTemperature(const Station& station, std::size_t module);

// The module's air at the station's declared pressure and its gas temperature [kg], for a gas
// of `gasConstant_j_kgk` (the cabin air's): the one nominal inventory the detectors' noise
// models and books and the planner's facts all start from (issue 12).
double nominalInventory_kg(const Station& station, std::size_t module, double gasConstant_j_kgk);
// The air the whole station holds at its declared atmosphere [kg], every module at its set
// point, with the cabin air's gas constant from the declared composition.
double nominalStationInventory_kg(const Station& station);

}  // namespace leakhunt::model
