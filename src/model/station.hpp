// Station description: the value types a parsed station file becomes.
// Every quantity is stored in SI units; names carry the unit.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "gas/species.hpp"

namespace leakhunt::model {

// Where in a description file a thing was written, for messages a controller can act on.
struct SourceLocation {
  std::string file;
  int line = 0;  // 1-based; 0 when unknown (inline or generated)
  int column = 0;
};

struct Atmosphere {
  double pressure_pa = 101325.0;
  double temperature_k = 295.15;
  gas::MoleFractions composition = gas::standardAir();
};

// Limits of a habitable cabin, with sourced defaults (docs/formats.md, "Limits").
struct Limits {
  // The physiological floor for a hatch-closure emergency (record.md: Pettit, 520 mmHg).
  double evacuationPressure_pa = 520.0 * 133.322387415;
  // The ppO2 floor the reserve forecasts count down to.
  double minPpO2_pa = 2.3 * 6894.757;
  // ISS operational limit since 2010: 24-hour average ppCO2 at or below 4 mmHg (5,300 ppm).
  double maxPpCo2_pa = 4.0 * 133.322387415;
  // The nominal ppO2 band, 19.5 to 23.1 kPa (NASA-STD-3000).
  double nominalPpO2Low_pa = 19.5e3;
  double nominalPpO2High_pa = 23.1e3;
  // Relative humidity band, 25 to 75 % (NASA-STD-3001 Vol. 2).
  double minHumidity = 0.25;
  double maxHumidity = 0.75;
};

struct Module {
  std::string id;
  std::string name;
  std::string vehicle;  // lifeboats are vehicles: "soyuz-ms09"
  double volume_m3 = 0.0;
  double wallArea_m2 = 0.0;  // for wall heat transfer and area-weighted priors; default from volume
  // Thermal environment of the gas: set point, orbital day/night swing and its phase.
  std::optional<double> temperature_k;  // set point; default: the atmosphere's
  double orbitalSwing_k = 0.0;          // amplitude of the ~92 min cycle [K]
  double orbitalPhase_rad = 0.0;
  double wallHeatTransfer_w_m2k = 3.0;  // h in Q = h A (T_wall - T), adiabatic-walls only
  // The coldest surface the cabin air touches (a window, a cold plate), where vapour above
  // saturation condenses; default: the gas temperature itself.
  std::optional<double> coldestSurface_k;
  SourceLocation where;
};

// Air an open hatch exchanges both ways when its file says nothing [m^3/s]: the ISS
// intermodule ventilation (IMV) fan flow of 140 cfm (von Jouanne and Barker, "A Description
// and Assessment of Intermodule Ventilation as Planned for International Space Station Alpha",
// SAE 951631, 1995). Without exchange, CO2 and water pile up where the crew is.
inline constexpr double kDefaultHatchExchange_m3_s = 140.0 * 0.3048 * 0.3048 * 0.3048 / 60.0;

struct Hatch {
  std::string id;
  std::string moduleA;
  std::string moduleB;
  double area_m2 = 0.0;
  double cd = 0.8;
  bool open = true;
  bool closable = true;
  double operateTime_s = 300.0;  // crew time to close or open it
  // Inter-module exchange while open (mixes, no net flow); 0 only when a file says so.
  double ventilation_m3_s = kDefaultHatchExchange_m3_s;
  SourceLocation where;
};

struct CrewMember {
  std::string id;
  std::string location;  // module id
  std::string lifeboat;  // vehicle id
  SourceLocation where;
};

enum class LifeSupportKind { O2Generation, Co2Removal, H2oRemoval, Vent };

// A life-support machine. Generators add a species at `rate_kg_s`; removers process
// `flow_m3_s` of cabin air and take out `efficiency` of the target species in it. A condensing
// heat exchanger (h2o_removal with a coil temperature) instead dries the fraction `efficiency`
// of its flow to the coil's dew point.
struct LifeSupport {
  std::string id;
  LifeSupportKind kind = LifeSupportKind::O2Generation;
  std::string module;
  double rate_kg_s = 0.0;
  double flow_m3_s = 0.0;
  double efficiency = 1.0;
  bool vented = false;           // removed gas goes overboard (it leaves the gas either way)
  double spread_fraction = 0.0;  // the true rate wanders this much around the nominal (1 sigma)
  std::optional<double> coilTemperature_k;  // h2o_removal only: a condensing heat exchanger
  SourceLocation where;
};

// RelativeHumidity reads in percent (0 to 100 % RH), what a cabin hygrometer reports and the
// unit the habitability band is written in (docs/formats.md, "Sensors"); every other quantity
// reads in SI.
enum class Quantity {
  Pressure,
  Temperature,
  PartialPressureO2,
  PartialPressureCo2,
  HatchState,
  RelativeHumidity
};

// Percent in a fraction: a humidity reading is the relative humidity (a fraction) times this.
inline constexpr double kPercent = 100.0;

struct Sensor {
  std::string channel;  // "<module>.<quantity>"
  std::string module;   // module id (or hatch id for HatchState)
  Quantity quantity = Quantity::Pressure;
  double noise = 0.0;       // 1 sigma, in the unit the quantity reads in (SI; humidity % RH)
  double resolution = 0.0;  // quantisation step, same unit
  double bias = 0.0;        // constant offset, same unit
  double period_s = 1.0;
  SourceLocation where;
};

// Gas carried for repressurisation (Progress tanks, NORS, ...).
struct RepressTank {
  std::string id;
  std::string module;
  gas::MassFractions composition{};
  double mass_kg = 0.0;
  SourceLocation where;
};

// Crew metabolism per person; nominal values from physics.md section 4.
struct Metabolism {
  double o2Consumption_kg_s = 0.84 / 86400.0;
  double co2Production_kg_s = 1.0 / 86400.0;
  double h2oProduction_kg_s = 1.8 / 86400.0;
  double spread_fraction = 0.1;
};

struct Station {
  std::string name;
  Atmosphere atmosphere;
  std::optional<Limits> limits;
  std::vector<Module> modules;
  std::vector<Hatch> hatches;
  std::vector<CrewMember> crew;
  std::vector<LifeSupport> lifeSupport;
  std::vector<Sensor> sensors;
  std::vector<RepressTank> repressTanks;
  Metabolism metabolism;
  double orbitalPeriod_s = 92.0 * 60.0;
  double temperatureUnmeasured_k = 0.05;  // 1 sigma of gas minus sensed temperature
  SourceLocation where;

  // Index of a module by id, or -1.
  int moduleIndex(const std::string& id) const;
  int hatchIndex(const std::string& id) const;
};

}  // namespace leakhunt::model
