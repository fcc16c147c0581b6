#include "locate/reading_noise.hpp"

#include <cmath>
#include <limits>

namespace leakhunt::locate {

double readingSigma(const StationFacts& f, detect::SegmentNoiseSums segment, int crew,
                    double dwell_s, const NoiseOptions& o) {
  if (segment.total.pressureSensors == 0) return std::numeric_limits<double>::infinity();
  segment.crew = crew;
  detect::NoiseScale scale = f.noiseScale;
  scale.wanderPeriod_s = o.wanderPeriod_s;
  const detect::ResidualNoisePrior n = detect::residualNoiseOf(segment, scale);
  return detect::slopeSigma(n.white_kg, n.wanderRate_kg_s, n.wanderLevel_kg,
                            std::floor(dwell_s / o.period_s), o);
}

}  // namespace leakhunt::locate
