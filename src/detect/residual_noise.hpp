// The noise model of a segment's cumulative inventory residual (segment_residual.hpp), from
// what the station file declares (docs/detection.md, "Pipeline"): the white noise of a block's
// inventory reading from the pressure and temperature sensors' noise, and the wander of the
// residual's slope from the sources' stated spreads and the unmeasured gas temperature.
//
// It is the one noise model of the project (issue 12): each module contributes its terms
// (ModuleNoise), a segment sums its members' and its crew's (SegmentNoiseSums), and one
// function turns the sums into the residual's noise. The detectors build the terms from the
// channels they read, the books filter and the planner from the sensors the station declares;
// the planner adds modules one at a time as it tries configurations. No I/O.
#pragma once

#include <span>
#include <vector>

#include "detect/sensor_health.hpp"
#include "detect/wander_shape.hpp"
#include "model/station.hpp"

namespace leakhunt::detect {

struct ResidualNoisePrior {
  double white_kg = 0.0;  // sd of a block's inventory reading
  // The wanders by kind, for the slope-change test (wander_shape.hpp).
  WanderParts wander;
  // The same as one wander of NoiseScale::wanderPeriod_s, for the line fits of slopeSigma: the sd
  // of the residual's slope wander and of its level wander.
  double wanderRate_kg_s = 0.0;
  double wanderLevel_kg = 0.0;
};

// One module's terms.
struct ModuleNoise {
  double inventory_kg = 0.0;              // at the declared atmosphere
  bool thermometer = false;               // a thermometer reads its gas temperature
  double thermometerVar_kg2 = 0.0;        // (M sd(block-mean T) / T)^2; 0 without a thermometer
  double temperatureWanderVar_kg2 = 0.0;  // (M u / T)^2, u = temperature_unmeasured
  double pressureNoise_pa = 0.0;          // summed block-mean sd of its pressure sensors
  int pressureSensors = 0;
  double machineVar_kg2_s2 = 0.0;  // its machines' stated spreads, as cabin air, squared
};

// A segment's sums of its modules' terms, and the crew in it.
struct SegmentNoiseSums {
  ModuleNoise total;
  int crew = 0;
  void add(const ModuleNoise& module);
};

// What the sums are scaled by: the same for every segment of a station.
struct NoiseScale {
  double pressure_pa = 101325.0;  // nominal, turns pressure noise into inventory noise
  double crewWander_kg_s = 0.0;   // one crew member's spread of net cabin air made
  double wanderPeriod_s = 3.0 * 3600.0;
};

NoiseScale noiseScale(const model::Station& station, double airGasConstant, double wanderPeriod_s);
ResidualNoisePrior residualNoiseOf(const SegmentNoiseSums& segment, const NoiseScale& scale);

// Each module's terms from the sensors and machines the station file declares (a sensor's
// block-mean sd as sensorBlockNoise; a module's first thermometer).
std::vector<ModuleNoise> declaredModuleNoise(const model::Station& station, double airGasConstant,
                                             double blockPeriod_s);

// For the segment of `members` (module indices) as a detector reads it: `thermometerOf` and
// `pressureChannels` per module (-1: no thermometer), each channel's block-mean sd from
// `health`, the crew's places (`crewModule`, per Station::crew), each machine's module
// (machine_rate.hpp's machineModules), the cabin air's gas constant, and the period of the
// wander.
ResidualNoisePrior residualNoisePrior(const model::Station& station, double airGasConstant,
                                      std::span<const int> members,
                                      std::span<const int> thermometerOf,
                                      const std::vector<std::vector<int>>& pressureChannels,
                                      const SensorHealth& health, std::span<const int> crewModule,
                                      std::span<const int> machineModule, double wanderPeriod_s);

}  // namespace leakhunt::detect
