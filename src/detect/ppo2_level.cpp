#include "detect/ppo2_level.hpp"

#include <algorithm>

#include "base/confidence.hpp"
#include "model/steady_air.hpp"

namespace leakhunt::detect {

void PpO2Readings::add(double value_pa, double blockNoise_pa, double aboveLeast_pa) {
  m_sum_pa += value_pa;
  m_low_pa = std::min(m_low_pa, value_pa - std::max(0.0, aboveLeast_pa) - kZ95 * blockNoise_pa);
  ++m_count;
}

PpO2Level PpO2Readings::level(double declared_pa) const {
  if (m_count == 0) return {declared_pa, declared_pa};
  return {m_sum_pa / m_count, std::max(0.0, m_low_pa)};
}

std::vector<double> sensedPpO2Offsets_pa(const model::Station& station) {
  for (const model::Sensor& sensor : station.sensors)
    if (sensor.quantity == model::Quantity::PartialPressureO2)
      return model::steadyPpO2Offsets_pa(station);
  return std::vector<double>(station.modules.size(), 0.0);
}

}  // namespace leakhunt::detect
