#include "network/smooth_noise.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

namespace leakhunt::network {

SmoothNoise::SmoothNoise(uint64_t seed, double minPeriod_s, double maxPeriod_s) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> period(minPeriod_s, maxPeriod_s);
  std::uniform_real_distribution<double> phase(0.0, 2.0 * std::numbers::pi);
  for (int k = 0; k < kTerms; ++k) {
    m_omega[k] = 2.0 * std::numbers::pi / period(rng);
    m_phase[k] = phase(rng);
  }
}

// Each term has variance 1/2 over time; the sum of kTerms scaled by sqrt(2/kTerms) has unit
// variance.
double SmoothNoise::value(double t) const {
  double v = 0.0;
  for (int k = 0; k < kTerms; ++k) v += std::sin(m_omega[k] * t + m_phase[k]);
  return v * termWeight();
}

double SmoothNoise::derivative(double t) const {
  double v = 0.0;
  for (int k = 0; k < kTerms; ++k) v += m_omega[k] * std::cos(m_omega[k] * t + m_phase[k]);
  return v * termWeight();
}

void SmoothNoise::valueAndDerivative(double t, double& value, double& derivative) const {
  double v = 0.0, d = 0.0;
  for (int k = 0; k < kTerms; ++k) {
    double sine = 0.0, cosine = 0.0;
    ::sincos(m_omega[k] * t + m_phase[k], &sine, &cosine);
    v += sine;
    d += m_omega[k] * cosine;
  }
  const double scale = termWeight();
  value = v * scale;
  derivative = d * scale;
}

double Wander::factor(double t) const {
  if (spread == 0.0) return 1.0;
  return std::max(0.0, 1.0 + spread * noise.value(t));
}

}  // namespace leakhunt::network
