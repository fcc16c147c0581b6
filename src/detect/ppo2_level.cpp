#include "detect/ppo2_level.hpp"

#include <algorithm>

#include "base/confidence.hpp"

namespace leakhunt::detect {

PpO2Level ppO2Level(std::span<const PpO2Reading> readings, double declared_pa) {
  if (readings.empty()) return {declared_pa, declared_pa};
  double sum = 0.0, low = readings.front().value_pa - kZ95 * readings.front().blockNoise_pa;
  for (const PpO2Reading& r : readings) {
    sum += r.value_pa;
    low = std::min(low, r.value_pa - kZ95 * r.blockNoise_pa);
  }
  return {sum / static_cast<double>(readings.size()), std::max(0.0, low)};
}

}  // namespace leakhunt::detect
