// The wander's effect on a fitted change of slope, against a brute-force Monte Carlo: the
// simulator's own generator (network::SmoothNoise, the periods it draws), sampled each minute,
// fitted by the detector's own window (SlopeChangeWindow), over many seeds.
#include "detect/wander_shape.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>

#include "detect/slope_change.hpp"
#include "network/smooth_noise.hpp"

namespace leakhunt::detect {
namespace {

struct Spread {
  double source = 0.0, temperature = 0.0;  // variance of c per unit wander
};

// c's variance over `seeds` draws of each wander, fitted over [t0 - reference, t0 + test].
Spread monteCarlo(SlopeFit shape, double reference_s, double test_s, int seeds) {
  const double dt = 60.0;
  const int n = int(std::lround((reference_s + test_s) / dt)) + 1;
  const uint64_t onset = uint64_t(std::lround(reference_s / dt));
  Spread s;
  for (int seed = 0; seed < seeds; ++seed) {
    const network::SmoothNoise rate(1000 + seed, WanderPeriods::sourceMin_s,
                                    WanderPeriods::sourceMax_s);
    const network::SmoothNoise level(5000 + seed, WanderPeriods::temperatureMin_s,
                                     WanderPeriods::temperatureMax_s);
    SlopeChangeWindow src(std::size_t(n) + 16), tmp(std::size_t(n) + 16);
    // The rate's integral in closed form: each term's antiderivative, from the generator's
    // own frequencies and phases.
    const auto integral = [&](double t) {
      double sum = 0.0;
      for (int k = 0; k < network::SmoothNoise::kTerms; ++k)
        sum -= network::SmoothNoise::termWeight() * std::cos(rate.omega(k) * t + rate.phase(k)) /
               rate.omega(k);
      return sum;
    };
    for (int k = 0; k < n; ++k) {
      const double t = 7.0 * 86400.0 * (seed % 5) + k * dt;  // a different stretch per seed
      src.push(k * dt, integral(t), k * dt);
      tmp.push(k * dt, level.value(t), k * dt);
    }
    src.prepare();
    tmp.prepare();
    const auto c = [&](const SlopeChangeWindow& w) {
      return shape == SlopeFit::Hinge ? w.fit(0, onset, uint64_t(n - 1)).rate
                                      : w.fitFlat(0, onset, uint64_t(n - 1)).rate;
    };
    s.source += c(src) * c(src);
    s.temperature += c(tmp) * c(tmp);
  }
  s.source /= seeds;
  s.temperature /= seeds;
  return s;
}

struct Case {
  SlopeFit shape;
  double reference_s, test_s;
};

TEST(WanderShape, the_spectral_variance_matches_a_monte_carlo_of_the_generators_and_the_fit) {
  const Case cases[] = {
      {SlopeFit::Hinge, 7.0 * 3600.0, 360.0},    // a long reference, a short test: the tilt
      {SlopeFit::Hinge, 3600.0, 3600.0},         // the shortest reference
      {SlopeFit::Hinge, 24.0 * 3600.0, 7200.0},  // a day's reference
      {SlopeFit::Flat, 7200.0, 4.0 * 3600.0},    // the slow branch
  };
  for (const Case& k : cases) {
    const Spread mc = monteCarlo(k.shape, k.reference_s, k.test_s, 2000);
    const double src = unitSourceSlopeVariance(k.shape, k.reference_s, k.test_s);
    const double tmp = unitTemperatureSlopeVariance(k.shape, k.reference_s, k.test_s);
    // 2000 draws of a squared, nearly Gaussian sum: about 3 % sd of the mean; 10 % is 3 sd.
    EXPECT_NEAR(src / mc.source, 1.0, 0.10) << k.reference_s << " s, " << k.test_s << " s";
    EXPECT_NEAR(tmp / mc.temperature, 1.0, 0.10) << k.reference_s << " s, " << k.test_s << " s";
  }
}

// Over the lengths the detectors fit (reference 1 to 24 h, test 3 min to 24 h, whole minutes),
// between the table's points: the worst relative error of the variance, per kind and shape, in
// three bands of test length (docs/detection.md quotes these).
TEST(WanderShape, the_table_reads_the_direct_computation_between_its_points) {
  const double bound[3] = {0.02, 0.06, 0.08};  // test under 2 h, 2 to 8 h, over 8 h
  for (const SlopeFit shape : {SlopeFit::Hinge, SlopeFit::Flat}) {
    double worst[2][3] = {};
    for (double r = 3601.0; r < 24.0 * 3600.0; r *= 1.0731)
      for (double t = 180.0; t < 24.0 * 3600.0; t = 60.0 * std::round(t * 1.0693 / 60.0 + 0.5)) {
        const int band = t < 2.0 * 3600.0 ? 0 : t < 8.0 * 3600.0 ? 1 : 2;
        const double src =
            wanderSlopeVariance({1.0, 0.0}, shape, r, t) / unitSourceSlopeVariance(shape, r, t);
        const double tmp = wanderSlopeVariance({0.0, 1.0}, shape, r, t) /
                           unitTemperatureSlopeVariance(shape, r, t);
        worst[0][band] = std::max(worst[0][band], std::abs(src - 1.0));
        worst[1][band] = std::max(worst[1][band], std::abs(tmp - 1.0));
        // The two kinds add.
        EXPECT_NEAR(wanderSlopeVariance({2.0, 3.0}, shape, r, t),
                    4.0 * wanderSlopeVariance({1.0, 0.0}, shape, r, t) +
                        9.0 * wanderSlopeVariance({0.0, 1.0}, shape, r, t),
                    1e-9 * wanderSlopeVariance({2.0, 3.0}, shape, r, t));
      }
    for (int kind = 0; kind < 2; ++kind)
      for (int band = 0; band < 3; ++band) {
        std::printf("%s, %s, band %d: worst %.1f %%\n", shape == SlopeFit::Hinge ? "hinge" : "flat",
                    kind == 0 ? "sources" : "gas temperature", band, 100.0 * worst[kind][band]);
        EXPECT_LE(worst[kind][band], bound[band]);
      }
  }
}

}  // namespace
}  // namespace leakhunt::detect
