// The time-varying inputs of a gas network: which hatches are open, the leaks' effective areas,
// the true source and sink rates, and the gas temperatures. The scenario runner builds them
// from events; the network only evaluates them. Times are seconds since the scenario start.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "gas/species.hpp"
#include "network/smooth_noise.hpp"

namespace leakhunt::network {

// One piece of a leak's effective-area history, valid on [t0, t1).
struct CdaPiece {
  double t0_s = 0.0;
  double t1_s = 0.0;
  double cda0_m2 = 0.0;
  double cda1_m2 = 0.0;
  bool exponential = false;  // geometric instead of linear interpolation
};

struct LeakInput {
  std::string id;
  int module = -1;
  std::vector<CdaPiece> pieces;  // in time order; zero before the first, last value after
  double cda(double t) const;    // [m^2]
};

// A species generated (positive) at a wandering rate: O2 generation.
struct GeneratorInput {
  int module = -1;
  std::size_t species = 0;
  double rate_kg_s = 0.0;
  Wander wander;
};

// A machine that processes cabin air and takes out a fraction of one species (CO2, H2O), or
// a vent that removes gas at the cabin's composition (species < 0). A condensing heat exchanger
// (H2O with a coil temperature) instead takes the vapour in its flow down to the coil's dew
// point: the fraction `efficiency` of the flow that meets the coil leaves it saturated there.
struct RemoverInput {
  int module = -1;
  int species = -1;
  double flow_m3_s = 0.0;  // for species removers
  double efficiency = 1.0;
  double rate_kg_s = 0.0;  // for vents
  Wander wander;
  double coilTemperature_k = 0.0;  // > 0: a condensing heat exchanger at this coil temperature
};

struct CrewInput {
  std::vector<std::pair<double, int>> locations;  // (from time, module), in time order
  Wander wander;
  int moduleAt(double t) const;
};

struct RepressInput {
  int module = -1;
  double t0_s = 0.0;
  double t1_s = 0.0;
  double rate_kg_s = 0.0;  // true delivered rate
  gas::MassFractions composition{};
};

struct HatchInput {
  int moduleA = -1;
  int moduleB = -1;
  double cda_m2 = 0.0;
  double ventilation_m3_s = 0.0;
  std::vector<std::pair<double, bool>> states;  // (from time, open), in time order
  bool openAt(double t) const;
};

// Gas temperature of a module: set point (approached with a thermal time constant after a
// change), the orbital day/night swing, and a small wander that no sensor sees.
struct ModuleThermal {
  double setPoint_k = 295.15;
  std::vector<std::pair<double, double>> setPointChanges;  // (time, new set point)
  double swing_k = 0.0;
  double orbitalOmega_rad_s = 0.0;
  double phase_rad = 0.0;
  double unmeasured_k = 0.0;
  SmoothNoise unmeasuredNoise;
  double responseTime_s = 1200.0;
  // The module's coldest surface [K], where vapour above saturation condenses; 0: the gas
  // itself (vapour can never exceed saturation at the gas temperature).
  double coldSurface_k = 0.0;

  double setPoint(double t, double* rate_k_s = nullptr) const;  // [K], and its rate [K/s]
  double sensed(double t) const;   // what an ideal thermometer on the wall reads [K]
  double gas(double t) const;      // the gas itself [K]
  double gasRate(double t) const;  // d(gas)/dt [K/s]
  void gasAndRate(double t, double& gas_k, double& rate_k_s) const;  // both, cheaper
};

struct Metabolism {
  double o2_kg_s = 0.0;
  double co2_kg_s = 0.0;
  double h2o_kg_s = 0.0;
};

struct NetworkInputs {
  std::vector<HatchInput> hatches;
  std::vector<LeakInput> leaks;
  std::vector<GeneratorInput> generators;
  std::vector<RemoverInput> removers;
  std::vector<CrewInput> crew;
  std::vector<RepressInput> represses;
  std::vector<ModuleThermal> thermal;  // one per module
  Metabolism metabolism;

  // Times where an input jumps: the integrator must stop there.
  std::vector<double> breakpoints() const;
};

}  // namespace leakhunt::network
