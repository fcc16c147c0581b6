#include "locate/reading_noise.hpp"

#include <cmath>
#include <limits>

namespace leakhunt::locate {

void SegmentNoise::add(const StationFacts& f, int module) {
  const auto k = static_cast<std::size_t>(module);
  sensors += f.hasPressureSensor[k] ? 1 : 0;
  volume_m3 += f.volume_m3[k];
  inventorySquares_kg2 += f.inventory_kg[k] * f.inventory_kg[k];
  wanderSquares_kg2_s2 += f.sourceWander_kg_s[k] * f.sourceWander_kg_s[k];
}

double readingSigma(const StationFacts& f, const std::vector<int>& modules, int crew,
                    double dwell_s, const NoiseOptions& o) {
  SegmentNoise segment;
  for (int m : modules) segment.add(f, m);
  return readingSigma(f, segment, crew, dwell_s, o);
}

double readingSigma(const StationFacts& f, const SegmentNoise& segment, int crew, double dwell_s,
                    const NoiseOptions& o) {
  const int sensors = segment.sensors;
  const double volume = segment.volume_m3, massSquares = segment.inventorySquares_kg2,
               wander2 = segment.wanderSquares_kg2_s2;
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
