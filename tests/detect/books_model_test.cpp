// The books as a state-space model (issue 13): the Kalman filter's innovations are white on
// leak-free days with hatch cycles and represses, the full-model bound is what the optimal
// estimator achieves, and a hatch split and merge does not restart the alarm clock. The data
// come from books_simulation.hpp, which integrates the model's assumptions independently of its
// matrices. Suites named *Statistical run many seeds (ctest label `statistical`).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "books_simulation.hpp"
#include "detect/books_filter.hpp"
#include "detect/full_model_bound.hpp"
#include "detect/leak_glr.hpp"
#include "detect/slope_change.hpp"
#include "detect/station_segments.hpp"
#include "model/station_load.hpp"
#include "network/segments.hpp"
#include "network/smooth_noise.hpp"

namespace leakhunt::detect {
namespace {

constexpr double kBlock = 60.0;

// Two modules the size of a small station: a 100 m^3 one with a thermometer and a 30 m^3 one
// without (its orbital cycle unseen), one pressure sensor each (0.05 mmHg at 1 Hz).
BooksModel twoModules(bool wanders = true) {
  const double pressureNoise = 0.05 * 133.322 / std::sqrt(60.0);
  ModuleBooks a, b;
  a.volume_m3 = 100.0;
  b.volume_m3 = 30.0;
  for (ModuleBooks* m : {&a, &b}) {
    m->temperature_k = 295.0;
    m->inventory_kg = 1.196 * m->volume_m3;
    m->temperatureWander_kg = wanders ? m->inventory_kg * 0.05 / 295.0 : 0.0;
    m->pressureNoise_pa = pressureNoise;
    m->pressureSensors = 1;
  }
  a.thermometerNoise_kg = a.inventory_kg * (0.05 / std::sqrt(6.0)) / 295.0;
  a.sourceWander_kg_s = wanders ? 8e-6 : 0.0;
  b.sourceWander_kg_s = wanders ? 3e-6 : 0.0;
  b.orbitWander_kg = wanders ? b.inventory_kg * 0.5 / (std::sqrt(2.0) * 295.0) : 0.0;
  return booksModel({a, b}, 101325.0, 92.0 * 60.0);
}

const BooksTopology kJoined{{0, 0}, 1};
const BooksTopology kApart{{0, 1}, 2};

// Ljung-Box portmanteau statistic over `lags` lags.
double ljungBox(const std::vector<double>& x, int lags) {
  const double n = static_cast<double>(x.size());
  const double mean = std::accumulate(x.begin(), x.end(), 0.0) / n;
  double c0 = 0.0;
  for (double v : x) c0 += (v - mean) * (v - mean);
  double q = 0.0;
  for (int k = 1; k <= lags; ++k) {
    double ck = 0.0;
    for (std::size_t t = static_cast<std::size_t>(k); t < x.size(); ++t)
      ck += (x[t] - mean) * (x[t - static_cast<std::size_t>(k)] - mean);
    const double r = ck / c0;
    q += r * r / (n - k);
  }
  return n * (n + 2.0) * q;
}

// Upper `p` quantile of chi-square with k degrees of freedom (Wilson-Hilferty, 0.1 % at k 20).
double chiSquareUpper(double p, int k) {
  const double a = 2.0 / (9.0 * k);
  return k * std::pow(1.0 - a + normalUpperQuantile(p) * std::sqrt(a), 3.0);
}

struct LeakFreeDay {
  std::vector<Eigen::VectorXd> readings;
  std::vector<BooksTopology> topology;
  std::vector<Eigen::VectorXd> logged, loggedVariance;
};

// A leak-free day: odd seeds close the hatch for 2 h, every fourth logs a 5 kg repress whose
// true mass is off by 2 % (1 sd).
LeakFreeDay leakFreeDay(const BooksModel& model, uint64_t seed) {
  testing::BooksSimulation sim(model, seed);
  std::mt19937_64 rng(seed + 1000);
  std::normal_distribution<double> normal;
  LeakFreeDay day;
  for (int k = 0; k < 1440; ++k) {
    const bool closed = seed % 2 == 1 && k >= 360 && k < 480;
    const BooksTopology& top = closed ? kApart : kJoined;
    std::vector<double> added(2, 0.0);
    Eigen::VectorXd logged = Eigen::VectorXd::Zero(2), variance = Eigen::VectorXd::Zero(2);
    if (seed % 4 == 2 && k >= 700 && k < 710) {
      logged(1) = 0.5;
      variance(1) = 0.01 * 0.01;
      added[1] = logged(1) + 0.01 * normal(rng);
    }
    day.readings.push_back(sim.block(top, added, {0.0, 0.0}));
    day.topology.push_back(top);
    day.logged.push_back(logged);
    day.loggedVariance.push_back(variance);
  }
  return day;
}

struct Whiteness {
  int rejected = 0, days = 0;
  double variance = 0.0;  // pooled variance of the whitened innovations
};

Whiteness whiteness(const BooksModel& filterModel, const BooksModel& truth, int days) {
  constexpr int kBurnIn = 60, kLags = 20;
  const double critical = chiSquareUpper(0.05, kLags);
  Whiteness w;
  double squares = 0.0;
  long count = 0;
  for (int s = 0; s < days; ++s) {
    const LeakFreeDay day = leakFreeDay(truth, 500 + static_cast<uint64_t>(s));
    BooksFilter filter(filterModel);
    std::vector<double> series;
    for (std::size_t k = 0; k < day.readings.size(); ++k) {
      const BooksStep& st =
          filter.step(day.topology[k], day.logged[k], day.loggedVariance[k], day.readings[k]);
      if (k < kBurnIn || !st.valid) continue;
      series.push_back(st.whitened(0));  // the segment holding module 0
      for (Eigen::Index i = 0; i < st.whitened.size(); ++i) {
        squares += st.whitened(i) * st.whitened(i);
        ++count;
      }
    }
    if (ljungBox(series, kLags) > critical) ++w.rejected;
    ++w.days;
  }
  w.variance = squares / static_cast<double>(count);
  return w;
}

TEST(BooksStatistical, innovations_are_white_on_leak_free_days_with_hatch_cycles_and_represses) {
  const BooksModel model = twoModules();
  const Whiteness w = whiteness(model, model, 120);
  // 5 % nominal: 6 of 120 expected; outside 1..14 has probability under 0.3 %.
  EXPECT_GE(w.rejected, 1);
  EXPECT_LE(w.rejected, 14);
  // The stated innovation variance is the real one.
  EXPECT_NEAR(w.variance, 1.0, 0.03);
  // A filter that leaves out the wanders sees them in its innovations: the test can fail.
  const Whiteness blind = whiteness(twoModules(false), model, 40);
  EXPECT_GE(blind.rejected, 20);
  std::printf(
      "Ljung-Box (20 lags, 5 %%) rejects %d of %d days, innovation variance %.4f; "
      "without the wanders %d of %d, variance %.2f\n",
      w.rejected, w.days, w.variance, blind.rejected, blind.days, blind.variance);
}

// The rate of a leak of known onset, estimated by the GLR's d / c one hour after the onset,
// over many seeds: its spread is the full-model bound.
TEST(BooksStatistical, full_model_bound_matches_the_spread_of_the_optimal_estimator) {
  const BooksModel model = twoModules();
  constexpr int kWarm = 600, kAfter = 60, kSeeds = 500;
  constexpr double kRate = 5e-5;
  const FullModelBound bound =
      fullModelBound(model, kJoined, {1}, kWarm * kBlock, 6 * kAfter * kBlock);
  std::vector<double> errors;
  const Eigen::VectorXd none = Eigen::VectorXd::Zero(2);
  for (int s = 0; s < kSeeds; ++s) {
    testing::BooksSimulation sim(model, 9000 + static_cast<uint64_t>(s));
    BooksFilter filter(model);
    LeakHypothesis h;
    h.modules = {1};
    for (int k = 0; k < kWarm + kAfter; ++k) {
      const bool leaking = k >= kWarm;
      const Eigen::VectorXd y = sim.block(kJoined, {0.0, 0.0}, {0.0, leaking ? kRate : 0.0});
      const BooksStep& st = filter.step(kJoined, none, none, y);
      if (leaking) advance(h, model, st);
    }
    errors.push_back(h.rate_kg_s() - kRate);
  }
  const double mean = std::accumulate(errors.begin(), errors.end(), 0.0) / kSeeds;
  double var = 0.0;
  for (double e : errors) var += (e - mean) * (e - mean);
  const double spread = std::sqrt(var / (kSeeds - 1));
  const double crb = bound.crbSigma_kg_s(kAfter * kBlock);
  EXPECT_NEAR(spread / crb, 1.0, 0.10);
  EXPECT_LT(std::abs(mean), 4.0 * spread / std::sqrt(kSeeds));  // unbiased
  // The white-noise bound of the same readings is far from it: the test tells them apart.
  const double white =
      fullModelBound(twoModules(false), kJoined, {1}, kWarm * kBlock, kAfter * kBlock)
          .crbSigma_kg_s(kAfter * kBlock);
  EXPECT_GT(crb / white, 1.3);
  std::printf(
      "rate spread %.3g kg/s, full-model bound %.3g (ratio %.3f), white-noise bound "
      "%.3g; oracle delay for %.1g kg/s %.1f min\n",
      spread, crb, spread / crb, white, kRate,
      bound.oracleDelay_s(kRate, defaultOracleThreshold()) / 60.0);
}

// A leak in module 0; 20 min after the onset the hatch closes for 20 min, then opens. The
// statistic must keep its history: the hypothesis of the true onset lives on through the split
// and the merge with all its information, the alarm comes about as soon as without the hatch
// cycle, and it names an onset before the split.
struct ClockRun {
  int delay = -1;        // blocks from the onset to the alarm, -1 none
  long alarmOnset = -1;  // the alarming hypothesis's onset
  bool falseAlarm = false;
  double informationAtSplit = 0.0, informationAfterMerge = 0.0;  // of the true onset
};

ClockRun runClock(const BooksModel& model, double rate, bool hatchCycle, uint64_t seed) {
  constexpr int kOnset = 600, kSplit = kOnset + 20, kMerge = kOnset + 40, kEnd = kOnset + 300;
  const Eigen::VectorXd none = Eigen::VectorXd::Zero(2);
  testing::BooksSimulation sim(model, seed);
  BooksFilter filter(model);
  LeakGlr glr(LeakGlrOptions{});
  ClockRun run;
  const auto trueOnset = [&]() -> const LeakHypothesis* {
    for (const LeakHypothesis& h : glr.hypotheses())
      if (h.onset == kOnset && h.modules.front() == 0) return &h;
    return nullptr;
  };
  for (int k = 0; k < kEnd; ++k) {
    const BooksTopology& top = hatchCycle && k >= kSplit && k < kMerge ? kApart : kJoined;
    const Eigen::VectorXd y = sim.block(top, {0.0, 0.0}, {k >= kOnset ? rate : 0.0, 0.0});
    glr.step(model, filter.step(top, none, none, y), top, k);
    const LeakHypothesis* h = trueOnset();
    if (k == kSplit - 1 && h != nullptr) run.informationAtSplit = h->c;
    if (k == kMerge && h != nullptr) run.informationAfterMerge = h->c;
    const SegmentLeakTest& seg0 = glr.segments()[static_cast<std::size_t>(top.segmentOf[0])];
    if (seg0.alarm && run.delay < 0) {
      if (k < kOnset) {
        run.falseAlarm = true;
        return run;
      }
      run.delay = k - kOnset;
      run.alarmOnset = seg0.best->onset;
    }
    if (run.delay >= 0 && k > kMerge) break;
  }
  return run;
}

int median(std::vector<int> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

TEST(BooksStatistical, a_hatch_split_and_merge_does_not_restart_the_alarm_clock) {
  const BooksModel model = twoModules();
  // A rate whose expected z reaches the threshold 60 min after the onset without the hatch.
  const FullModelBound bound = fullModelBound(model, kJoined, {0}, 600 * kBlock, 60 * kBlock);
  const double rate = LeakGlr(LeakGlrOptions{}).threshold() / std::sqrt(bound.information.back());
  constexpr int kSeeds = 30, kSplit = 20;
  std::vector<int> cycled, plain;
  int beforeSplit = 0;
  for (int s = 0; s < kSeeds; ++s) {
    const ClockRun a = runClock(model, rate, true, 700 + static_cast<uint64_t>(s));
    const ClockRun b = runClock(model, rate, false, 700 + static_cast<uint64_t>(s));
    ASSERT_FALSE(a.falseAlarm || b.falseAlarm) << "seed " << s;
    // The true onset's hypothesis went through both hatch operations and kept adding evidence.
    EXPECT_GT(a.informationAtSplit, 0.0);
    EXPECT_GT(a.informationAfterMerge, a.informationAtSplit);
    cycled.push_back(a.delay < 0 ? 10000 : a.delay);
    plain.push_back(b.delay < 0 ? 10000 : b.delay);
    if (a.delay >= 0 && a.alarmOnset < 600 + kSplit) ++beforeSplit;
  }
  const int withCycle = median(cycled), without = median(plain);
  std::printf(
      "median delay %d min with the hatch cycle, %d min without; alarm onset before the "
      "split in %d of %d\n",
      withCycle, without, beforeSplit, kSeeds);
  EXPECT_LE(withCycle, without + 10);
  EXPECT_GE(beforeSplit, kSeeds * 8 / 10);
}

// One 100 m^3 module at sea-level air with one pressure sensor of 1 Pa noise and no wander:
// the yardstick module of the wander-shape tests below.
ModuleBooks yardstickModule() {
  ModuleBooks b;
  b.volume_m3 = 100.0;
  b.temperature_k = 295.0;
  b.inventory_kg = 119.6;
  b.pressureNoise_pa = 1.0;
  b.pressureSensors = 1;
  return b;
}

// The air a source's wander moves over a lag, sd per unit rate sd [kg per kg/s]: from the
// books' matrices (one module, only its source wander, the inventory known at the start), and
// from the simulator's own generator (network/smooth_noise.hpp: four sinusoids of periods
// uniform on 0.5 to 6 h, integrated in closed form over 2000 seeds).
double modelAirMoved(bool bandPass, double lag_s) {
  ModuleBooks b = yardstickModule();
  b.sourceWander_kg_s = 1.0;
  BooksModelOptions o;
  o.sourceWanderBandPass = bandPass;
  if (!bandPass) o.sourceWanderPeriod_s = 1.73 * 3600.0;  // as before the band-pass
  const BooksModel m = booksModel({b}, 101325.0, 92.0 * 60.0, o);
  const BooksMatrices mx = booksMatrices(m, oneSegment(1));
  Eigen::MatrixXd p = stationaryWanderCovariance(m);
  for (long k = 0; k < std::lround(lag_s / kBlock); ++k) p = mx.A * p * mx.A.transpose() + mx.Q;
  return std::sqrt(p(0, 0));
}

double simulatorAirMoved(double lag_s) {
  double sum = 0.0;
  constexpr int kSeeds = 2000;
  for (int s = 0; s < kSeeds; ++s) {
    const network::SmoothNoise noise(static_cast<uint64_t>(31 + s), 1800.0, 6.0 * 3600.0);
    double air = 0.0;
    for (int k = 0; k < network::SmoothNoise::kTerms; ++k) {
      const double w = noise.omega(k), phi = noise.phase(k);
      air += (std::cos(phi) - std::cos(w * lag_s + phi)) / w;
    }
    air *= network::SmoothNoise::termWeight();
    sum += air * air;
  }
  return std::sqrt(sum / kSeeds);
}

TEST(BooksModel, source_wander_moves_as_much_air_as_the_simulators_over_minutes_to_days) {
  for (double hours : {0.25, 1.0, 3.0, 6.0, 24.0, 72.0}) {
    const double sim = simulatorAirMoved(hours * 3600.0);
    const double band = modelAirMoved(true, hours * 3600.0);
    const double low = modelAirMoved(false, hours * 3600.0);
    std::printf(
        "air moved over %5.2f h per kg/s of rate sd: simulator %6.0f kg, band-pass %6.0f "
        "(%.2f), low-pass %6.0f (%.2f)\n",
        hours, sim, band, band / sim, low, low / sim);
    // Within 30 % at every lag: the simulator's wander averages out over a day, so does the
    // model's.
    EXPECT_NEAR(band / sim, 1.0, 0.3) << hours << " h";
    // A low-pass rate (the first session's) keeps moving air: 6 times too much after a day.
    if (hours >= 24.0) {
      EXPECT_GT(low / sim, 3.0) << hours << " h";
    }
  }
}

// The unmeasured gas temperature's change over a lag, sd in units of its own sd: from the
// model's transition (Cov(tau_k, tau_0) = [A^k]_00 for a unit-variance state) and from the
// simulator's generator (four sinusoids, periods uniform on 1 to 8 h, 2000 seeds). The books
// see it as a level, so the air it seems to move is bounded already: no band-pass needed.
TEST(BooksModel, temperature_wander_changes_as_the_simulators_over_minutes_to_days) {
  ModuleBooks b = yardstickModule();
  b.temperatureWander_kg = 1.0;
  const BooksModel m = booksModel({b}, 101325.0, 92.0 * 60.0);
  const Eigen::Matrix2d phi = booksMatrices(m, oneSegment(1)).A.block(1, 1, 2, 2);
  for (double hours : {0.25, 1.0, 3.0, 6.0, 24.0}) {
    const long k = std::lround(hours * 3600.0 / kBlock);
    Eigen::Matrix2d power = Eigen::Matrix2d::Identity();
    for (long i = 0; i < k; ++i) power = phi * power;
    const double model = std::sqrt(2.0 * (1.0 - power(0, 0)));
    double sum = 0.0;
    for (int s = 0; s < 2000; ++s) {
      const network::SmoothNoise noise(static_cast<uint64_t>(77 + s), 3600.0, 8.0 * 3600.0);
      const double change = noise.value(hours * 3600.0) - noise.value(0.0);
      sum += change * change;
    }
    const double sim = std::sqrt(sum / 2000.0);
    std::printf("gas temperature change over %5.2f h, in sds: simulator %.3f, model %.3f\n", hours,
                sim, model);
    EXPECT_NEAR(model / sim, 1.0, 0.3) << hours << " h";
  }
}

// A split part may alarm only where the data prefer it to each sibling: z^2 ahead by the chi2(1)
// 95 % point. The MS-09 story's first reading after three closures moved the parts by a hair
// (8.36 against 8.35), and the part without the hole alarmed by that hair (docs/detection.md).
TEST(LeakGlr, a_split_part_must_beat_its_sibling_by_the_chi2_margin) {
  EXPECT_FALSE(splitPartBeats(8.36, 8.35));
  EXPECT_FALSE(splitPartBeats(8.35, 8.36));
  EXPECT_FALSE(splitPartBeats(5.0, 5.0));    // no reading since the split: neither
  EXPECT_TRUE(splitPartBeats(8.60, 8.35));   // 73.96 - 69.72 = 4.24 >= 3.84
  EXPECT_FALSE(splitPartBeats(8.55, 8.35));  // 73.10 - 69.72 = 3.38
  EXPECT_TRUE(splitPartBeats(2.0, -6.0));    // a sibling that gained: 4 - 0 >= 3.84
  EXPECT_FALSE(splitPartBeats(1.9, -6.0));
}

// The rate over unknown onsets: one onset gives its own d / c and 1 / sqrt(c); two onsets of
// the same likelihood mix by their marginal likelihood exp(z^2 / 2) / sqrt(c), and the sd grows
// by the spread of their rates.
TEST(LeakGlr, rate_over_onsets_mixes_the_onsets_by_their_likelihood) {
  LeakHypothesis early, late;
  early.onset = 10;
  early.c = 4.0;
  early.d = 2.0;  // rate 0.5, z 1
  late.onset = 11;
  late.c = 1.0;
  late.d = 1.0;  // rate 1, z 1
  const RateOverOnsets one = rateOverOnsets({&early});
  EXPECT_DOUBLE_EQ(one.rate_kg_s, 0.5);
  EXPECT_DOUBLE_EQ(one.rateSigma_kg_s, 0.5);
  // Weights 1/2 : 1 (the 1 / sqrt(c)), so the mean is 5/6 and the variance the mixture's.
  const RateOverOnsets two = rateOverOnsets({&early, &late});
  EXPECT_NEAR(two.rate_kg_s, 5.0 / 6.0, 1e-12);
  const double second = (0.25 + 0.25) / 3.0 + 2.0 * (1.0 + 1.0) / 3.0;
  EXPECT_NEAR(two.rateSigma_kg_s, std::sqrt(second - 25.0 / 36.0), 1e-12);
  // A far likelier onset takes (nearly) all the weight.
  late.d = 10.0;  // z 10
  EXPECT_NEAR(rateOverOnsets({&early, &late}).rate_kg_s, 10.0, 1e-9);
}

// A hole opening 10 min into a 30-min logged repress of 5 kg whose delivered mass is off by one
// factor (sd 6.5 %, as ISS 2018's tanks: the log does not say which gas), as in the simulator.
// With the error as one factor over the repress (a state), the books see a ramp that must stop
// when the repress does, and the hole bends it; with the error as fresh noise in every block
// (the first session's), any bend is the error's, so the hole waits for the repress's end.
struct RepressRun {
  int delay = -1;  // blocks from the onset, -1 none
  bool falseAlarm = false;
};

RepressRun runRepress(bool factorState, double rate, uint64_t seed) {
  constexpr int kStart = 600, kLength = 30, kOnset = kStart + 10, kEnd = kStart + 150;
  constexpr double kMass = 5.0, kSd = 0.065 * kMass;
  BooksModelOptions o;
  o.repressFactorState = factorState;
  std::vector<ModuleBooks> modules = twoModules().modules;
  modules[1].repressTanks = true;
  const BooksModel model = booksModel(modules, 101325.0, 92.0 * 60.0, o);
  testing::BooksSimulation sim(model, seed);
  std::mt19937_64 rng(seed + 77);
  std::normal_distribution<double> normal;
  const double delivered = kMass + kSd * normal(rng);
  BooksFilter filter(model);
  LeakGlr glr(LeakGlrOptions{});
  RepressRun run;
  for (int k = 0; k < kEnd; ++k) {
    const bool repress = k >= kStart && k < kStart + kLength;
    Eigen::VectorXd known = Eigen::VectorXd::Zero(2), variance = Eigen::VectorXd::Zero(2);
    RepressInputs represses;
    represses.factorGain_kg = Eigen::VectorXd::Zero(2);
    if (repress) {
      known(1) = kMass / kLength;
      if (factorState) {
        represses.factorGain_kg(1) = kSd / kLength;
        if (k == kStart) represses.startedIn.push_back(1);
      } else {
        variance(1) = kSd * kSd / kLength;
      }
    }
    const Eigen::VectorXd y = sim.block(kJoined, {0.0, repress ? delivered / kLength : 0.0},
                                        {0.0, k >= kOnset ? rate : 0.0});
    glr.step(model, filter.step(kJoined, known, variance, y, represses), kJoined, k);
    if (glr.segments()[0].alarm) {
      if (k < kOnset)
        run.falseAlarm = true;
      else
        run.delay = k - kOnset;
      return run;
    }
  }
  return run;
}

TEST(BooksStatistical, a_repress_error_as_one_factor_lets_a_hole_be_found_during_the_repress) {
  // A rate whose expected z reaches the threshold 10 min after the onset without a repress.
  const FullModelBound bound =
      fullModelBound(twoModules(), kJoined, {1}, 600 * kBlock, 10 * kBlock);
  const double rate = LeakGlr(LeakGlrOptions{}).threshold() / std::sqrt(bound.information.back());
  constexpr int kSeeds = 30;
  std::vector<int> factor, noise;
  int falseAlarms = 0, quiet = 0;
  for (int s = 0; s < kSeeds; ++s) {
    const RepressRun a = runRepress(true, rate, 1300 + static_cast<uint64_t>(s));
    const RepressRun b = runRepress(false, rate, 1300 + static_cast<uint64_t>(s));
    falseAlarms += a.falseAlarm + b.falseAlarm;
    factor.push_back(a.delay < 0 ? 10000 : a.delay);
    noise.push_back(b.delay < 0 ? 10000 : b.delay);
    // Leak-free with the same repress: the factor's ramp raises no alarm.
    const RepressRun free = runRepress(true, 0.0, 1400 + static_cast<uint64_t>(s));
    if (!free.falseAlarm && free.delay < 0) ++quiet;
  }
  const int withFactor = median(factor), withNoise = median(noise);
  std::printf(
      "hole 10 min into a 30-min repress: median delay %d min with the factor state, %d min "
      "with per-block noise; leak-free with the repress: %d of %d quiet\n",
      withFactor, withNoise, quiet, kSeeds);
  EXPECT_EQ(falseAlarms, 0);
  EXPECT_EQ(quiet, kSeeds);
  // Measured 21 min against 30 (at effectiveTests 10): the factor finds it about at the
  // repress's end, the per-block noise some 10 min after.
  EXPECT_LE(withFactor + 5, withNoise);
}

TEST(BooksModel, station_file_gives_every_module_its_states_and_noises) {
  const auto station =
      model::loadStation(std::string(LEAKHUNT_SOURCE_DIR) + "/data/stations/iss-2018.yaml");
  ASSERT_TRUE(station.ok()) << station.error().message;
  const BooksModel m = booksModelOf(station.value());
  ASSERT_EQ(m.modules.size(), station.value().modules.size());
  int states = 0;
  for (std::size_t i = 0; i < m.modules.size(); ++i) {
    const ModuleBooks& b = m.modules[i];
    EXPECT_GT(b.inventory_kg, 0.0);
    EXPECT_NEAR(b.temperatureWander_kg,
                b.inventory_kg * station.value().temperatureUnmeasured_k / b.temperature_k, 1e-12);
    states += m.width[i] + (m.factor[i] >= 0 ? 1 : 0);
  }
  EXPECT_EQ(states, m.stateCount);
  // The matrices of one segment: the projection keeps the total, so the transition's inventory
  // rows sum each column of the inventory block to one.
  const BooksMatrices mx = booksMatrices(m, oneSegment(m.modules.size()));
  double total = 0.0;
  for (std::size_t i = 0; i < m.modules.size(); ++i) total += mx.B(m.offset[i], 0);
  EXPECT_NEAR(total, 1.0, 1e-12);
  EXPECT_GT(mx.R(0, 0), 0.0);
}

// The yardstick issue 13 asks for, on ISS 2018 as declared (BEAM's hatch closed): the
// full-model bound of a hole in Soyuz MS-09 against the white-noise bound of the same
// readings, 1 h after the onset, and the oracle delays of a 2 mm hole (4.8e-4 kg/s) and of a
// 1.4 kg/day leak under each (docs/detection.md quotes these figures).
TEST(BooksModel, iss_full_model_bound_is_far_wider_than_the_white_noise_bound) {
  const auto loaded =
      model::loadStation(std::string(LEAKHUNT_SOURCE_DIR) + "/data/stations/iss-2018.yaml");
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  const model::Station& st = loaded.value();
  std::vector<bool> open;
  for (const model::Hatch& h : st.hatches) open.push_back(h.open);
  const network::Segmentation seg = segmentsOf(st, open);
  // BEAM's hatch is closed as declared: its own segment, the rest one.
  ASSERT_EQ(seg.members.size(), 2u);
  EXPECT_EQ(seg.members[seg.segmentOf[static_cast<std::size_t>(st.moduleIndex("beam"))]].size(),
            1u);
  const BooksTopology top{seg.segmentOf, static_cast<int>(seg.members.size())};
  const int leak = st.moduleIndex("soyuz-ms09-om");
  ASSERT_GE(leak, 0);
  const BooksModel full = booksModelOf(st);
  BooksModel white = full;
  for (ModuleBooks& m : white.modules) m.temperatureWander_kg = m.sourceWander_kg_s = 0.0;
  constexpr double kWarm = 6 * 3600.0, kHorizon = 20 * 3600.0;
  const FullModelBound a = fullModelBound(full, top, {leak}, kWarm, kHorizon);
  const FullModelBound b = fullModelBound(white, top, {leak}, kWarm, kHorizon);
  const double h = defaultOracleThreshold();
  const double hole = 4.8e-4, slow = 1.4 / 86400.0;
  std::printf(
      "ISS 2018, hole in soyuz-ms09-om: CRB at 1 h %.3g kg/s full model, %.3g white "
      "(ratio %.1f); oracle delay 2 mm %.1f min full, %.1f white; 1.4 kg/day %.1f min "
      "full, %.1f white\n",
      a.crbSigma_kg_s(3600.0), b.crbSigma_kg_s(3600.0),
      a.crbSigma_kg_s(3600.0) / b.crbSigma_kg_s(3600.0), a.oracleDelay_s(hole, h) / 60.0,
      b.oracleDelay_s(hole, h) / 60.0, a.oracleDelay_s(slow, h) / 60.0,
      b.oracleDelay_s(slow, h) / 60.0);
  EXPECT_GT(a.crbSigma_kg_s(3600.0), 3.0 * b.crbSigma_kg_s(3600.0));
  EXPECT_GT(a.oracleDelay_s(hole, h), b.oracleDelay_s(hole, h));
  // More data never hurts: the information grows with the window.
  EXPECT_TRUE(std::is_sorted(a.information.begin(), a.information.end()));
}

}  // namespace
}  // namespace leakhunt::detect
