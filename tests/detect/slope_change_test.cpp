#include "detect/slope_change_test.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>

#include "detect/slope_change.hpp"

namespace leakhunt::detect {
namespace {

TEST(SlopeChangeWindow, exact_kink_is_recovered) {
  SlopeChangeWindow w(1000);
  for (int k = 0; k < 200; ++k) {
    const double t = 60.0 * k;
    const double y = 5.0 + 1e-3 * t - 2e-3 * std::max(0.0, t - 60.0 * 120);
    w.push(t, y, 1e9 + t);
  }
  w.prepare();
  const SlopeChangeFit fit = w.fit(w.first(), w.first() + 120, w.last());
  EXPECT_NEAR(fit.rate, 2e-3, 1e-12);
  EXPECT_NEAR(fit.testLength_s, 60.0 * 79, 1e-9);
}

TEST(SlopeChangeWindow, white_variance_of_a_continuous_kink_is_3_over_f_T3) {
  // With a much longer baseline than test window the level at the onset is known, so the new
  // slope is a line through a known point: var(L) -> 1/sum v^2 = 3 / (f T^3) per unit noise
  // (a quarter of physics.md's 12/(f T^3), which is for a free level and slope).
  SlopeChangeWindow w(5000);
  for (int k = 0; k < 3000; ++k) w.push(k, 0.0, k);
  w.prepare();
  const int n = 100;
  const SlopeChangeFit fit = w.fit(w.first(), w.last() - n + 1, w.last());
  const double T = n - 1;
  EXPECT_NEAR(fit.whiteVariance / (3.0 / (T * T * T)), 1.0, 0.12);
}

TEST(SlopeChangeWindow, drops_old_points_without_losing_sequence) {
  SlopeChangeWindow w(10);
  for (int k = 0; k < 25; ++k) w.push(k, 2.0 * k, k);
  EXPECT_EQ(w.last(), 24u);
  EXPECT_DOUBLE_EQ(w.value(24), 48.0);
  EXPECT_LE(w.size(), 10u);
  EXPECT_EQ(w.firstAtOrAfter(20.0), 20u);
}

TEST(NormalQuantile, known_values) {
  EXPECT_NEAR(normalUpperQuantile(0.025), 1.959964, 1e-5);
  EXPECT_NEAR(normalUpperQuantile(1e-7), 5.199338, 1e-5);
}

}  // namespace
}  // namespace leakhunt::detect
