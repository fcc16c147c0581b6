#include "sim/sensors.hpp"

#include <algorithm>
#include <cmath>

namespace leakhunt::sim {

SensorModel::SensorModel(const model::Sensor& sensor, uint64_t seed,
                         std::vector<SensorFault> faults)
    : m_sensor(sensor), m_rng(seed), m_faults(std::move(faults)) {}

std::optional<double> SensorModel::read(double t, double truth) {
  // The noise is drawn whether or not a fault hides it, so a fault changes nothing else.
  const double noise = m_sensor.noise * m_normal(m_rng);
  double bias = m_sensor.bias;
  for (const SensorFault& f : m_faults) {
    if (t < f.from_s || t >= f.until_s) continue;
    switch (f.kind) {
      case model::SensorFaultKind::Dropout:
        return std::nullopt;
      case model::SensorFaultKind::Stuck:
        if (m_last) return m_last;
        break;
      case model::SensorFaultKind::BiasJump:
        bias += f.bias;
        break;
    }
  }
  double v = truth + bias + noise;
  if (m_sensor.resolution > 0.0) v = std::round(v / m_sensor.resolution) * m_sensor.resolution;
  // Every quantity sensed is absolute (pressure, temperature, partial pressure, a hatch's 0 or
  // 1): a gauge on an emptied module reads 0, never the noise below it (issue 21, item 3).
  v = std::max(0.0, v);
  // A hygrometer's scale ends at saturation: its noise does not carry it past 100 % RH.
  if (m_sensor.quantity == model::Quantity::RelativeHumidity) v = std::min(model::kPercent, v);
  m_last = v;
  return v;
}

std::vector<std::vector<SensorFault>> sensorFaults(const model::Scenario& scenario) {
  const auto& sensors = scenario.station.sensors;
  std::vector<std::vector<SensorFault>> faults(sensors.size());
  for (const model::Event& ev : scenario.events) {
    const auto* f = std::get_if<model::SensorFaultEvent>(&ev.action);
    if (!f) continue;
    for (std::size_t s = 0; s < sensors.size(); ++s) {
      if (sensors[s].channel != f->channel) continue;
      const double until = f->duration_s > 0.0 ? ev.time_s + f->duration_s : 1e300;
      faults[s].push_back({ev.time_s, until, f->kind, f->bias});
    }
  }
  return faults;
}

}  // namespace leakhunt::sim
