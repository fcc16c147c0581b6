#include "locate/reading_noise.hpp"

#include <cmath>
#include <limits>

namespace leakhunt::locate {

double readingSigma(const StationFacts& f, const std::vector<int>& modules, int crew,
                    double dwell_s, const NoiseOptions& o) {
  int sensors = 0;
  double volume = 0.0, massSquares = 0.0, wander2 = 0.0;
  for (int m : modules) {
    const auto k = static_cast<std::size_t>(m);
    sensors += f.hasPressureSensor[k] ? 1 : 0;
    volume += f.volume_m3[k];
    massSquares += f.inventory_kg[k] * f.inventory_kg[k];
    wander2 += f.sourceWander_kg_s[k] * f.sourceWander_kg_s[k];
  }
  if (sensors == 0 || dwell_s < 2.0 * o.blockPeriod_s)
    return std::numeric_limits<double>::infinity();
  const double n = std::floor(dwell_s / o.blockPeriod_s);
  const double sigmaM =
      f.pressureBlockSigma_pa / std::sqrt(sensors) * volume / (f.rMix_j_kgk * f.temperature_k);
  const double white2 =
      sigmaM * sigmaM * 12.0 / (n * (n * n - 1.0)) / (o.blockPeriod_s * o.blockPeriod_s);
  const double level = o.levelFactor * std::sqrt(massSquares) * f.temperatureUnmeasured_k /
                       f.temperature_k / dwell_s;
  const double metabolism = 0.1 * 0.84 / 86400.0 * crew;  // 10 % spread of crew O2 use
  return std::sqrt(white2 + level * level + wander2 + metabolism * metabolism);
}

}  // namespace leakhunt::locate
