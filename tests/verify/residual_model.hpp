// Synthetic residual inventories for the after-the-hole tests and the Monte Carlo driver:
// the detector tests' noise model (tests/detect/synthetic.hpp: white noise per block, source
// rate wander, level wander built like the simulator's), a loss of a chosen profile, and gaps
// where the detector drops increments (represses): there the effective time stands still and
// the level step is not seen, exactly as detect::Detector hands its residual over.
#pragma once

#include <cmath>
#include <cstdint>
#include <functional>
#include <vector>

#include "detect/synthetic.hpp"
#include "verify/residual_tap.hpp"

namespace leakhunt::verify::testing {

// Cumulative loss [kg] at time t of a leak of final rate `rate` starting at `onset`.
inline double stepLoss(double t, double onset, double rate) {
  return t > onset ? rate * (t - onset) : 0.0;
}
inline double rampLoss(double t, double onset, double duration, double rate) {
  const double v = t - onset;
  if (v <= 0.0) return 0.0;
  return v < duration ? rate * 0.5 * v * v / duration : rate * (v - 0.5 * duration);
}

struct Gap {
  double start_s, end_s;
};

struct SeriesSpec {
  detect::testing::SyntheticNoise noise;
  uint64_t seed = 1;
  double start_s = 0.0, duration_s = 86400.0, period_s = 60.0;
  std::function<double(double)> loss = [](double) { return 0.0; };  // cumulative [kg]
  std::vector<Gap> gaps;
};

inline std::vector<ResidualPoint> syntheticSeries(const SeriesSpec& s) {
  detect::testing::SyntheticResidual noise(s.noise, s.seed);
  std::vector<ResidualPoint> out;
  out.reserve(static_cast<std::size_t>(s.duration_s / s.period_s) + 1);
  double tau = 0.0, y = 0.0, previous = 0.0;
  bool havePrevious = false;
  std::size_t g = 0;
  for (double t = s.start_s + s.period_s; t <= s.start_s + s.duration_s; t += s.period_s) {
    const double raw = noise.next(t - s.start_s, s.period_s) - s.loss(t);
    while (g < s.gaps.size() && s.gaps[g].end_s < t - s.period_s) ++g;
    const bool dropped =
        g < s.gaps.size() && s.gaps[g].start_s <= t && t - s.period_s <= s.gaps[g].end_s;
    if (!dropped && havePrevious) {
      y += raw - previous;
      tau += s.period_s;
      out.push_back({t, tau, y});
    }
    previous = raw;
    havePrevious = true;
  }
  return out;
}

}  // namespace leakhunt::verify::testing
