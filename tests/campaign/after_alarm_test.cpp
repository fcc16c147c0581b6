// Issue 20's scoring of every block after the alarm: the truth of a big leak's time to the
// limit against the closed form of an isothermal choked decay, the tally per block in the
// summary, the journal round trip, and the spec keys the big-leak and acceptance specs use.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "campaign/campaign.hpp"
#include "campaign/journal.hpp"
#include "detect/sizing.hpp"
#include "gas/orifice.hpp"
#include "gas/species.hpp"
#include "harness/scored_run.hpp"
#include "model/load.hpp"

namespace leakhunt::campaign {
namespace {

const std::string kData = std::string(LEAKHUNT_SOURCE_DIR) + "/data";

// A 5 cm^2 breach in the 80 m^3 two-module article (no sources, isothermal): the leak's module
// reaches the ppO2 floor at (M0 / L0) ln(ppO2_0 / ppO2_min) after the onset, the truth the
// harness scores the reserve against. Every block after the alarm is scored and decided.
TEST(AfterAlarm, a_breach_reaches_its_limit_when_the_isothermal_decay_says) {
  const double onset = 3900.0;
  const std::string text = "name: breach\nstation: " + kData +
                           "/stations/two-module.yaml\nstart: 2020-01-01T00:00:00Z\n"
                           "duration: 4800 s\nseed: 3\noutput_period: 1 s\nthermal: isothermal\n"
                           "events:\n  - at: +3900 s\n    leak: {id: leak-1, module: module-b, "
                           "cda: 500 mm^2, cd: 0.65, onset: step}\n";
  const Result<model::Scenario> sc = model::parseScenario(text, "breach.yaml", kData);
  ASSERT_TRUE(sc.ok()) << sc.error().message;
  harness::RunTruth truth{"leak-1", "module-b", sc->startUnix_s + onset, 3600.0, 1800.0};
  detect::DetectorOptions det;
  det.falseAlarmRate_per_s = 1.0 / (365.25 * 86400.0);
  sim::RunOptions ro;
  ro.spinUp_s = 0.0;
  const Result<harness::RunOutcome> out = harness::runWithDetector(*sc, truth, det, ro);
  ASSERT_TRUE(out.ok()) << out.error().message;
  const model::Station& st = sc->station;
  const gas::MixtureProperties mix =
      gas::mixtureProperties(gas::toMassFractions(st.atmosphere.composition));
  const double volume = st.modules[0].volume_m3 + st.modules[1].volume_m3;
  const double m0 =
      st.atmosphere.pressure_pa * volume / (mix.r_j_kgk * st.atmosphere.temperature_k);
  const double o2 = st.atmosphere.composition[gas::index(gas::Species::O2)];
  const double l0 = out->truthRateAtOnset_kg_s;
  ASSERT_GT(l0, 0.0);
  const model::Limits limits = st.limits.value_or(model::Limits{});
  const double closed =
      std::min(detect::decayTime(m0, l0, st.atmosphere.pressure_pa, limits.evacuationPressure_pa),
               detect::decayTime(m0, l0, o2 * st.atmosphere.pressure_pa, limits.minPpO2_pa));
  ASSERT_TRUE(std::isfinite(out->limitTime_s));
  const double simulated = out->limitTime_s - truth.onset_s;
  std::printf("5 cm^2 breach: %.4g kg/s at onset; limit after %.0f s, closed form %.0f s\n", l0,
              simulated, closed);
  EXPECT_NEAR(simulated / closed, 1.0, 0.03);
  ASSERT_TRUE(out->detected);
  ASSERT_FALSE(out->afterAlarm.empty());
  EXPECT_EQ(out->afterAlarm.front().after_s, 0.0);
  for (std::size_t i = 1; i < out->afterAlarm.size(); ++i)
    EXPECT_NEAR(out->afterAlarm[i].after_s - out->afterAlarm[i - 1].after_s, 60.0, 1.0)
        << "one score a block";
  for (const harness::BlockScore& b : out->afterAlarm) {
    EXPECT_LE(b.after_s, 1800.0 + 30.0);
    EXPECT_GE(b.reserveAbove, 0) << "the limit was reached, so every bound is decided";
  }
}

// A run that ends before the leak's module reaches its limit (a 0.5 cm^2 breach in the same
// article, about 40 min to the floor): with a horizon the world runs on
// past the run, and finds the limit when the longer run does (to its 10 s outputs), so every
// bound is decided; without one the bounds that outlast the run stay undecided.
TEST(AfterAlarm, a_run_that_ends_before_the_limit_finds_it_by_running_the_world_on) {
  double onset_s = 0.0;  // Unix time
  const auto run = [&](double duration_s, double horizon_s) {
    const std::string text = "name: breach\nstation: " + kData +
                             "/stations/two-module.yaml\nstart: 2020-01-01T00:00:00Z\n"
                             "duration: " +
                             std::to_string(static_cast<int>(duration_s)) +
                             " s\nseed: 3\noutput_period: 1 s\nthermal: isothermal\n"
                             "events:\n  - at: +3900 s\n    leak: {id: leak-1, module: module-b, "
                             "cda: 50 mm^2, cd: 0.65, onset: step}\n";
    const Result<model::Scenario> sc = model::parseScenario(text, "breach.yaml", kData);
    if (!sc) {
      ADD_FAILURE() << sc.error().message;
      return harness::RunOutcome{};
    }
    onset_s = static_cast<double>(sc->startUnix_s) + 3900.0;
    harness::RunTruth truth{"leak-1", "module-b", onset_s, 3600.0, 1800.0, horizon_s};
    detect::DetectorOptions det;
    det.falseAlarmRate_per_s = 1.0 / (365.25 * 86400.0);
    sim::RunOptions ro;
    ro.spinUp_s = 0.0;
    Result<harness::RunOutcome> out = harness::runWithDetector(*sc, truth, det, ro);
    if (!out) {
      ADD_FAILURE() << out.error().message;
      return harness::RunOutcome{};
    }
    return std::move(out).value();
  };
  const harness::RunOutcome whole = run(7500.0, 0.0);
  ASSERT_TRUE(std::isfinite(whole.limitTime_s));
  const double limit = whole.limitTime_s;  // Unix time
  // Ends 10 min after the onset: the alarm has come, the limit (about 40 min) has not.
  const harness::RunOutcome cut = run(4500.0, 0.0);
  const harness::RunOutcome onward = run(4500.0, 3600.0);
  ASSERT_TRUE(cut.detected);
  ASSERT_TRUE(onward.detected);
  EXPECT_FALSE(std::isfinite(cut.limitTime_s));
  EXPECT_TRUE(std::any_of(cut.afterAlarm.begin(), cut.afterAlarm.end(),
                          [](const harness::BlockScore& b) { return b.reserveAbove < 0; }))
      << "without a horizon a bound that outlasts the run is undecided";
  ASSERT_TRUE(std::isfinite(onward.limitTime_s));
  std::printf("0.5 cm^2 breach: limit %.0f s after the onset in the whole run, %.0f s run on\n",
              limit - onset_s, onward.limitTime_s - onset_s);
  EXPECT_NEAR(onward.limitTime_s, limit, 10.0);
  ASSERT_EQ(onward.afterAlarm.size(), cut.afterAlarm.size());
  for (const harness::BlockScore& b : onward.afterAlarm) EXPECT_GE(b.reserveAbove, 0);
}

// Four runs of one size with hand-made scores: the tally per block, the alarm's block and the
// worst block among those holding at least half the alarm's runs.
TEST(AfterAlarm, the_summary_tallies_every_block_and_finds_the_worst) {
  const Result<CampaignSpec> parsed = parseCampaignSpec(
      "station: ../stations/two-module.yaml\nspin_up: 0 s\nscore_after_alarm: 10 min\n"
      "leak_runs: {reference: 1 h, sizes: [{diameter: 2 mm, runs: 4}]}\n",
      "inline.yaml", kData + "/campaigns");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  std::vector<RunRecord> runs(4);
  // (after_s, covered, reserve) per run; run 3 has only its alarm block.
  const std::vector<std::vector<harness::BlockScore>> scores = {
      {{0, true, 0}, {60, true, 0}, {120, false, 1}},
      {{0, true, 0}, {60, false, 1}, {120, true, 0}},
      {{0, false, 1}, {60, true, -1}, {120, true, 0}},
      {{0, true, -1}},
  };
  for (std::size_t i = 0; i < runs.size(); ++i) {
    runs[i].plan.size = 0;
    runs[i].plan.truth.leakModule = "module-a";
    runs[i].ok = true;
    runs[i].outcome.afterAlarm = scores[i];
  }
  runs[0].outcome.limitTime_s = runs[0].plan.truth.onset_s + 900.0;
  const CampaignStats st = summarise(*parsed, runs);
  const SizeStats& s = st.sizes.at(0);
  ASSERT_EQ(s.afterAlarm.size(), 3u);
  EXPECT_EQ(s.afterAlarm[0].runs, 4);
  EXPECT_EQ(s.afterAlarm[0].covered, 3);
  EXPECT_EQ(s.afterAlarm[0].reserveDecided, 3);
  EXPECT_EQ(s.afterAlarm[0].reserveAbove, 1);
  EXPECT_EQ(s.afterAlarm[1].runs, 3);
  EXPECT_EQ(s.afterAlarm[1].reserveDecided, 2);
  EXPECT_DOUBLE_EQ(s.coverAtAlarm, 0.75);
  EXPECT_DOUBLE_EQ(s.reserveAboveAtAlarm, 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(s.coverWorst, 2.0 / 3.0);  // blocks 1 and 2 tie; the first is named
  EXPECT_DOUBLE_EQ(s.coverWorstAfter_s, 60.0);
  EXPECT_DOUBLE_EQ(s.reserveAboveWorst, 0.5);  // block 1: 1 of 2 decided (2 >= half of 4)
  EXPECT_DOUBLE_EQ(s.reserveAboveWorstAfter_s, 60.0);
  EXPECT_EQ(s.reachedLimit, 1);
  EXPECT_DOUBLE_EQ(s.medianTimeToLimit_s, 900.0);
}

// A resumed campaign summarises to the same figures: the scores survive the journal, and a
// line without them (an older journal) reads as before.
TEST(AfterAlarm, scores_round_trip_through_the_journal) {
  std::vector<PlannedRun> plan(1);
  plan[0].size = 0;
  RunRecord r;
  r.plan = plan[0];
  r.ok = true;
  r.outcome.limitTime_s = 1.5e9 + 1234.5;
  r.outcome.afterAlarm = {{0.0, true, 0}, {60.0, false, 1}, {120.0, true, -1}};
  const auto back = parseRecordLine(recordLine(0, r), plan);
  ASSERT_TRUE(back.ok()) << back.error().message;
  const harness::RunOutcome& o = back->second.outcome;
  EXPECT_EQ(o.limitTime_s, r.outcome.limitTime_s);
  ASSERT_EQ(o.afterAlarm.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(o.afterAlarm[i].after_s, r.outcome.afterAlarm[i].after_s);
    EXPECT_EQ(o.afterAlarm[i].covered, r.outcome.afterAlarm[i].covered);
    EXPECT_EQ(o.afterAlarm[i].reserveAbove, r.outcome.afterAlarm[i].reserveAbove);
  }
  RunRecord plain;
  plain.plan = plan[0];
  const auto old = parseRecordLine(recordLine(0, plain), plan);
  ASSERT_TRUE(old.ok());
  EXPECT_TRUE(old->second.outcome.afterAlarm.empty());
  EXPECT_FALSE(std::isfinite(old->second.outcome.limitTime_s));
}

// A breach given by its CdA gets the choked flow of that area; crew moves go out and come
// home in pairs, and every planned run can be built.
TEST(AfterAlarm, spec_keys_for_breaches_and_crew_moves) {
  const Result<CampaignSpec> spec = parseCampaignSpec(
      "station: ../stations/outpost-6.yaml\nspin_up: 0 s\n"
      "leak_runs: {sizes: [{cda: 1 cm^2, runs: 1}]}\n"
      "leak_free: {runs: 3, duration: 1 day, crew_moves_per_day: 4, crew_away: 1 h,\n"
      "            crew_modules: [hub, airlock]}\n",
      "inline.yaml", kData + "/campaigns");
  ASSERT_TRUE(spec.ok()) << spec.error().message;
  ASSERT_EQ(spec->sizes.size(), 1u);
  EXPECT_DOUBLE_EQ(spec->sizes[0].cda_m2, 1e-4);
  EXPECT_EQ(spec->limitHorizon_s, 0.0) << "not looked for unless asked";
  const Result<CampaignSpec> onward = parseCampaignSpec(
      "station: ../stations/two-module.yaml\nspin_up: 0 s\nlimit_horizon: 10 day\n"
      "leak_runs: {sizes: [{diameter: 2 mm, runs: 1}]}\n",
      "inline.yaml", kData + "/campaigns");
  ASSERT_TRUE(onward.ok()) << onward.error().message;
  EXPECT_DOUBLE_EQ(onward->limitHorizon_s, 864000.0);
  EXPECT_DOUBLE_EQ(planCampaign(*onward, -1, -1).front().truth.limitHorizon_s, 864000.0);
  const Result<model::Station> st = model::loadStation(spec->stationPath);
  ASSERT_TRUE(st.ok());
  const gas::MixtureProperties mix =
      gas::mixtureProperties(gas::toMassFractions(st->atmosphere.composition));
  EXPECT_DOUBLE_EQ(
      spec->sizes[0].rate_kg_s,
      gas::chokedMassFlow(1e-4, {st->atmosphere.pressure_pa, st->atmosphere.temperature_k,
                                 mix.r_j_kgk, mix.gamma}));
  const std::vector<PlannedRun> plan = planCampaign(*spec, -1, -1);
  ASSERT_EQ(plan.size(), 4u);
  // Slots do not overlap (away 1 h, 4 a day): each move out is followed by the same crew
  // member's move home.
  int moves = 0;
  for (const PlannedRun& p : plan) {
    std::vector<std::pair<std::string, std::string>> seq;  // (crew, module) in time order
    for (std::size_t at = p.scenarioText.find("crew_move: {crew: "); at != std::string::npos;
         at = p.scenarioText.find("crew_move: {crew: ", at + 1)) {
      const std::size_t c = at + 18, comma = p.scenarioText.find(',', c);
      const std::size_t m = p.scenarioText.find("module: ", comma) + 8;
      seq.emplace_back(p.scenarioText.substr(c, comma - c),
                       p.scenarioText.substr(m, p.scenarioText.find('}', m) - m));
    }
    ASSERT_EQ(seq.size() % 2, 0u) << p.scenarioText;
    for (std::size_t i = 0; i < seq.size(); i += 2) {
      EXPECT_EQ(seq[i].first, seq[i + 1].first);
      EXPECT_TRUE(seq[i].second == "hub" || seq[i].second == "airlock") << seq[i].second;
      const auto home = std::find_if(spec->crewHomes.begin(), spec->crewHomes.end(),
                                     [&](const auto& h) { return h.first == seq[i].first; });
      ASSERT_NE(home, spec->crewHomes.end());
      EXPECT_EQ(seq[i + 1].second, home->second);
    }
    moves += static_cast<int>(seq.size());
  }
  EXPECT_GE(moves, 2 * 3 * 3);  // about 4 a day in each of the 3 leak-free runs, each a pair
  const Result<bool> buildable = checkPlan(*spec, plan);
  EXPECT_TRUE(buildable.ok()) << buildable.error().message;
  // Without crew on board, crew moves are an error with the spec's name in it.
  const Result<CampaignSpec> none = parseCampaignSpec(
      "station: ../stations/two-module.yaml\nleak_free: {runs: 1, crew_moves_per_day: 1}\n",
      "nocrew.yaml", kData + "/campaigns");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("no crew"), std::string::npos);
}

}  // namespace
}  // namespace leakhunt::campaign
