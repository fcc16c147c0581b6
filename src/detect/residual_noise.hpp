// The noise model of a segment's cumulative inventory residual (segment_residual.hpp), from
// what the station file declares (docs/detection.md, "Pipeline"): the white noise of a block's
// inventory reading from the pressure and temperature sensors' noise, and the wander of the
// residual's slope from the sources' stated spreads and the unmeasured gas temperature. Split
// out of detector.cpp (issue 12) so that both detectors publish their residual stream with one
// noise model. No I/O.
#pragma once

#include <span>
#include <vector>

#include "detect/sensor_health.hpp"
#include "model/station.hpp"

namespace leakhunt::detect {

struct ResidualNoisePrior {
  double white_kg = 0.0;         // sd of a block's inventory reading
  double wanderRate_kg_s = 0.0;  // sd of the residual's slope wander
  double wanderLevel_kg = 0.0;   // sd of the residual's level wander
};

// For the segment of `members` (module indices): `thermometerOf` and `pressureChannels` per
// module (-1: no thermometer), each channel's block-mean sd from `health`, the crew's places
// (`crewModule`, per Station::crew), each machine's module (machine_rate.hpp's machineModules),
// the cabin air's gas constant, and the period of the wander.
ResidualNoisePrior residualNoisePrior(const model::Station& station, double airGasConstant,
                                      std::span<const int> members,
                                      std::span<const int> thermometerOf,
                                      const std::vector<std::vector<int>>& pressureChannels,
                                      const SensorHealth& health, std::span<const int> crewModule,
                                      std::span<const int> machineModule, double wanderPeriod_s);

}  // namespace leakhunt::detect
