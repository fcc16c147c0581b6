// Sensor models: noise, quantisation, bias, period, and faults (dropout, bias jump, stuck).
// Deterministic given the scenario's seed: one random stream per sensor.
#pragma once

#include <optional>
#include <random>
#include <vector>

#include "base/truth_wall.hpp"
#include "model/scenario.hpp"

namespace leakhunt::sim {

struct SensorFault {
  double from_s = 0.0;
  double until_s = 0.0;
  model::SensorFaultKind kind = model::SensorFaultKind::Dropout;
  double bias = 0.0;
};

class SensorModel {
 public:
  SensorModel(const model::Sensor& sensor, uint64_t seed, std::vector<SensorFault> faults);

  // The reading at time t of a quantity whose true value is `truth`, or nothing (dropout).
  std::optional<double> read(double t, double truth);
  const model::Sensor& sensor() const { return m_sensor; }

 private:
  model::Sensor m_sensor;
  std::mt19937_64 m_rng;
  std::normal_distribution<double> m_normal;
  std::vector<SensorFault> m_faults;
  std::optional<double> m_last;
};

// The faults of each sensor, from the scenario's events, in the order of station.sensors.
std::vector<std::vector<SensorFault>> sensorFaults(const model::Scenario& scenario);

}  // namespace leakhunt::sim
