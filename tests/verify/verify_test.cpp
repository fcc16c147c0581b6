// Repair verification: the bound against the truth over many seeds, the watch time against the
// Cramer-Rao figure, and a patch seen through the simulator and the detector.
#include "verify/verify.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "model/load.hpp"
#include "sim/scenario_runner.hpp"
#include "verify/residual_model.hpp"
#include "verify/residual_tap.hpp"
#include "verify/sequential_verify.hpp"

namespace leakhunt::verify {
namespace {

using testing::SeriesSpec;
using testing::syntheticSeries;

constexpr double kTarget = 0.05 / 86400.0;  // kg/s

std::vector<ResidualPoint> firstHours(const std::vector<ResidualPoint>& all, double hours) {
  std::vector<ResidualPoint> out;
  for (const ResidualPoint& p : all)
    if (p.tau_s <= hours * 3600.0) out.push_back(p);
  return out;
}

TEST(Verify, exact_line_gives_its_slope_and_meets_the_target) {
  std::vector<ResidualPoint> points;
  for (int k = 1; k <= 600; ++k) points.push_back({60.0 * k, 60.0 * k, -1e-7 * 60.0 * k});
  const VerifyResult r = verifyRepair(points, SegmentNoise{0.02, 0.0}, VerifyOptions{});
  ASSERT_TRUE(r.valid);
  EXPECT_NEAR(r.rate_kg_s, 1e-7, 1e-12);
  EXPECT_EQ(r.verdict, Verdict::Met);
}

TEST(Verify, cramer_rao_watch_time_is_the_closed_form) {
  // T^3 = 12 sigma^2 z^2 / (f target^2), z = 1.6449.
  const double sigma = 0.02, z = 1.6448536269514722;
  const double expected = std::cbrt(12.0 * sigma * sigma * z * z * 60.0 / (kTarget * kTarget));
  EXPECT_NEAR(cramerRaoWatchTime(sigma, 60.0, kTarget, 0.95), expected, 1e-9 * expected);
}

// Patched to zero, white noise 0.02 kg per block: the 95 % bound covers zero in at least 95 %
// of 300 seeds (asserted at 92 %, 2.4 binomial sd below 95 %), and the watch time asked for
// after 2 h is within 1.5 x the Cramer-Rao figure in the median run.
TEST(Verify, patched_to_zero_bound_covers_truth_and_watch_time_is_near_cramer_rao) {
  const int runs = 300;
  int covered = 0;
  std::vector<double> askedRatio, reachedRatio;
  for (int k = 0; k < runs; ++k) {
    SeriesSpec s;
    s.noise.rateSigma = 0.0;
    s.noise.levelSigma = 0.0;
    s.seed = 1000 + k;
    s.duration_s = 12 * 3600.0;
    const std::vector<ResidualPoint> all = syntheticSeries(s);
    const VerifyResult at12 =
        verifyRepair(all, SegmentNoise{s.noise.whiteSigma, 0.0}, VerifyOptions{});
    if (at12.upper_kg_s >= 0.0) ++covered;
    const VerifyResult at2 =
        verifyRepair(firstHours(all, 2.0), SegmentNoise{s.noise.whiteSigma, 0.0}, VerifyOptions{});
    askedRatio.push_back(at2.watchTotal_s / at2.cramerRaoWatch_s);
    double reached = 1e300;
    for (double h = 0.5; h <= 12.0; h += 1.0 / 6.0) {
      const VerifyResult r =
          verifyRepair(firstHours(all, h), SegmentNoise{s.noise.whiteSigma, 0.0}, VerifyOptions{});
      if (r.verdict == Verdict::Met) {
        reached = r.watched_s;
        break;
      }
    }
    reachedRatio.push_back(reached / at2.cramerRaoWatch_s);
  }
  std::nth_element(askedRatio.begin(), askedRatio.begin() + runs / 2, askedRatio.end());
  std::nth_element(reachedRatio.begin(), reachedRatio.begin() + runs / 2, reachedRatio.end());
  EXPECT_GE(covered, static_cast<int>(0.92 * runs));
  EXPECT_LE(askedRatio[runs / 2], 1.5);
  EXPECT_LE(reachedRatio[runs / 2], 1.5);
}

// With the temperature and source wander of the detector tests, the bound still covers zero,
// early (3 h, when batch means alone cannot see the wander: the detector's wander model carries
// it) and late (2 days).
TEST(Verify, bound_covers_truth_under_temperature_wander) {
  const int runs = 100;
  int coveredEarly = 0, coveredLate = 0;
  for (int k = 0; k < runs; ++k) {
    SeriesSpec s;
    s.seed = 5000 + k;
    s.duration_s = 2 * 86400.0;
    const SegmentNoise noise{s.noise.whiteSigma, detect::testing::SyntheticResidual::modelRateSigma(
                                                     s.noise, 3.0 * 3600.0)};
    const std::vector<ResidualPoint> all = syntheticSeries(s);
    coveredEarly += verifyRepair(firstHours(all, 3.0), noise, VerifyOptions{}).upper_kg_s >= 0.0;
    coveredLate += verifyRepair(all, noise, VerifyOptions{}).upper_kg_s >= 0.0;
  }
  EXPECT_GE(coveredEarly, 90);  // 95 % expected; 90 is 2.3 binomial sd below
  EXPECT_GE(coveredLate, 90);
}

// A patch that leaves 1 kg/day (20 x the target): never "met", and "not met" once decided.
TEST(Verify, leaking_patch_is_never_declared_tight) {
  for (int k = 0; k < 20; ++k) {
    SeriesSpec s;
    s.seed = 7000 + k;
    s.duration_s = 2 * 86400.0;
    s.loss = [](double t) { return 1.0 / 86400.0 * t; };
    const VerifyResult r =
        verifyRepair(syntheticSeries(s), SegmentNoise{s.noise.whiteSigma, 0.0}, VerifyOptions{});
    EXPECT_NE(r.verdict, Verdict::Met) << "seed " << s.seed;
    EXPECT_GE(r.upper_kg_s, 1.0 / 86400.0) << "seed " << s.seed;
  }
}

// A hidden (unlogged) repress of 5 kg inside the watch window of a patch that still leaks
// 2 kg/day: the gas gained must not make the segment look tight.
TEST(Verify, hidden_repress_inside_the_window_does_not_fake_a_tight_patch) {
  int met = 0;
  for (int k = 0; k < 40; ++k) {
    SeriesSpec s;
    s.seed = 9000 + k;
    s.duration_s = 86400.0;
    s.loss = [](double t) { return 2.0 / 86400.0 * t - (t > 10 * 3600.0 ? 5.0 : 0.0); };
    const VerifyResult r =
        verifyRepair(syntheticSeries(s), SegmentNoise{s.noise.whiteSigma, 0.0}, VerifyOptions{});
    met += r.verdict == Verdict::Met ? 1 : 0;
  }
  EXPECT_LE(met, 2);  // one-sided 95 %: at most a few of 40 by chance
}

// Through the simulator and the detector: a two-module article with a 1 mm hole patched to
// zero after 3 h. Watching 8 h after the patch, the bound covers the true zero and the rate
// before the patch is far above it.
TEST(Verify, simulated_patch_to_zero_through_the_detector) {
  const std::string yaml = std::string("station: ") + LEAKHUNT_SOURCE_DIR +
                           "/data/stations/two-module.yaml\n"
                           "start: 2018-08-29T00:00:00Z\nduration: 12 h\nseed: 3\n"
                           "events:\n"
                           "  - at: +2 h\n"
                           "    leak: {id: h, module: module-b, diameter: 1 mm, onset: step}\n"
                           "  - at: +4 h\n"
                           "    patch: {leak: h}\n";
  const Result<model::Scenario> sc = model::parseScenario(yaml, "inline.yaml", ".");
  ASSERT_TRUE(sc) << sc.error().message;
  struct Feed : sim::RunObserver {
    std::vector<std::string> names;
    std::unique_ptr<ResidualTap> tap;
    SeriesCollector series;
    const model::Station* station = nullptr;
    void begin(const telemetry::ChannelTable& t, const telemetry::ChannelTable&) override {
      for (std::size_t c = 0; c < t.size(); ++c) names.push_back(t.name(static_cast<int>(c)));
      tap = std::make_unique<ResidualTap>(*station, names, detect::LoggedEvents{}, series);
    }
    void telemetry(const telemetry::Sample& s) override { tap->onSample(s); }
  } feed;
  feed.station = &sc->station;
  sim::RunOptions options;
  options.spinUp_s = 0.0;
  ASSERT_TRUE(sim::runScenario(*sc, options, feed));
  feed.tap->finish();
  ASSERT_EQ(feed.series.series().size(), 1u);
  const SegmentSeries& s = feed.series.series().front();
  const double patch = s.points.front().time_s - 60.0 + 4 * 3600.0;
  std::vector<ResidualPoint> before, after;
  for (const ResidualPoint& p : s.points) {
    if (p.time_s > patch - 2 * 3600.0 + 600.0 && p.time_s < patch) before.push_back(p);
    if (p.time_s > patch + 600.0) after.push_back(p);
  }
  const VerifyResult leaking = verifyRepair(before, s.noise, VerifyOptions{});
  const VerifyResult patched = verifyRepair(after, s.noise, VerifyOptions{});
  ASSERT_TRUE(leaking.valid && patched.valid);
  EXPECT_EQ(leaking.verdict, Verdict::NotMet);
  EXPECT_GT(leaking.rate_kg_s, 5e-5);  // a 1 mm hole: about 1.2e-4 kg/s
  EXPECT_GE(patched.upper_kg_s, 0.0);
  EXPECT_LT(std::abs(patched.rate_kg_s), 3.0 * patched.rateSigma_kg_s + 1e-7);
}

// Watched until it decides, as the operations loop does: a patch that holds and one that leaks
// at exactly the target, 200 seeds each over three days of the detector tests' noise, target
// 1 kg/day (the noise's wander is 2.6 times it, so both verdicts come within days). Each wrong
// verdict stays within its 5 %: asserted at 9 % (2.3 binomial sd above 5 %). Looking at 95 %
// every ten minutes instead gave 17.5 % wrong "met" at the target (bench/verify_looks.cpp). A
// patch that holds is called "met" in at least 90 % of runs, so the test is not passed by
// saying nothing, and one leaking 30 times the target is always "not met".
TEST(SequentialVerify, each_wrong_verdict_stays_within_its_five_percent_over_every_look) {
  const double target = 1.0 / 86400.0;
  const int runs = 200;
  for (const double times : {0.0, 1.0, 30.0}) {
    int met = 0, notMet = 0;
    for (int k = 0; k < runs; ++k) {
      SeriesSpec s;
      s.seed = 30000 + k;
      s.duration_s = 3 * 86400.0;
      s.loss = [rate = times * target](double t) { return rate * t; };
      const SegmentNoise noise{
          s.noise.whiteSigma,
          detect::testing::SyntheticResidual::modelRateSigma(s.noise, 3.0 * 3600.0)};
      const std::vector<ResidualPoint> all = syntheticSeries(s);
      VerifyOptions o;
      o.target_kg_s = target;
      SequentialVerify looks(o, 600.0);
      for (std::size_t n = 3; n <= all.size(); ++n) {
        const std::optional<VerifyResult> r =
            looks.lookIfDue(all[n - 1].tau_s, std::span(all.data(), n), noise);
        if (!r || r->verdict == Verdict::Undecided) continue;
        (r->verdict == Verdict::Met ? met : notMet)++;
        break;
      }
    }
    SCOPED_TRACE(::testing::Message()
                 << times << " x target: met " << met << ", not met " << notMet << " of " << runs);
    if (times <= 1.0) {
      EXPECT_LE(notMet, 0.09 * runs);
    }
    if (times >= 1.0) {
      EXPECT_LE(met, 0.09 * runs);
    }
    if (times == 0.0) {
      EXPECT_GE(met, 0.9 * runs);
    } else if (times == 30.0) {
      EXPECT_EQ(notMet, runs);
    }
  }
}

// The looks' errors sum to the stated one: look k spends (1 - c) 6 / (pi^2 k^2).
TEST(SequentialVerify, the_looks_spend_the_stated_error_and_no_more) {
  SequentialVerify looks(VerifyOptions{}, 600.0);
  double spent = 0.0;
  for (int k = 1; k <= 100000; ++k) spent += 1.0 - looks.confidenceAt(k);
  EXPECT_NEAR(spent, 0.05, 1e-5);
  EXPECT_NEAR(1.0 - looks.confidenceAt(1), 0.05 * 6.0 / (M_PI * M_PI), 1e-12);
}

}  // namespace
}  // namespace leakhunt::verify
