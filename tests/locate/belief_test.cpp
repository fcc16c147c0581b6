#include "locate/belief.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "test_stations.hpp"

namespace leakhunt::locate {
namespace {

using testing::idx;

double gauss(double x, double mu, double s) {
  return std::exp(-0.5 * (x - mu) * (x - mu) / (s * s)) / s;
}

// Worked by hand: two segments, {core, node} and {lab}, known rate R (no rate uncertainty),
// readings yA, yB with sd s. P(core) / P(lab) = N(yA; R) N(yB; 0) / (N(yA; 0) N(yB; R)), and
// core and node share their segment, so they stay equal.
TEST(Belief, one_reading_follows_bayes_rule_by_hand) {
  const model::Station st = testing::smallStation();
  const std::vector<int> suspects{idx(st, "core"), idx(st, "node"), idx(st, "lab")};
  Belief b(st, suspects, PriorSpec{PriorKind::Uniform, {}, 0.0});
  const double R = 5e-4, s = 2e-4, yA = 3e-4, yB = 1e-4;
  b.update({{{idx(st, "core"), idx(st, "node")}, yA, s, 1.0}, {{idx(st, "lab")}, yB, s, 1.0}},
           {R, 0.0});
  const std::vector<double> p = b.singleLeak();
  const double a = gauss(yA, R, s) * gauss(yB, 0, s), c = gauss(yA, 0, s) * gauss(yB, R, s);
  EXPECT_NEAR(p[static_cast<std::size_t>(idx(st, "core"))], a / (2 * a + c), 1e-12);
  EXPECT_NEAR(p[static_cast<std::size_t>(idx(st, "node"))], a / (2 * a + c), 1e-12);
  EXPECT_NEAR(p[static_cast<std::size_t>(idx(st, "lab"))], c / (2 * a + c), 1e-12);
}

// The rate's uncertainty is integrated out exactly: compare with a numerical integral over r.
TEST(Belief, unknown_rate_is_integrated_out_exactly) {
  const std::vector<SegmentReading> readings{{{0}, 4e-4, 1e-4, 0.9}, {{1}, 0.5e-4, 2e-4, 1.0}};
  const LeakRate rate{5e-4, 1.5e-4};
  for (const std::vector<double>& share :
       {std::vector<double>{1.0, 0.0}, {0.0, 1.0}, {0.35, 0.65}}) {
    double integral = 0.0;
    const double dr = 1e-7;
    for (double r = -5e-4; r < 15e-4; r += dr) {
      double like = gauss(r, rate.mean_kg_s, rate.sigma_kg_s) / std::sqrt(2 * M_PI);
      for (std::size_t g = 0; g < 2; ++g)
        like *= gauss(readings[g].rate_kg_s, r * share[g] * readings[g].rateScale,
                      readings[g].sigma_kg_s) /
                std::sqrt(2 * M_PI);
      integral += like * dr;
    }
    const double exact = logLikelihood(readings, share, rate) - std::log(2 * M_PI);
    EXPECT_NEAR(exact, std::log(integral), 1e-6);
  }
}

TEST(Belief, priors_weight_by_volume_and_table) {
  const model::Station st = testing::smallStation();
  const std::vector<int> all{0, 1, 2, 3, 4};
  const Belief v(st, all, PriorSpec{PriorKind::Volume, {}, 0.0});
  const std::vector<double> p = v.singleLeak();
  EXPECT_NEAR(
      p[static_cast<std::size_t>(idx(st, "lab"))] / p[static_cast<std::size_t>(idx(st, "node"))],
      100.0 / 40.0, 1e-12);
  const Belief t(st, all, PriorSpec{PriorKind::Table, {0, 0, 0, 3, 1}, 0.0});
  EXPECT_NEAR(t.singleLeak()[static_cast<std::size_t>(idx(st, "soyuz-om"))], 0.75, 1e-12);
  EXPECT_EQ(t.singleLeak()[static_cast<std::size_t>(idx(st, "core"))], 0.0);
}

// Two leaks: both segments lose gas, each at part of the rate; only a pair explains it.
TEST(Belief, two_segments_losing_make_a_pair_most_likely) {
  const model::Station st = testing::smallStation();
  Belief b(st, {0, 1, 2, 3, 4}, PriorSpec{PriorKind::Uniform, {}, 0.05});
  const double R = 6e-4, s = 0.3e-4;
  b.update({{{idx(st, "core")}, 0.5 * R, s, 1.0},
            {{idx(st, "node"), idx(st, "lab")}, 0.0, s, 1.0},
            {{idx(st, "soyuz-om"), idx(st, "soyuz-da")}, 0.5 * R, s, 1.0}},
           {R, 0.2 * R});
  const Hypothesis& h = b.hypotheses()[static_cast<std::size_t>(b.mostLikely())];
  EXPECT_GE(h.b, 0);
  EXPECT_GT(b.twoLeakMass(), 0.99);
  EXPECT_GT(b.moduleMarginal()[static_cast<std::size_t>(idx(st, "core"))], 0.99);
}

}  // namespace
}  // namespace leakhunt::locate
