// Issue 20: the first minutes of a big leak. The pressure rate (pressure_rate.hpp) on synthetic
// books, then a Spektr-class breach on the simulator's ISS 2018 through both detectors, scored
// after the alarm as the big-leak campaign scores it (harness, `score_after_alarm`).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "base/confidence.hpp"
#include "detect/emptied_segment.hpp"
#include "detect/pressure_rate.hpp"
#include "detect/report_sizing.hpp"
#include "detect/sizing.hpp"
#include "harness/scored_run.hpp"
#include "model/load.hpp"
#include "model/utc_time.hpp"

namespace leakhunt::detect {
namespace {

constexpr double kBlock_s = 60.0;
// The guard's floor on the ISS 2018 main segment (report_sizing.hpp: the model's, capped).
constexpr double kMainSegmentFloor_kg_s = kPressureRateAbsoluteSd_kg_s;

// The block means of N0 exp(-(t - t0)/tau) after t0 (flat before), integrated at 1 s, with
// white reading noise of `noise_kg` per block.
struct SyntheticDecay {
  double air0_kg = 1000.0, tau_s = 6.0 * 3600.0, onset_s = 0.0, noise_kg = 0.02;
  double air(double t) const {
    return t <= onset_s ? air0_kg : air0_kg * std::exp(-(t - onset_s) / tau_s);
  }
  double blockMean(double start) const {
    double sum = 0.0;
    for (int k = 0; k < 60; ++k) sum += air(start + k + 0.5);
    return sum / 60.0;
  }
};

TEST(PressureRate, a_fixed_hole_is_read_from_the_decay_and_the_first_block_gives_a_lower_bound) {
  std::mt19937_64 rng(20);
  std::normal_distribution<double> normal;
  SyntheticDecay d;
  d.onset_s = 20.0 * kBlock_s + 17.0;  // inside block 20
  PressureRateTrack track;
  for (int b = 0; b < 20; ++b)
    track.push(b * kBlock_s, kBlock_s, d.blockMean(b * kBlock_s) + d.noise_kg * normal(rng), 0.0,
               true);
  // Leak-free: no loss, or none that a 95 % interval tells from zero.
  const PressureRate quiet = track.estimate();
  EXPECT_TRUE(!quiet.valid || quiet.low_kg_s <= 0.0);
  // The block holding the onset: the truth at its end is inside, and only a lower bound is sure.
  track.push(20 * kBlock_s, kBlock_s, d.blockMean(20 * kBlock_s) + d.noise_kg * normal(rng), 0.0,
             true);
  const double truthAt21 = d.air(21 * kBlock_s) / d.tau_s;
  const PressureRate first = track.estimate();
  ASSERT_TRUE(first.valid);
  EXPECT_TRUE(first.openAbove);
  EXPECT_LE(first.low_kg_s, truthAt21);
  EXPECT_GE(first.high_kg_s, truthAt21);
  EXPECT_GT(first.low_kg_s, 0.2 * truthAt21);  // it says something
  // Two more blocks: a closed interval that holds the truth, within 10 %.
  for (int b = 21; b < 23; ++b)
    track.push(b * kBlock_s, kBlock_s, d.blockMean(b * kBlock_s) + d.noise_kg * normal(rng), 0.0,
               true);
  const double truthAt23 = d.air(23 * kBlock_s) / d.tau_s;
  const PressureRate later = track.estimate();
  ASSERT_TRUE(later.valid);
  EXPECT_FALSE(later.openAbove);
  // The track's own interval is the white noise's (the 2 s onset grid alone biases it by up to
  // 1 %): chooseRate adds the systematic floors that cover that.
  EXPECT_LT(std::abs(later.rate_kg_s - truthAt23), 0.02 * truthAt23);
  EXPECT_LT(later.low_kg_s, later.rate_kg_s);
  EXPECT_GT(later.high_kg_s, later.rate_kg_s);
  EXPECT_NEAR(later.onset_s, d.onset_s, 30.0);
  // A restart (a hatch moved) forgets the history.
  track.push(23 * kBlock_s, kBlock_s, 500.0, 0.0, false);
  EXPECT_FALSE(track.estimate().valid);
}

// An alarm tends to come when the noise adds to the signal: in the big-leak calibration spec,
// two alarms 26 s and 52 s after a hole opened had a dip of about 4 sd in the block before,
// which drew the best onset into that block and put every onset in the alarm's block outside
// the profile's cut; the track read a closed interval at a sixth and a half of the rate. With
// the best onsets in the last two blocks the interval stays open above, up to an onset 10 s
// before the end, and holds the rate.
TEST(PressureRate, a_dip_just_before_a_fresh_onset_leaves_the_interval_open_above) {
  SyntheticDecay d;
  d.tau_s = 3.5 * 3600.0;              // about 0.08 kg/s from 1000 kg: a 5 cm^2 breach's class
  d.onset_s = 20.0 * kBlock_s + 34.0;  // 26 s before block 20 ends
  d.noise_kg = 0.0;
  PressureRateTrack track;
  for (int b = 0; b <= 20; ++b) {
    // Small alternating readings noise, and a dip of 0.08 kg in block 19.
    const double noise = (b % 2 == 0 ? 0.01 : -0.01) + (b == 19 ? -0.08 : 0.0);
    track.push(b * kBlock_s, kBlock_s, d.blockMean(b * kBlock_s) + noise, 0.0, true);
  }
  const double truth = d.air(21 * kBlock_s) / d.tau_s;
  const PressureRate first = track.estimate();
  ASSERT_TRUE(first.valid);
  EXPECT_TRUE(first.openAbove);
  EXPECT_LE(first.low_kg_s, truth);
  EXPECT_GE(first.high_kg_s, truth) << "a closed interval at " << first.rate_kg_s << " kg/s";
}

const std::string kStation = std::string(LEAKHUNT_SOURCE_DIR) + "/data/stations/iss-2018.yaml";
const std::string kStart = "2018-08-29T18:00:00Z";

constexpr DetectorModel kBothDetectors[] = {DetectorModel::SlopeChange, DetectorModel::StateSpace};
const char* nameOf(DetectorModel m) {
  return m == DetectorModel::SlopeChange ? "slope-change" : "state-space";
}

// An isothermal scenario of `station` (a file in data/stations) with `events` (YAML list items).
Result<model::Scenario> testScenario(const std::string& station, const std::string& start,
                                     const std::string& duration, int seed,
                                     const std::string& outputPeriod, const std::string& events) {
  const std::string text =
      "name: test\nstation: " + std::string(LEAKHUNT_SOURCE_DIR) + "/data/stations/" + station +
      "\nstart: " + start + "\nduration: " + duration + "\nseed: " + std::to_string(seed) +
      "\noutput_period: " + outputPeriod + "\nthermal: isothermal\nevents:\n" + events;
  return model::parseScenario(text, "test.yaml", LEAKHUNT_SOURCE_DIR);
}

// The ISS 2018 from kStart at 1 s, with one leak `at` after the start.
Result<model::Scenario> issScenario(const std::string& duration, int seed, const std::string& at,
                                    const std::string& leak) {
  return testScenario("iss-2018.yaml", kStart, duration, seed, "1 s",
                      "  - at: " + at + "\n    leak: " + leak + "\n");
}

// One run of `model` through the harness, scored as the big-leak campaign scores it.
Result<harness::RunOutcome> runWith(DetectorModel model, const model::Scenario& s,
                                    const harness::RunTruth& truth, double spinUp_s) {
  DetectorOptions options;
  options.model = model;
  sim::RunOptions sim;
  sim.spinUp_s = spinUp_s;
  return harness::runWithDetector(s, truth, options, sim);
}

// A sudden 2 cm^2 breach (Spektr's 1.95 cm^2 class: about 170 kg/h at ISS cabin pressure) in
// Destiny, 1.5 h into the data, followed for 2 h: the ppO2 floor comes about 1.8 h after it.
// At the alarm and in every block of the next 30 min, each detector's 95 % rate interval holds
// the truth and the reserve time's lower bound is not above the true time to the limit (and is
// decided: short enough for the data to judge). Before issue 20 the slope-change detector said
// about 10 % of the rate at the alarm with a narrow interval, and a reserve of hours too long.
// An inventory fit whose onset sits too early reads a 2 mm hole at a quarter of its rate with
// a narrow sd (the 2 mm campaign's unsafe reserve bounds, docs/detection.md, "The reserve bound
// of a leak that takes days"). The pressure rate of the last 10 blocks is wide but centred on the
// truth, so the fit is still the one reported; the reserve's lower bound counts down at the
// faster upper end, the pressure rate's, and holds below the true time left.
TEST(BigLeak, the_reserve_bound_counts_down_at_the_fastest_loss_either_rate_allows) {
  const double truth = 4.8e-4, fit = 1.2e-4, fitSigma = 1e-5;
  PressureRate fast;
  fast.valid = true;
  fast.rate_kg_s = truth;
  fast.low_kg_s = truth - 1.8e-4;
  fast.high_kg_s = truth + 1.8e-4;
  LeakReport r;
  chooseRate(r, fit, fitSigma, fast, kMainSegmentFloor_kg_s);
  EXPECT_EQ(r.rateBasis, RateBasis::InventoryFit);
  EXPECT_DOUBLE_EQ(r.rate_kg_s, fit) << "the rate reported is the fit's";
  EXPECT_DOUBLE_EQ(r.rateSigma_kg_s, fitSigma);
  EXPECT_GT(r.rateHighest_kg_s, truth) << "the pressure rate allows the true loss";
  SizingInput in;
  in.rate_kg_s = r.rate_kg_s;
  in.rateSigma_kg_s = r.rateSigma_kg_s;
  in.pressure_pa = 101325.0;
  in.temperature_k = 295.0;
  in.inventory_kg = 1000.0;
  in.ppO2_pa = 21300.0;
  in.evacuationPressure_pa = 69328.0;
  in.minPpO2_pa = 15858.0;
  const double trueLeft = std::min(decayTime(1000.0, truth, 101325.0, 69328.0),
                                   decayTime(1000.0, truth, 21300.0, 15858.0));
  const Sizing fitOnly = sizeLeak(in);
  EXPECT_GT(fitOnly.reserveLow_s, trueLeft) << "the fit alone promises too long";
  in.rateHighest_kg_s = r.rateHighest_kg_s;
  const Sizing guarded = sizeLeak(in);
  EXPECT_LE(guarded.reserveLow_s, trueLeft);
  const double atHighest = std::min(decayTime(1000.0, r.rateHighest_kg_s, 101325.0, 69328.0),
                                    decayTime(1000.0, r.rateHighest_kg_s, 21300.0, 15858.0));
  EXPECT_NEAR(guarded.reserveLow_s, atHighest, 1e-6 * atHighest);
  EXPECT_DOUBLE_EQ(guarded.reserveTime_s, fitOnly.reserveTime_s) << "the point value stays";
  EXPECT_DOUBLE_EQ(guarded.reserveHigh_s, fitOnly.reserveHigh_s);
  // No pressure rate: the bound is the reported interval's, as before.
  LeakReport alone;
  chooseRate(alone, fit, fitSigma, PressureRate{}, kMainSegmentFloor_kg_s);
  EXPECT_DOUBLE_EQ(alone.rateHighest_kg_s, fit + kZ95 * fitSigma);
}

TEST(BigLeak, a_spektr_class_breach_is_alarmed_with_a_covering_rate_and_a_safe_reserve) {
  Result<model::Scenario> parsed = issScenario(
      "3.5 h", 20, "+1.5 h", "{id: breach, module: destiny, cda: 2 cm^2, cd: 0.65, onset: step}");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  const model::Scenario& s = parsed.value();
  harness::RunTruth truth{"breach", "destiny", *model::parseUtc(kStart) + 1.5 * 3600.0, 3600.0,
                          30.0 * 60.0};
  for (DetectorModel model : kBothDetectors) {
    SCOPED_TRACE(nameOf(model));
    Result<harness::RunOutcome> run = runWith(model, s, truth, 2.0 * 86400.0);
    ASSERT_TRUE(run.ok()) << run.error().message;
    const harness::RunOutcome& out = run.value();
    ASSERT_TRUE(out.detected);
    EXPECT_LE(out.delay_s, 5.0 * 60.0);
    ASSERT_GE(out.afterAlarm.size(), 25u);
    const harness::BlockScore& alarm = out.afterAlarm.front();
    EXPECT_TRUE(alarm.covered) << "the interval at the alarm misses the truth";
    EXPECT_EQ(alarm.reserveAbove, 0) << "the reserve bound at the alarm is above the truth (1) "
                                        "or too long for the data to judge (-1)";
    int covered = 0, above = 0;
    for (const harness::BlockScore& b : out.afterAlarm) {
      covered += b.covered ? 1 : 0;
      above += b.reserveAbove == 1 ? 1 : 0;
    }
    EXPECT_EQ(covered, int(out.afterAlarm.size()));
    EXPECT_EQ(above, 0);
    std::printf("delay %.0f s, %d of %zu blocks covered, %d reserve bounds above the truth\n",
                out.delay_s, covered, out.afterAlarm.size(), above);
  }
}

// A 25 mm hole in BEAM (16 m^3, its hatch closed: a segment of its own) empties it within the
// half hour. Each detector's estimates in every block of the next two hours hold the truth: an
// emptied segment's report states its loss now, near nothing, and its hole timed from the decay
// while it held gas. Before, the slope-change report kept the rate it read while the gas was
// going (14 of 121 blocks covered here; 101 of 121 missed in each such run of the big-leak
// campaign), and the state-space books, with no emptied path, covered 86 of 121.
TEST(BigLeak, an_emptied_segment_reports_its_loss_now_and_the_hole_from_its_decay) {
  Result<model::Scenario> parsed = issScenario(
      "3.5 h", 22, "+1.0 h", "{id: breach, module: beam, diameter: 25 mm, cd: 0.65, onset: step}");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  harness::RunTruth truth{"breach", "beam", *model::parseUtc(kStart) + 3600.0, 3600.0,
                          2.0 * 3600.0};
  for (DetectorModel model : kBothDetectors) {
    SCOPED_TRACE(nameOf(model));
    Result<harness::RunOutcome> run = runWith(model, parsed.value(), truth, 86400.0);
    ASSERT_TRUE(run.ok()) << run.error().message;
    ASSERT_TRUE(run->detected);
    ASSERT_GE(run->afterAlarm.size(), 100u);
    ASSERT_TRUE(std::isfinite(run->limitTime_s)) << "BEAM must reach the limit within the run";
    int covered = 0, above = 0;
    for (const harness::BlockScore& b : run->afterAlarm) {
      covered += b.covered ? 1 : 0;
      above += b.reserveAbove == 1 ? 1 : 0;
    }
    std::printf("%d of %zu blocks covered, %d reserve bounds above the truth\n", covered,
                run->afterAlarm.size(), above);
    EXPECT_EQ(covered, int(run->afterAlarm.size()));
    EXPECT_EQ(above, 0);
  }
}

// An emptied segment whose decay went untimed (it emptied within the pressure rate's first
// blocks) is sized from the least its reports showed while it held gas, those at its working
// pressure included; a repress after a drawdown forgets them, since a later decay is a new hole's.
TEST(EmptyingRecord, an_untimed_hole_is_at_least_what_the_reports_showed_until_a_repress) {
  const double cabin = 101325.0, temperature = 295.0, volume = 80.0, air = 287.0;
  PressureRateTrack none;  // no pressure rate: no decay is ever timed
  LeakReport atWork;
  atWork.rate_kg_s = 0.010;
  atWork.rateSigma_kg_s = 0.001;
  const auto emptiedReport = [&](EmptyingRecord& record) {
    LeakReport r;
    r.pressure_pa = 2.0;
    SizingInput in;
    in.temperature_k = temperature;
    in.inventory_kg = 0.002;
    in.ppO2_pa = 0.4;
    in.evacuationPressure_pa = 69328.0;
    in.minPpO2_pa = 15858.0;
    record.size(r, in, 0.0, kMainSegmentFloor_kg_s, cabin);
    return r;
  };
  EmptyingRecord record;
  record.observe(none, cabin, temperature, volume, cabin, air);
  record.noteReport(atWork, cabin, cabin);
  record.observe(none, cabin, temperature, volume, cabin, air);  // the next block, still at work
  const LeakReport emptied = emptiedReport(record);
  EXPECT_EQ(emptied.rateBasis, RateBasis::EmptiedAtLeast);
  EXPECT_NEAR(emptied.holeRate_kg_s, 0.010 - kZ95 * 0.001, 1e-12);
  EXPECT_GT(emptied.diameterLow_m, 0.0);
  EXPECT_EQ(emptied.reserveLow_s, 0.0) << "past the limits";
  // Drawn down, then repressed: the old hole's least is forgotten.
  record.observe(none, 0.5 * cabin, temperature, volume, cabin, air);
  record.observe(none, cabin, temperature, volume, cabin, air);
  EXPECT_EQ(emptiedReport(record).holeRate_kg_s, 0.0);
}

// The guard's floor, segment by segment: a 0.37 mm crack in Zvezda's PrK alone (5 m^3, its
// hatch closed, as in the Zvezda story's second alarm) takes about a day to the limit. The
// reserve's lower bound in every block after the alarm must be safe, and at the alarm not a
// small fraction of the truth: with one floor for every segment, set for the main segment, the
// story's alarm read "24.3 h (95 %: at least 1 h 13 min)".
TEST(BigLeak, a_small_segments_reserve_bound_is_not_cut_by_the_main_segments_floor) {
  const std::string start = "2020-08-19T00:00:00Z";
  Result<model::Scenario> parsed =
      testScenario("iss-2020.yaml", start, "10 h", 23, "10 s",
                   "  - at: +0 h\n    hatch: {id: zvezda-prk-hatch, state: closed}\n"
                   "  - at: +1 h\n    leak: {id: crack, module: zvezda-prk, cda: 0.0696 mm^2, "
                   "cd: 0.65, onset: step}\n");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  harness::RunTruth truth{"crack", "zvezda-prk", *model::parseUtc(start) + 3600.0,
                          3600.0,  3600.0,       10.0 * 86400.0};
  for (DetectorModel model : kBothDetectors) {
    SCOPED_TRACE(nameOf(model));
    Result<harness::RunOutcome> run = runWith(model, parsed.value(), truth, 86400.0);
    ASSERT_TRUE(run.ok()) << run.error().message;
    ASSERT_TRUE(run->detected);
    ASSERT_FALSE(run->afterAlarm.empty());
    const harness::BlockScore& alarm = run->afterAlarm.front();
    std::printf("delay %.1f h; at the alarm: reserve bound %.1f h, the truth %.1f h\n",
                run->delay_s / 3600.0, alarm.reserveLow_s / 3600.0, alarm.trueReserve_s / 3600.0);
    int above = 0;
    for (const harness::BlockScore& b : run->afterAlarm) above += b.reserveAbove == 1 ? 1 : 0;
    EXPECT_EQ(above, 0);
    EXPECT_EQ(alarm.reserveAbove, 0);
    EXPECT_GE(alarm.reserveLow_s, 0.25 * alarm.trueReserve_s);
  }
}

// A 10 mm hole in the two-module article (both modules one segment): the limit comes about an
// hour after the onset. In the last half hour before it the reserve time's point value must not
// run long by the half block by which the levels (block means and medians) are older than the
// report. Measured, median reserve minus the true time left: before, slope-change +30.3 s and
// state-space -15.3 s; after, +0.3 s and -45.3 s. The state-space detector's rate is a constant
// rate fitted since the onset, a little above an exponential decay's current rate, so its
// reserve runs short (the safe side); the bound below only catches a gross error.
TEST(BigLeak, the_reserve_time_is_counted_from_the_report_not_from_the_levels) {
  Result<model::Scenario> parsed =
      testScenario("two-module.yaml", kStart, "4 h", 21, "1 s",
                   "  - at: +1.5 h\n    leak: {id: hole, module: module-b, diameter: 10 mm, "
                   "cd: 0.65, onset: step}\n");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  harness::RunTruth truth{"hole", "module-b", *model::parseUtc(kStart) + 1.5 * 3600.0, 3600.0,
                          2.5 * 3600.0};
  for (DetectorModel model : kBothDetectors) {
    SCOPED_TRACE(nameOf(model));
    Result<harness::RunOutcome> run = runWith(model, parsed.value(), truth, 86400.0);
    ASSERT_TRUE(run.ok()) << run.error().message;
    ASSERT_TRUE(std::isfinite(run->limitTime_s)) << "the limit must come within the run";
    std::vector<double> excess;
    for (const harness::BlockScore& b : run->afterAlarm)
      if (b.trueReserve_s > 60.0 && b.trueReserve_s <= 1800.0)
        excess.push_back(b.reserve_s - b.trueReserve_s);
    ASSERT_GE(excess.size(), 20u);
    std::nth_element(excess.begin(), excess.begin() + excess.size() / 2, excess.end());
    const double median = excess[excess.size() / 2];
    std::printf("%zu blocks, reserve minus the truth: median %.1f s\n", excess.size(), median);
    EXPECT_LT(median, 15.0);
    EXPECT_GT(median, -90.0);
  }
}

}  // namespace
}  // namespace leakhunt::detect
