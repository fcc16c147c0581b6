// Synthetic inventory residuals for the unit tests: white noise per block plus a smooth wander
// built like the simulator's (network::SmoothNoise: a few sinusoids with random periods), an
// integrated rate wander (sources) and a level wander (gas temperature no sensor sees).
#pragma once

#include <cmath>
#include <cstdint>
#include <random>

#include "network/smooth_noise.hpp"

namespace leakhunt::detect::testing {

struct SyntheticNoise {
  double whiteSigma = 0.02;  // [kg] per block
  double rateSigma = 8e-6;   // [kg/s] sd of the sources' wander
  double levelSigma = 0.05;  // [kg] sd of the level wander
  double ratePeriodMin_s = 1800.0, ratePeriodMax_s = 6.0 * 3600.0;
  double levelPeriodMin_s = 3600.0, levelPeriodMax_s = 8.0 * 3600.0;
};

class SyntheticResidual {
 public:
  SyntheticResidual(const SyntheticNoise& n, uint64_t seed)
      : m_n(n),
        m_rng(seed),
        m_rate(seed * 7 + 1, n.ratePeriodMin_s, n.ratePeriodMax_s),
        m_level(seed * 7 + 2, n.levelPeriodMin_s, n.levelPeriodMax_s) {
    // The integral of the rate noise, by the trapezoid rule on a fine step.
  }
  // Residual at time t (advancing monotonically in steps of `dt`), plus a loss that starts at
  // `onset_s` with `rate_kg_s`.
  double next(double t, double dt, double onset_s = 1e300, double lossRate_kg_s = 0.0) {
    const int sub = 10;
    for (int i = 0; i < sub; ++i) {
      const double a = t - dt + dt * i / sub, b = a + dt / sub;
      m_integral += 0.5 * (m_rate.value(a) + m_rate.value(b)) * dt / sub;
    }
    std::normal_distribution<double> normal;
    const double loss = t > onset_s ? lossRate_kg_s * (t - onset_s) : 0.0;
    return m_n.rateSigma * m_integral + m_n.levelSigma * m_level.value(t) +
           m_n.whiteSigma * normal(m_rng) - loss;
  }
  // The sd of the slope wander the detector should be told about (its model, docs/detection.md).
  static double modelLevelSigma(const SyntheticNoise& n, double wanderPeriod_s) {
    const double omega = 2.0 * 3.141592653589793 / wanderPeriod_s;
    return std::sqrt(n.levelSigma * n.levelSigma + (n.rateSigma / omega) * (n.rateSigma / omega));
  }
  static double modelRateSigma(const SyntheticNoise& n, double wanderPeriod_s) {
    const double omega = 2.0 * 3.141592653589793 / wanderPeriod_s;
    return std::sqrt(n.rateSigma * n.rateSigma + n.levelSigma * n.levelSigma * omega * omega);
  }

 private:
  SyntheticNoise m_n;
  std::mt19937_64 m_rng;
  network::SmoothNoise m_rate, m_level;
  double m_integral = 0.0;
};

}  // namespace leakhunt::detect::testing
