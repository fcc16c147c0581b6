// A smooth, seeded random wander with zero mean and unit standard deviation: a sum of a few
// sinusoids with random periods and phases. Smooth, so a stiff integrator need not stop for it;
// deterministic given its seed, so the same seed gives the same bytes.
#pragma once

#include <array>
#include <cstdint>

namespace leakhunt::network {

class SmoothNoise {
 public:
  SmoothNoise() = default;
  // Periods drawn uniformly in [minPeriod_s, maxPeriod_s].
  SmoothNoise(uint64_t seed, double minPeriod_s, double maxPeriod_s);

  double value(double t) const;
  double derivative(double t) const;
  // Both at once, for the price of one (the right-hand side needs both every evaluation).
  void valueAndDerivative(double t, double& value, double& derivative) const;

  static constexpr int kTerms = 4;
  double omega(int term) const { return m_omega[static_cast<std::size_t>(term)]; }
  double phase(int term) const { return m_phase[static_cast<std::size_t>(term)]; }
  static double termWeight() { return 0.7071067811865476; }  // sqrt(2 / kTerms)
  static_assert(kTerms == 4, "termWeight is sqrt(2 / kTerms)");

 private:
  std::array<double, kTerms> m_omega{};
  std::array<double, kTerms> m_phase{};
};

// A rate that wanders around its nominal value: nominal * max(0, 1 + spread * noise(t)).
struct Wander {
  double spread = 0.0;
  SmoothNoise noise;
  double factor(double t) const;
};

}  // namespace leakhunt::network
