// Trending: exact period rates on a clean line, no false changes over 90 leak-free days with
// represses, a failing patch reported in time, and daily-summary input.
#include "verify/trend.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "verify/residual_model.hpp"

namespace leakhunt::verify {
namespace {

using testing::Gap;
using testing::SeriesSpec;
using testing::syntheticSeries;

constexpr double kDay = 86400.0;
constexpr double kStart = 1535760000.0;  // 2018-09-01T00:00:00Z, a period boundary
constexpr double kTwoMm = 4.9e-4;        // kg/s, physics.md 2 worked figure

SegmentTrend trendOf(const std::vector<ResidualPoint>& points, const TrendOptions& o = {}) {
  TrendBuilder b(o);
  const std::vector<int> modules{0};
  for (const ResidualPoint& p : points) b.onPoint(0, modules, p, SegmentNoise{0.02});
  b.finish();
  return b.trends().front();
}

// One logged repress a day at a random-ish hour: 10 min dropped.
std::vector<Gap> dailyRepresses(int days, uint64_t seed) {
  std::vector<Gap> g;
  for (int d = 0; d < days; ++d) {
    const double at = kStart + d * kDay + 3600.0 * ((seed * 7 + d * 13) % 23);
    g.push_back({at, at + 600.0});
  }
  return g;
}

TEST(Trend, period_rate_of_a_clean_line_is_its_slope) {
  std::vector<ResidualPoint> points;
  for (int k = 1; k < 3 * 1440; ++k)
    points.push_back({kStart + 60.0 * k, 60.0 * k, -2e-6 * 60.0 * k});
  const SegmentTrend t = trendOf(points);
  ASSERT_GE(t.points.size(), 3u);
  for (const TrendPoint& p : t.points) EXPECT_NEAR(p.rate_kg_s, 2e-6, 1e-12);
  EXPECT_TRUE(t.changes.empty());
}

TEST(Trend, represses_and_new_segment_lives_are_free_steps) {
  // A level jump between segment lives must not enter the rate.
  TrendBuilder b(TrendOptions{});
  const std::vector<int> modules{0, 1};
  for (int k = 1; k < 1440; ++k) {
    const int life = k < 700 ? 0 : 1;
    const double y = -1e-6 * 60.0 * k + (life == 1 ? 50.0 : 0.0);
    b.onPoint(life, modules, {kStart + 60.0 * k, 60.0 * k, y}, SegmentNoise{0.02});
  }
  b.finish();
  ASSERT_EQ(b.trends().front().points.size(), 1u);
  EXPECT_NEAR(b.trends().front().points.front().rate_kg_s, 1e-6, 1e-12);
}

// A hole sealed at once in a small, quiet segment: each minute's increment before the seal is
// several noise limits from each one after it. The period rates must follow the rate to zero,
// not hold the old rate by calling every later increment a step (the ops core found this).
TEST(Trend, an_abrupt_stop_of_a_fast_leak_is_followed_not_taken_for_steps) {
  constexpr double kSigma = 0.002;  // kg per block: a small segment
  TrendBuilder b(TrendOptions{});
  const std::vector<int> modules{0};
  double y = 0.0;
  for (int k = 1; k < 5 * 1440; ++k) {
    const double rate = k < 2 * 1440 ? kTwoMm : 0.0;
    y -= rate * 60.0;
    b.onPoint(0, modules, {kStart + 60.0 * k, 60.0 * k, y}, SegmentNoise{kSigma});
  }
  b.finish();
  const std::vector<SegmentTrend> trends = b.trends();  // by value: hold it, not a reference
  ASSERT_EQ(trends.size(), 1u);
  const SegmentTrend& t = trends.front();
  ASSERT_GE(t.points.size(), 5u);
  EXPECT_NEAR(t.points[0].rate_kg_s, kTwoMm, 1e-9);
  for (std::size_t i = 2; i < t.points.size(); ++i) {
    EXPECT_NEAR(t.points[i].rate_kg_s, 0.0, 1e-9) << "day " << i;
    EXPECT_EQ(t.points[i].stepsRemoved, 0) << "day " << i;
  }
}

// 90 leak-free days with a logged repress every day, over 6 seeds (540 days): no change.
TEST(Trend, no_false_change_over_90_leak_free_days_with_represses) {
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    SeriesSpec s;
    s.seed = 100 + seed;
    s.start_s = kStart;
    s.duration_s = 90 * kDay;
    s.gaps = dailyRepresses(90, seed);
    const SegmentTrend t = trendOf(syntheticSeries(s));
    EXPECT_GE(t.points.size(), 89u);
    EXPECT_TRUE(t.changes.empty())
        << "seed " << s.seed << ": " << t.changes.size() << " changes, first at day "
        << (t.changes.empty() ? 0 : (t.changes[0].time_s - kStart) / kDay);
  }
}

// A patch that regrows from 0 to 10 % of a 2 mm hole over three weeks, starting on day 14:
// reported no later than 3 days after the rate crosses 5 % (day 14 + 10.5).
TEST(Trend, failing_patch_is_reported_within_3_days_of_crossing_5_percent) {
  const double fail = kStart + 14 * kDay, grow = 21 * kDay, full = 0.1 * kTwoMm;
  const double crossing = fail + 0.5 * grow;
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    SeriesSpec s;
    s.seed = 300 + seed;
    s.start_s = kStart;
    s.duration_s = 42 * kDay;
    s.gaps = dailyRepresses(42, seed);
    s.loss = [&](double t) { return testing::rampLoss(t, fail, grow, full); };
    const SegmentTrend t = trendOf(syntheticSeries(s));
    ASSERT_FALSE(t.changes.empty()) << "seed " << s.seed;
    const TrendChange& c = t.changes.front();
    EXPECT_LE(c.reportedAt_s, crossing + 3 * kDay) << "seed " << s.seed;
    EXPECT_GE(c.reportedAt_s, fail) << "seed " << s.seed;  // nothing before the patch failed
    EXPECT_GT(c.change_kg_s, 0.0);
  }
}

TEST(Trend, daily_summary_step_is_found_with_interval_covering_it) {
  std::vector<TrendPoint> points;
  const double sd = 2e-6;
  for (int d = 0; d < 40; ++d) {
    TrendPoint p;
    p.start_s = kStart + d * kDay;
    p.end_s = p.start_s + kDay;
    // Deterministic scatter (+-sd alternating) and a step of 10 sd on day 25.
    p.rate_kg_s = (d % 2 == 0 ? sd : -sd) * 0.7 + (d >= 25 ? 10 * sd : 0.0);
    p.rateSigma_kg_s = sd;
    p.usable = true;
    points.push_back(p);
  }
  const SegmentTrend t = trendOfSummary(points, TrendOptions{});
  ASSERT_EQ(t.changes.size(), 1u);
  const TrendChange& c = t.changes.front();
  EXPECT_LE(c.timeLow_s, kStart + 25 * kDay);
  EXPECT_GE(c.timeHigh_s, kStart + 25 * kDay);
  EXPECT_LE(c.changeLow_kg_s, 10 * sd);
  EXPECT_GE(c.changeHigh_kg_s, 10 * sd);
}

}  // namespace
}  // namespace leakhunt::verify
