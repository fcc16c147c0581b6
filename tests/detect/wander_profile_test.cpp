#include "detect/wander_profile.hpp"

#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <Eigen/LU>
#include <cmath>
#include <random>
#include <vector>

#include "detect/slope_change.hpp"

namespace leakhunt::detect {
namespace {

// The profile's Woodbury identity and prefix sums against generalised least squares written out
// in full: the covariance built as a dense matrix, each onset's model (a level, a slope unless
// flat, a loss from the onset, following a clock or not) solved by Cholesky. The same gain, rate
// and variance at every onset, to 1e-6 of their scale.
struct Dense {
  double gain = 0.0, rate = 0.0, variance = 0.0;
};
Dense denseFit(const Eigen::MatrixXd& C, const Eigen::VectorXd& u, const Eigen::VectorXd& x,
               const Eigen::VectorXd& y, Eigen::Index j, bool flat) {
  const Eigen::Index n = y.size();
  const Eigen::Index p = flat ? 2 : 3;
  Eigen::MatrixXd X = Eigen::MatrixXd::Zero(n, p);
  for (Eigen::Index i = 0; i < n; ++i) {
    X(i, 0) = 1.0;
    if (!flat) X(i, 1) = u[i];
    X(i, p - 1) = i >= j ? -(x[i] - x[j]) : 0.0;  // a loss is a fall
  }
  const Eigen::LLT<Eigen::MatrixXd> c(C);
  const Eigen::MatrixXd CiX = c.solve(X);
  const Eigen::VectorXd Ciy = c.solve(y);
  const Eigen::MatrixXd info = X.transpose() * CiX;
  const Eigen::MatrixXd cov = info.inverse();
  const Eigen::VectorXd beta = cov * (X.transpose() * Ciy);
  // The nuisance-only model's fit, for the gain: half the fall of the generalised residual sum.
  const Eigen::MatrixXd X0 = X.leftCols(p - 1);
  const Eigen::MatrixXd info0 = X0.transpose() * c.solve(X0);
  const Eigen::VectorXd beta0 = info0.ldlt().solve(X0.transpose() * Ciy);
  const Eigen::VectorXd r1 = y - X * beta, r0 = y - X0 * beta0;
  return {0.5 * (r0.dot(c.solve(r0)) - r1.dot(c.solve(r1))), beta[p - 1], cov(p - 1, p - 1)};
}

void checkAgainstDense(bool flat, bool clocked) {
  constexpr int kPoints = 300;
  constexpr double kWhite = 0.02;
  const WanderParts wander{8e-6, 0.05};
  std::mt19937_64 rng(flat ? 7 : 8);
  std::normal_distribution<double> n01;
  SlopeChangeWindow w(400);
  double clock = 0.0;
  for (int k = 0; k < kPoints; ++k) {
    const double t = 60.0 * k + (k >= 70 ? 45.0 : 0.0);  // a gap: the basis's step changes
    const double pressure = 1e5 * (1.0 - 0.002 * k);  // a falling pressure's integral as the clock
    clock += 60.0 * pressure;
    w.push(t, kWhite * n01(rng) + 0.05 * std::sin(t / 5000.0) - 2e-4 * std::max(0.0, t - 6000.0), t,
           clock);
  }
  w.prepare();
  const double following = clocked ? 1.0 / 1e5 : 0.0;
  const uint64_t from = w.first(), earliest = w.first() + 10, end = w.last();
  WanderProfile out;
  wanderProfile(w, from, earliest, end, flat, following, kWhite * kWhite, wander, out);

  const Eigen::Index n = kPoints;
  Eigen::VectorXd u(n), x(n), y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const uint64_t seq = from + static_cast<uint64_t>(i);
    u[i] = w.tau(seq) - w.tau(from);
    x[i] = clocked ? following * (w.clock(seq) - w.clock(from)) : u[i];
    y[i] = w.value(seq) - w.value(from);
  }
  Eigen::MatrixXd C = kWhite * kWhite * Eigen::MatrixXd::Identity(n, n);
  for (const WanderColumn& col : wanderColumns(wander)) {
    for (Eigen::Index a = 0; a < n; ++a) {
      for (Eigen::Index b = 0; b < n; ++b)
        C(a, b) += col.prior * std::cos(col.omega * (u[a] - u[b]));
    }
  }
  int checked = 0;
  for (uint64_t seq = earliest; seq < end; ++seq) {
    const auto at = static_cast<std::size_t>(seq - earliest);
    const auto j = static_cast<Eigen::Index>(seq - from);
    if (j >= n - 1) continue;
    const Dense d = denseFit(C, u, x, y, j, flat);
    ASSERT_FALSE(std::isnan(out.gain[at])) << seq;
    EXPECT_NEAR(out.gain[at], d.gain, 1e-6 * std::max(1.0, std::abs(d.gain))) << seq;
    EXPECT_NEAR(out.rate[at], d.rate, 1e-6 * std::abs(d.rate) + 1e-12) << seq;
    EXPECT_NEAR(out.variance[at], d.variance, 1e-6 * d.variance) << seq;
    ++checked;
  }
  EXPECT_GT(checked, 250);
}

TEST(WanderProfile, matches_dense_generalised_least_squares_with_a_slope) {
  checkAgainstDense(false, false);
}
TEST(WanderProfile, matches_dense_generalised_least_squares_on_a_flat_baseline) {
  checkAgainstDense(true, false);
}
TEST(WanderProfile, matches_dense_generalised_least_squares_following_a_clock) {
  checkAgainstDense(false, true);
}

// The basis carries the wanders' declared sizes: the level's variance summed over its columns is
// the temperature wander's, and the sources' columns are their rate's integral (amplitude
// rate / omega), so their rate's variance (prior omega^2, summed) is the sources'.
TEST(WanderProfile, the_basis_carries_the_declared_variances) {
  double level = 0.0, rate = 0.0;
  const std::vector<WanderColumn> temperature = wanderColumns({0.0, 0.05});
  for (const WanderColumn& col : temperature) level += col.prior;
  const std::vector<WanderColumn> sources = wanderColumns({8e-6, 0.0});
  for (const WanderColumn& col : sources) rate += col.prior * col.omega * col.omega;
  EXPECT_EQ(temperature.size(), 8u);
  EXPECT_EQ(sources.size(), 8u);
  EXPECT_EQ(wanderColumns({8e-6, 0.05}).size(), 16u);
  EXPECT_NEAR(level, 0.05 * 0.05, 1e-12);
  EXPECT_NEAR(rate, 8e-6 * 8e-6, 1e-20);
}

}  // namespace
}  // namespace leakhunt::detect
