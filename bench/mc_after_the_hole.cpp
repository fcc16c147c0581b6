// Monte Carlo figures of issue 5 (repair verification, trend, onset) on synthetic residual
// inventories: the detector tests' noise model (tests/detect/synthetic.hpp; white 0.02 kg per
// 60 s block, source rate wander 8e-6 kg/s, level wander 0.05 kg, built like the simulator's),
// losses of the asked profiles, and logged represses as dropped increments, exactly as
// detect::Detector hands its residual to the verify layer (tests/verify/residual_model.hpp).
// Not a speed benchmark: it prints the figures, with run counts, that docs/after-the-hole.md
// quotes.
//
//   bench_mc_after_the_hole [--runs 400] [--trend-runs 100] [--threads 2]
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "verify/onset.hpp"
#include "verify/residual_model.hpp"
#include "verify/trend.hpp"
#include "verify/verify.hpp"

namespace {

using namespace leakhunt;
using namespace leakhunt::verify;
using verify::testing::SeriesSpec;
using verify::testing::syntheticSeries;

constexpr double kDay = 86400.0, kHour = 3600.0;
constexpr double kStart = 1535760000.0;  // 2018-09-01T00:00:00Z
constexpr double kTwoMm = 4.9e-4;        // kg/s, physics.md 2
constexpr double kTarget = 0.05 / kDay;
constexpr double kIssWhite = 0.0213;  // kg per block, what the detector learns on the ISS

int gThreads = 2;
uint64_t gSeedOffset = 0;  // measurement seeds apart from the calibration ones

void parallel(int runs, const std::function<void(int)>& body) {
  std::atomic<int> next{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < gThreads; ++t)
    pool.emplace_back([&] {
      for (int k = next++; k < runs; k = next++) body(k);
    });
  for (auto& t : pool) t.join();
}

double quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(std::min<double>(v.size() - 1, std::floor(q * v.size())))];
}

std::vector<ResidualPoint> upTo(const std::vector<ResidualPoint>& all, double tau_s) {
  std::vector<ResidualPoint> out;
  for (const ResidualPoint& p : all)
    if (p.tau_s <= tau_s) out.push_back(p);
  return out;
}

// Verify on patched-to-zero runs: coverage of the truth (0) by the 95 % bound at fixed watch
// times, the watch asked for at `askAt_s` and the watch actually needed for "met", both over the
// Cramer-Rao figure.
void verifyFigures(const char* label, bool wander, int runs, double duration_s, double askAt_s,
                   const std::vector<double>& checks_s) {
  std::vector<std::vector<int>> covered(runs, std::vector<int>(checks_s.size(), 0));
  std::vector<double> asked(runs), reached(runs), cr(runs), model(runs);
  parallel(runs, [&](int k) {
    SeriesSpec s;
    s.seed = 100000 + k + gSeedOffset;
    s.duration_s = duration_s;
    s.noise.whiteSigma = kIssWhite;
    if (!wander) s.noise.rateSigma = s.noise.levelSigma = 0.0;
    const std::vector<ResidualPoint> all = syntheticSeries(s);
    // The detector's slope-wander model of this noise (tests/detect/synthetic.hpp).
    const SegmentNoise noise{
        kIssWhite,
        wander ? detect::testing::SyntheticResidual::modelRateSigma(s.noise, 3.0 * kHour) : 0.0};
    for (std::size_t c = 0; c < checks_s.size(); ++c)
      covered[k][c] = verifyRepair(upTo(all, checks_s[c]), noise, {}).upper_kg_s >= 0.0;
    const VerifyResult a = verifyRepair(upTo(all, askAt_s), noise, {});
    asked[k] = a.watchTotal_s;
    cr[k] = a.cramerRaoWatch_s;
    model[k] = a.modelWatch_s;
    reached[k] = INFINITY;
    for (double t = 1800.0; t <= duration_s; t += 600.0) {
      const VerifyResult r = verifyRepair(upTo(all, t), noise, {});
      if (r.verdict == Verdict::Met) {
        reached[k] = r.watched_s;
        break;
      }
    }
  });
  std::printf("verify, %s, %d patched-to-zero runs, white %.4f kg/block, target 0.05 kg/day:\n",
              label, runs, kIssWhite);
  for (std::size_t c = 0; c < checks_s.size(); ++c) {
    int n = 0;
    for (int k = 0; k < runs; ++k) n += covered[k][c];
    std::printf("  95 %% bound above the truth after %.1f h: %d/%d (%.2f %%)\n",
                checks_s[c] / kHour, n, runs, 100.0 * n / runs);
  }
  std::vector<double> askedRatio, reachedRatio;
  int askedOk = 0, reachedOk = 0, never = 0;
  for (int k = 0; k < runs; ++k) {
    askedRatio.push_back(asked[k] / cr[k]);
    reachedRatio.push_back(reached[k] / cr[k]);
    askedOk += asked[k] <= 1.5 * cr[k];
    reachedOk += reached[k] <= 1.5 * cr[k];
    never += !std::isfinite(reached[k]);
  }
  std::printf(
      "  Cramer-Rao watch %.2f h; watch asked at %.1f h / CR: median %.3f, p90 %.3f, "
      "<= 1.5 in %d/%d\n",
      cr[0] / kHour, askAt_s / kHour, quantile(askedRatio, 0.5), quantile(askedRatio, 0.9), askedOk,
      runs);
  std::printf(
      "  watch until 'met' / CR: median %.3f, p90 %.3f, <= 1.5 in %d/%d, not met within "
      "%.1f h in %d\n",
      quantile(reachedRatio, 0.5), quantile(reachedRatio, 0.9), reachedOk, runs, duration_s / kHour,
      never);
  std::vector<double> reachedModel;
  for (int k = 0; k < runs; ++k) reachedModel.push_back(reached[k] / model[k]);
  std::printf(
      "  with the wander term (model figure %.2f h): watch until 'met' / model figure: "
      "median %.3f, p90 %.3f\n",
      model[0] / kHour, quantile(reachedModel, 0.5), quantile(reachedModel, 0.9));
}

std::vector<testing::Gap> dailyRepresses(int days, uint64_t seed) {
  std::vector<testing::Gap> g;
  for (int d = 0; d < days; ++d) {
    const double at = kStart + d * kDay + kHour * ((seed * 7 + d * 13) % 23) + 60.0 * (seed % 60);
    g.push_back({at, at + 1800.0});
  }
  return g;
}

SegmentTrend trendOf(const std::vector<ResidualPoint>& points) {
  TrendBuilder b(TrendOptions{});
  const std::vector<int> modules{0};
  for (const ResidualPoint& p : points) b.onPoint(0, modules, p, SegmentNoise{0.02});
  b.finish();
  return b.trends().front();
}

void trendFigures(int runs) {
  // Leak-free 90 days, a 30-min logged repress every day.
  std::vector<int> falseChanges(runs);
  parallel(runs, [&](int k) {
    SeriesSpec s;
    s.seed = 200000 + k + gSeedOffset;
    s.start_s = kStart;
    s.duration_s = 90 * kDay;
    s.gaps = dailyRepresses(90, k);
    const SegmentTrend t = trendOf(syntheticSeries(s));
    falseChanges[k] = static_cast<int>(t.changes.size());
    for (const TrendChange& c : t.changes)
      std::printf(
          "  false change: seed %llu, day %.1f, reported day %.1f, z %.2f (threshold %.2f), "
          "%+.3g kg/day\n",
          static_cast<unsigned long long>(s.seed), (c.time_s - kStart) / kDay,
          (c.reportedAt_s - kStart) / kDay, c.z, c.threshold, c.change_kg_s * kDay);
  });
  int runsWith = 0, total = 0;
  for (int c : falseChanges) {
    runsWith += c > 0;
    total += c;
  }
  std::printf(
      "trend, %d leak-free 90-day runs with a logged repress a day: %d runs with a change "
      "report, %d reports in %d days\n",
      runs, runsWith, total, runs * 90);
  // Regrowth from 0 to 10 % of a 2 mm hole's rate over 21 days, starting on day 14 + U(0, 1 d).
  std::vector<double> lateness(runs);
  std::vector<int> early(runs);
  parallel(runs, [&](int k) {
    SeriesSpec s;
    s.seed = 300000 + k + gSeedOffset;
    s.start_s = kStart;
    s.duration_s = 45 * kDay;
    s.gaps = dailyRepresses(45, k);
    const double fail = kStart + 14 * kDay + kDay * ((k * 37) % 100) / 100.0;
    const double grow = 21 * kDay, crossing = fail + 0.5 * grow;
    s.loss = [&](double t) { return testing::rampLoss(t, fail, grow, 0.1 * kTwoMm); };
    const SegmentTrend t = trendOf(syntheticSeries(s));
    lateness[k] = INFINITY;
    early[k] = 0;
    for (const TrendChange& c : t.changes) {
      if (c.reportedAt_s < fail) {
        ++early[k];
        continue;
      }
      lateness[k] = (c.reportedAt_s - crossing) / kDay;
      break;
    }
  });
  int within = 0, falseBefore = 0;
  for (int k = 0; k < runs; ++k) {
    within += lateness[k] <= 3.0;
    falseBefore += early[k];
  }
  std::printf(
      "trend, %d failing-patch runs (0 to 10 %% of a 2 mm hole, %.3g kg/day, over 21 days): "
      "first report minus the 5 %% crossing: min %.2f d, median %.2f d, max %.2f d; within "
      "3 days in %d/%d; reports before the failure %d\n",
      runs, 0.1 * kTwoMm * kDay, quantile(lateness, 0.0), quantile(lateness, 0.5),
      quantile(lateness, 1.0), within, runs, falseBefore);
}

void onsetFigures(int runs) {
  for (bool ramp : {false, true}) {
    std::vector<int> right(runs), covered(runs), valid(runs);
    std::vector<double> width(runs);
    parallel(runs, [&](int k) {
      SeriesSpec s;
      s.seed = (ramp ? 500000 : 400000) + k + gSeedOffset;
      s.duration_s = 30 * kHour;
      s.noise.whiteSigma = kIssWhite;
      const double onset = 12 * kHour + kHour * ((k * 37) % 60) / 60.0 + (k % 7) * 8.0;
      s.loss = [&](double t) {
        return ramp ? testing::rampLoss(t, onset, 6 * kHour, kTwoMm)
                    : testing::stepLoss(t, onset, kTwoMm);
      };
      const double from = onset - 6 * kHour - 7200.0 * ((k * 13) % 10) / 10.0;
      const OnsetResult r = analyseOnset(syntheticSeries(s), from, onset + kHour, {});
      valid[k] = r.valid;
      right[k] = r.valid && r.best == (ramp ? OnsetProfile::Ramp : OnsetProfile::Step);
      covered[k] = r.valid && r.onsetLow_s <= onset && onset <= r.onsetHigh_s;
      width[k] = r.onsetHigh_s - r.onsetLow_s;
    });
    int nRight = 0, nCovered = 0, nValid = 0;
    for (int k = 0; k < runs; ++k) {
      nRight += right[k];
      nCovered += covered[k];
      nValid += valid[k];
    }
    std::printf(
        "onset, %s of a 2 mm hole (%.3g kg/s), %d runs: profile right %d/%d (%.2f %%), "
        "interval covers the truth %d/%d (%.2f %%), median width %.1f min, valid %d\n",
        ramp ? "6-hour ramp" : "step", kTwoMm, runs, nRight, runs, 100.0 * nRight / runs, nCovered,
        runs, 100.0 * nCovered / runs, quantile(width, 0.5) / 60.0, nValid);
  }
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 400, trendRuns = 100;
  std::string only = "all";
  for (int k = 1; k + 1 < argc; k += 2) {
    const std::string key = argv[k];
    if (key == "--runs") runs = std::atoi(argv[k + 1]);
    if (key == "--trend-runs") trendRuns = std::atoi(argv[k + 1]);
    if (key == "--threads") gThreads = std::max(1, std::atoi(argv[k + 1]));
    if (key == "--only") only = argv[k + 1];  // verify | onset | trend
    if (key == "--seed-offset") gSeedOffset = std::strtoull(argv[k + 1], nullptr, 10);
  }
  if (only == "all" || only == "verify") {
    verifyFigures("white noise only", false, runs, 12 * kHour, 2 * kHour, {4 * kHour, 12 * kHour});
    verifyFigures("with temperature and source wander", true, runs / 4, 6 * kDay, 6 * kHour,
                  {12 * kHour, kDay, 3 * kDay, 6 * kDay});
  }
  if (only == "all" || only == "onset") onsetFigures(runs);
  if (only == "all" || only == "trend") trendFigures(trendRuns);
  return 0;
}
