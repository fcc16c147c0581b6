#include "detect/ppo2_level.hpp"

#include <algorithm>

#include "base/confidence.hpp"

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

}  // namespace leakhunt::detect
