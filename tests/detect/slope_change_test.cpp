#include "detect/slope_change_test.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <random>
#include <vector>

#include "base/confidence.hpp"
#include "detect/slope_change.hpp"
#include "detect/wander_shape.hpp"
#include "network/smooth_noise.hpp"

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

TEST(SlopeChangeWindow, flat_fit_recovers_a_loss_from_a_flat_baseline) {
  SlopeChangeWindow w(1000);
  for (int k = 0; k < 200; ++k) {
    const double t = 60.0 * k;
    w.push(t, 5.0 - 2e-3 * std::max(0.0, t - 60.0 * 120), 1e9 + t);
  }
  w.prepare();
  const SlopeChangeFit flat = w.fitFlat(w.first() + 60, w.first() + 120, w.last());
  EXPECT_NEAR(flat.rate, 2e-3, 1e-12);
  // A baseline that is not flat biases it (the hinge fit would not be): it is a different model.
  SlopeChangeWindow tilted(1000);
  for (int k = 0; k < 200; ++k) tilted.push(60.0 * k, 1e-4 * 60.0 * k, 60.0 * k);
  tilted.prepare();
  EXPECT_LT(tilted.fitFlat(tilted.first(), tilted.first() + 120, tilted.last()).rate, -5e-5);
}

// The slow branch: a 1.4 kg/day loss (1.6e-5 kg/s) after 2 h of flat reference, in a segment
// whose wanders are the ISS main segment's (sources 8e-6 kg/s, gas temperature 0.05 kg). The
// hinge test learns the baseline slope from those 2 h; the flat-baseline branch needs only the
// level, and must alarm within 16 h (the calibration campaign's 1.4 kg/day runs: median 14.8 h,
// 90 % within 15.6 h), and stay quiet on 3 days without a loss.
TEST(SlopeChangeTest, slow_branch_finds_a_slow_loss_after_a_short_reference) {
  SlopeChangeOptions o;
  const auto run = [&](double loss, double hours, uint64_t seed) {
    SlopeChangeTest test(o, 0.02, {8e-6, 0.05});
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> n01;
    double firstSlow = -1.0;
    for (int k = 0; k < static_cast<int>(hours * 60); ++k) {
      const double t = 60.0 * k;
      const double y = 0.02 * n01(rng) - loss * std::max(0.0, t - 7200.0);
      const SlopeChangeDecision d = test.push(t, y, t);
      EXPECT_FALSE(d.alarm && loss == 0.0);
      if (d.slowAlarm && firstSlow < 0.0) firstSlow = t;
    }
    return firstSlow;
  };
  for (uint64_t seed : {1u, 2u, 3u}) {
    const double found = run(1.4 / 86400.0, 18.0, seed);
    EXPECT_GT(found, 7200.0);
    EXPECT_LT(found, 7200.0 + 16.0 * 3600.0);
    EXPECT_LT(run(0.0, 72.0, seed + 10), 0.0);
  }
}

// A gain that slows as a cabin's trace gases near their balance (issue 18): 2 kg with a time
// constant of 12 h (the outpost twin's gap, as cabin air, is over 3 kg: TraceCreep), in the ISS
// main segment's wanders. Without an allowance the slowing reads as a loss (the control); with the
// creep's shape pushed beside it at half its size (the creep is 2 sd of the allowance) no alarm
// comes in two days, and a loss of 2e-4 kg/s (a hole of about 1 mm) that starts 30 h in is still
// found within an hour.
TEST(SlopeChangeTest, a_creep_of_known_shape_is_allowed_for_and_a_loss_is_still_found) {
  SlopeChangeOptions o;
  constexpr double kGain = 2.0, kTime_s = 12.0 * 3600.0, kOnset_s = 30.0 * 3600.0;
  const auto creep = [&](double t) { return kGain * (1.0 - std::exp(-t / kTime_s)); };
  // The first alarm's time (either branch), or -1.
  const auto run = [&](double allowance, double loss, uint64_t seed) {
    SlopeChangeTest test(o, 0.02, {8e-6, 0.05});
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> n01;
    for (int k = 0; k < 48 * 60; ++k) {
      const double t = 60.0 * k;
      const double y = creep(t) + 0.02 * n01(rng) - loss * std::max(0.0, t - kOnset_s);
      const SlopeChangeDecision d = test.push(t, y, t, allowance * creep(t));
      if (d.alarm || d.slowAlarm) return t;
    }
    return -1.0;
  };
  int controls = 0;
  for (uint64_t seed : {1u, 2u, 3u}) {
    if (run(0.0, 0.0, seed) >= 0.0) ++controls;
    EXPECT_LT(run(0.5, 0.0, seed), 0.0) << "seed " << seed;
    const double found = run(0.5, 2e-4, seed);
    EXPECT_GT(found, kOnset_s) << "seed " << seed;
    EXPECT_LT(found, kOnset_s + 3600.0) << "seed " << seed;
  }
  EXPECT_EQ(controls, 3);
}

// A fast leak in a small module (2 mm in BEAM's 16 m^3: 4.8e-4 kg/s, 0.03 kg a block against
// 0.002 kg of noise) alarms two or three blocks after it starts, inside the test's shortest
// window. The estimate at the alarm must still be free to put the onset where the data put it:
// forced back to minTest_s before the alarm, the loss was spread over blocks that had none and
// read about half the rate, with an interval a tenth as wide as the error (issue 20's big-leak
// campaign, 2 mm). The leak starts anywhere in a block, so the interval also carries the onset's
// one-block grid. Over 40 starts the 95 % interval covers the rate at the alarm.
TEST(SlopeChangeTest, a_fast_loss_is_sized_from_its_own_onset_at_the_alarm) {
  SlopeChangeOptions o;
  constexpr double kLoss = 4.8e-4, kWhite = 0.002;
  int covered = 0, onsetCovered = 0, alarms = 0;
  std::mt19937_64 rng(20);
  std::uniform_real_distribution<double> within(0.0, 60.0);
  std::normal_distribution<double> n01;
  for (int run = 0; run < 40; ++run) {
    SlopeChangeTest test(o, kWhite, {1e-6, 0.002});
    const double onset = 3.0 * 3600.0 + within(rng);
    for (int k = 0; k < 4 * 60; ++k) {
      const double t = 60.0 * k;
      const double y = kWhite * n01(rng) - kLoss * std::max(0.0, t - onset);
      const SlopeChangeDecision d = test.push(t, y, t);
      ASSERT_FALSE(d.alarm && t < onset) << "run " << run;
      if (!d.alarm) continue;
      ++alarms;
      EXPECT_LT(t - onset, 240.0) << "run " << run;
      const SlopeChangeWindow& w = test.window();
      const LossEstimate e = test.estimate(w.firstAtOrAfter(w.tau(d.onset) - 3600.0));
      ASSERT_TRUE(e.valid) << "run " << run;
      if (std::abs(e.rate - kLoss) <= 1.959964 * e.rateSigma) ++covered;
      if (e.onsetLow_s <= onset && onset <= e.onsetHigh_s) ++onsetCovered;
      break;
    }
  }
  ASSERT_EQ(alarms, 40);
  EXPECT_GE(covered, 36);
  EXPECT_GE(onsetCovered, 36);
}

// A fit that follows a clock reads a loss of exactly that shape at its rate now (the hinge; the
// series has a slope before the onset, which the flat model does not fit), and in both models
// the plain fit reads the loss's average since the onset; with a clock that runs evenly a fit
// that follows it is the plain fit.
TEST(SlopeChangeWindow, a_fit_following_the_pressure_reads_a_hole_at_its_rate_now) {
  SlopeChangeWindow hole(1000), even(1000);
  const int onset = 120;
  constexpr double kP0 = 1.0e5, kDecay_s = 4.0 * 3600.0, kRate = 2.0;
  const int points = 240;
  const double pLast = kP0 * std::exp(-60.0 * (points - 1 - onset) / kDecay_s);
  double pressureTime = 0.0, lost = 0.0, p = kP0;
  for (int k = 0; k < points; ++k) {
    const double t = 60.0 * k;
    if (k > onset) {
      const double next = kP0 * std::exp(-(t - 60.0 * onset) / kDecay_s);
      pressureTime += 0.5 * (p + next) * 60.0;
      lost += 0.5 * (p + next) * 60.0;
      p = next;
    } else {
      pressureTime += kP0 * (k > 0 ? 60.0 : 0.0);
    }
    // The loss's rate is kRate at the last point and follows the pressure.
    hole.push(t, 3.0 + 1e-4 * t - kRate * lost / pLast, t, pressureTime);
    even.push(t, 3.0 + 1e-4 * t - kRate * lost / pLast, t, kP0 * t);
  }
  hole.prepare();
  even.prepare();
  const uint64_t from = hole.first() + 10, j = hole.first() + onset, last = hole.last();
  for (const bool flat : {false, true}) {
    const SlopeChangeFit plain = flat ? hole.fitFlat(from, j, last) : hole.fit(from, j, last);
    const SlopeChangeFit followed =
        flat ? hole.fitFlat(from, j, last, 1.0 / pLast) : hole.fit(from, j, last, 1.0 / pLast);
    if (!flat) {
      EXPECT_NEAR(followed.rate, kRate, 1e-6 * kRate);
    }
    EXPECT_GT(plain.rate, 1.05 * kRate) << flat;  // the average rate since the onset
    EXPECT_DOUBLE_EQ(followed.testLength_s, plain.testLength_s);
    const SlopeChangeFit evenPlain = flat ? even.fitFlat(from, j, last) : even.fit(from, j, last);
    const SlopeChangeFit evenFollowed =
        flat ? even.fitFlat(from, j, last, 1.0 / kP0) : even.fit(from, j, last, 1.0 / kP0);
    EXPECT_NEAR(evenFollowed.rate, evenPlain.rate, 1e-9 * std::abs(evenPlain.rate)) << flat;
    EXPECT_NEAR(evenFollowed.whiteVariance, evenPlain.whiteVariance, 1e-9 * evenPlain.whiteVariance)
        << flat;
    EXPECT_NEAR(evenFollowed.projection, evenPlain.projection,
                1e-9 * std::abs(evenPlain.projection))
        << flat;
  }
}

// A 2 mm hole in a 16 m^3 module draws it down about 10 % in an hour, and its choked flow falls
// with the pressure. A fit of a constant rate reads the window's average rate, weighted towards
// its start, and the longer it runs the earlier it puts the onset to bend its line to the curve:
// given the pressures, the estimate is of the rate now, its interval covers it, and the onset's
// interval covers the onset; without them the same data read several sd high (the campaign's
// one-module misses, docs/detection.md).
struct DrawnDown {
  int runs = 0, covered = 0, coveredBlind = 0, onsetCovered = 0;
  double meanError = 0.0, meanErrorBlind = 0.0;
};

DrawnDown drawnDownHoles(double follow_s) {
  SlopeChangeOptions o;
  constexpr double kRate0 = 4.8e-4, kWhite = 0.01, kDecay_s = 9.5 * 3600.0, kP0 = 1.0e5;
  DrawnDown r;
  std::mt19937_64 rng(31);
  std::uniform_real_distribution<double> within(0.0, 60.0);
  std::normal_distribution<double> n01;
  const int blocks = static_cast<int>((3.0 * 3600.0 + follow_s) / 60.0);
  for (int run = 0; run < 40; ++run) {
    SlopeChangeTest test(o, kWhite, {1e-6, 0.002}), blind(o, kWhite, {1e-6, 0.002});
    const double onset = 3.0 * 3600.0 + within(rng);
    double lost = 0.0, rateNow = kRate0;
    for (int k = 0; k < blocks + 1; ++k) {
      const double t = 60.0 * k;
      // The block's pressure and loss: exact over the block (p falls as exp(-t/decay)).
      const double a = std::max(0.0, t - 60.0 - onset), b = std::max(0.0, t - onset);
      lost += kRate0 * kDecay_s * (std::exp(-a / kDecay_s) - std::exp(-b / kDecay_s));
      const double mid = std::max(0.0, t - 30.0 - onset);
      const double p = kP0 * std::exp(-mid / kDecay_s);
      rateNow = kRate0 * std::exp(-b / kDecay_s);
      const double y = kWhite * n01(rng) - lost;
      test.push(t, y, t, 0.0, p);
      blind.push(t, y, t);
    }
    const SlopeChangeWindow& w = test.window();
    const uint64_t earliest = w.firstAtOrAfter(onset - 2.0 * 3600.0);
    const LossEstimate e = test.estimate(earliest), eb = blind.estimate(earliest);
    if (!e.valid || !eb.valid) continue;
    ++r.runs;
    r.meanError += (e.rate - rateNow) / rateNow / 40.0;
    r.meanErrorBlind += (eb.rate - rateNow) / rateNow / 40.0;
    if (std::abs(e.rate - rateNow) <= 1.959964 * e.rateSigma) ++r.covered;
    if (std::abs(eb.rate - rateNow) <= 1.959964 * eb.rateSigma) ++r.coveredBlind;
    if (e.onsetLow_s <= onset && onset <= e.onsetHigh_s) ++r.onsetCovered;
  }
  return r;
}

TEST(SlopeChangeTest, a_hole_drawing_its_segment_down_is_sized_at_the_rate_now) {
  for (const double follow_s : {3600.0, 2.0 * 3600.0, 3.0 * 3600.0}) {
    const DrawnDown r = drawnDownHoles(follow_s);
    ASSERT_EQ(r.runs, 40) << follow_s;
    EXPECT_GE(r.covered, 36) << follow_s;
    EXPECT_GE(r.onsetCovered, 36) << follow_s;
    EXPECT_LT(std::abs(r.meanError), 0.01) << follow_s;
    EXPECT_GT(r.meanErrorBlind, 0.03) << follow_s;
    EXPECT_LT(r.coveredBlind, r.covered) << follow_s;
  }
}

// A hole in a large segment whose unmeasured gas temperature wanders (issue 20's 2 mm misses in
// the ISS main segment): 4.8e-4 kg/s against 0.02 kg of white noise a block and a temperature
// wander of 0.05 kg drawn by the simulator's generator (four sinusoids of periods 1 to 8 h). Where
// the wander dips just before the hole the white noise's profile reads dip and hole as one slow
// loss from an onset up to an hour early, at a quarter of the rate, with a narrow sd; the wanders'
// profile does not, and the interval spans both. Scored as the campaign scores it: at the alarm and
// every block for 20 min after, the 95 % interval covers the rate in at least 93 % of 100 runs; and
// the onset reported at the alarm, the wanders' profile's, is within a minute in most runs.
struct WanderedHoles {
  int runs = 0;
  int worstCovered = 0;             // the fewest runs covered at any one block
  int onsetCovered = 0;             // at the alarm
  double medianOnsetError_s = 0.0;  // |reported onset - true onset| at the alarm
};
WanderedHoles wanderedHoles() {
  SlopeChangeOptions o;
  constexpr double kLoss = 4.8e-4, kWhite = 0.02, kTemperature = 0.05;
  constexpr int kBlocksAfter = 20;
  std::mt19937_64 rng(2020);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::normal_distribution<double> n01;
  std::array<int, kBlocksAfter + 1> covered{};
  std::vector<double> onsetErrors;
  WanderedHoles r;
  for (int run = 0; run < 100; ++run) {
    // The simulator's own generator of the unmeasured temperature's wander.
    const network::SmoothNoise wander(rng(), WanderPeriods::temperatureMin_s,
                                      WanderPeriods::temperatureMax_s);
    SlopeChangeTest test(o, kWhite, {0.0, kTemperature});
    const double onset = 6.0 * 3600.0 + 60.0 * unit(rng);
    int after = -1;
    uint64_t earliest = 0;
    for (int k = 0; k < 8 * 60 && after < kBlocksAfter; ++k) {
      const double t = 60.0 * k;
      const double y =
          kWhite * n01(rng) + kTemperature * wander.value(t) - kLoss * std::max(0.0, t - onset);
      const SlopeChangeDecision d = test.push(t, y, t);
      if (after < 0) {
        if (!d.alarm) continue;
        if (t < onset) break;  // a false alarm: not a run that scores the estimate
        const SlopeChangeWindow& w = test.window();
        earliest = w.firstAtOrAfter(w.tau(d.onset) - 92.0 * 60.0);
        ++r.runs;
      }
      ++after;
      const LossEstimate e = test.estimate(earliest);
      if (!e.valid) continue;
      if (std::abs(e.rate - kLoss) <= kZ95 * e.rateSigma)
        ++covered[static_cast<std::size_t>(after)];
      if (after == 0 && e.onsetLow_s <= onset && onset <= e.onsetHigh_s) ++r.onsetCovered;
      if (after == 0) onsetErrors.push_back(std::abs(e.onsetTime_s - onset));
    }
  }
  std::nth_element(onsetErrors.begin(), onsetErrors.begin() + onsetErrors.size() / 2,
                   onsetErrors.end());
  r.medianOnsetError_s = onsetErrors.empty() ? 0.0 : onsetErrors[onsetErrors.size() / 2];
  r.worstCovered = *std::min_element(covered.begin(), covered.end());
  return r;
}

TEST(SlopeChangeTest, a_hole_after_a_wander_dip_is_covered_from_the_alarm) {
  const WanderedHoles r = wanderedHoles();
  ASSERT_GE(r.runs, 95);
  EXPECT_GE(r.worstCovered, (93 * r.runs + 99) / 100);
  EXPECT_GE(r.onsetCovered, (93 * r.runs + 99) / 100);
  // The white profile alone: a median error of 94 s (and 81 runs covered at the worst block);
  // with both profiles, 35 s (100).
  EXPECT_LT(r.medianOnsetError_s, 60.0);
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

// Two segments merge (a hatch reopened): the merged test continues with the sum of their
// residuals at the blocks both have, effective time from the first, noises added; a block one
// part dropped (a repress near it) is left out. Then a loss in the merged segment is found
// against that long reference at once, where a fresh history would wait an hour.
TEST(SlopeChangeTest, merged_segment_continues_the_parts_histories) {
  SlopeChangeOptions o;
  SlopeChangeTest a(o, 0.02, {8e-6, 0.05}), b(o, 0.01, {8e-6, 0.05});
  double tauB = 0.0;
  for (int k = 0; k < 300; ++k) {
    const double t = 1e9 + 60.0 * k;
    a.push(60.0 * k, 1.0 + 1e-5 * 60.0 * k, t);
    if (k == 100) continue;  // b dropped this block
    tauB += 60.0;
    b.push(tauB, -2.0 - 3e-6 * 60.0 * k, t);
  }
  SlopeChangeTest merged(o, 0.03, {8e-6, 0.05});
  const std::vector<const SlopeChangeTest*> parts{&a, &b};
  merged.continueFrom(parts);
  EXPECT_EQ(merged.window().size(), 299u);
  EXPECT_DOUBLE_EQ(merged.lastTau(), a.lastTau());
  EXPECT_NEAR(merged.lastValue(), a.lastValue() + b.lastValue(), 1e-12);
  EXPECT_NEAR(merged.whiteSigma(),
              std::sqrt(a.whiteSigma() * a.whiteSigma() + b.whiteSigma() * b.whiteSigma()), 1e-12);
  // A sharp loss right after the merge: alarmed within minutes, the history supplying the
  // hour of reference the test needs.
  bool alarmed = false;
  double tau = merged.lastTau(), y = merged.lastValue();
  for (int k = 1; k <= 10 && !alarmed; ++k) {
    tau += 60.0;
    y += (1e-5 - 3e-6) * 60.0 - 5e-3 * 60.0;
    alarmed = merged.push(tau, y, 1e9 + 60.0 * (299 + k)).alarm;
  }
  EXPECT_TRUE(alarmed);
  // A part with no history yet (a segment formed this very block): nothing to continue.
  SlopeChangeTest empty(o, 0.01, {8e-6, 0.05}), continued(o, 0.03, {8e-6, 0.05});
  const std::vector<const SlopeChangeTest*> withEmpty{&a, &empty};
  continued.continueFrom(withEmpty);
  EXPECT_EQ(continued.window().size(), 0u);
  SlopeChangeTest fresh(o, 0.03, {8e-6, 0.05});
  bool freshAlarmed = false;
  for (int k = 0; k < 10; ++k)
    freshAlarmed = freshAlarmed || fresh.push(60.0 * k, -0.3 * k, 60.0 * k).alarm;
  EXPECT_FALSE(freshAlarmed);
}

// A part cut from a segment (a hatch closed) continues the whole's history at its share, so a
// loss in the part right after the split is found against that reference at once. When the
// parts merge again, only what each saw as itself is summed: the inherited shares would add
// back to the whole's old history and span every hatch cycle (docs/detection.md, session 15).
TEST(SlopeChangeTest, a_part_continues_its_share_and_a_merge_sums_only_the_parts_own) {
  SlopeChangeOptions o;
  SlopeChangeTest whole(o, 0.02, {8e-6, 0.05});
  for (int k = 0; k < 300; ++k) whole.push(60.0 * k, 0.5 + 2e-6 * 60.0 * k, 1e9 + 60.0 * k);
  SlopeChangeTest part(o, 0.01, {8e-6, 0.05}), rest(o, 0.01, {8e-6, 0.05});
  part.continueAsPart(whole, 0.25);
  rest.continueAsPart(whole, 0.75);
  ASSERT_EQ(part.window().size(), whole.window().size());
  EXPECT_DOUBLE_EQ(part.lastTau(), whole.lastTau());
  EXPECT_NEAR(part.lastValue(), 0.25 * whole.lastValue(), 1e-12);
  EXPECT_NEAR(part.window().value(part.window().first()),
              0.25 * whole.window().value(whole.window().first()), 1e-12);
  EXPECT_DOUBLE_EQ(part.whiteSigma(), 0.01);  // its own noise from here on
  // A 2 mm-class loss (5e-4 kg/s) in the part from the split: alarmed within 20 min. A part
  // started afresh needs an hour of reference first.
  SlopeChangeTest fresh(o, 0.01, {8e-6, 0.05});
  bool alarmed = false, freshAlarmed = false;
  double tau = part.lastTau(), y = part.lastValue(), yRest = rest.lastValue(), yFresh = 0.0;
  for (int k = 1; k <= 20; ++k) {
    tau += 60.0;
    y += (0.25 * 2e-6 - 5e-4) * 60.0;
    yRest += 0.75 * 2e-6 * 60.0;
    yFresh -= 5e-4 * 60.0;
    const double t = 1e9 + 60.0 * (299 + k);
    alarmed = part.push(tau, y, t).alarm || alarmed;
    rest.push(tau, yRest, t);
    freshAlarmed = fresh.push(60.0 * k, yFresh, t).alarm || freshAlarmed;
  }
  EXPECT_TRUE(alarmed);
  EXPECT_FALSE(freshAlarmed);
  // The hatch reopens: the merged history holds the 20 points both parts saw as themselves.
  SlopeChangeTest merged(o, 0.02, {8e-6, 0.05});
  const std::vector<const SlopeChangeTest*> parts{&rest, &part};
  merged.continueFrom(parts);
  EXPECT_EQ(merged.window().size(), 20u);
  EXPECT_NEAR(merged.lastValue(), y + yRest, 1e-12);
  // A merge with a part that has no point of its own yet continues nothing.
  SlopeChangeTest justCut(o, 0.01, {8e-6, 0.05}), none(o, 0.02, {8e-6, 0.05});
  justCut.continueAsPart(whole, 0.5);
  const std::vector<const SlopeChangeTest*> withJustCut{&rest, &justCut};
  none.continueFrom(withJustCut);
  EXPECT_EQ(none.window().size(), 0u);
}

TEST(NormalQuantile, known_values) {
  EXPECT_NEAR(normalUpperQuantile(0.025), 1.959964, 1e-5);
  EXPECT_NEAR(normalUpperQuantile(1e-7), 5.199338, 1e-5);
}

}  // namespace
}  // namespace leakhunt::detect
