// A station not yet at its CO2 and water balance (docs/detection.md, "A station not yet at its
// balance"): the outpost twin's cabin is filled with no CO2 or water, and the simulator's
// spin-up leaves its gases a few per cent short of balance, still rising when the data begin.
// The known sources assume the balance, so the books counted the rising gases' gain against
// every hole: 2 mm rates read 2 to 3 % low and their intervals covered about 70 %. The
// distances from balance as states of the books take the gain out. The control is the same
// station whose file states the two gases' levels (a millionth each): no states, as before.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "campaign/campaign.hpp"
#include "program.hpp"

namespace leakhunt::campaign {
namespace {

SizeStats twoMillimetre(const std::string& stationPath) {
  const std::string text = "name: trace balance\nstation: " + stationPath +
                           "\nstart: 2026-03-01T00:00:00Z\nseed: 8\nspin_up: 2 day\ncd: 0.65\n"
                           "false_alarm_rate: 1/yr\ncheck_after: 1 h\ndetector: state-space\n"
                           "leak_runs: {reference: 2 h, onset_window: 92 min, follow: 65 min, "
                           "modules: all, sizes: [{diameter: 2 mm, runs: 60}]}\n";
  const Result<CampaignSpec> spec = parseCampaignSpec(text, "inline.yaml", "/");
  EXPECT_TRUE(spec.ok()) << spec.error().message;
  if (!spec.ok()) return {};
  const std::vector<PlannedRun> plan = planCampaign(*spec, -1, 0);
  const std::vector<RunRecord> runs = executeCampaign(*spec, plan, 2, [](int, int) {});
  const CampaignStats stats = summarise(*spec, runs);
  EXPECT_EQ(stats.sizes.size(), 1u);
  return stats.sizes.empty() ? SizeStats{} : stats.sizes[0];
}

TEST(TraceBalance, a_station_still_rising_to_balance_does_not_bias_the_books_rate) {
  const std::string twin =
      std::string(LEAKHUNT_SOURCE_DIR) + "/data/stations/calibration/outpost-twin-5.yaml";
  const std::filesystem::path dir = testing::scratchDir("trace-balance");
  std::string station = testing::slurp(twin);
  const std::string filled = "composition: {N2: 0.69, O2: 0.31}";
  const auto at = station.find(filled);
  ASSERT_NE(at, std::string::npos);
  station.replace(at, filled.size(),
                  "composition: {N2: 0.69, O2: 0.309998, CO2: 0.000001, H2O: 0.000001}");
  const std::filesystem::path stated = dir / "outpost-twin-levels-stated.yaml";
  std::ofstream(stated) << station;

  const SizeStats withStates = twoMillimetre(twin);
  const SizeStats control = twoMillimetre(stated.string());
  std::filesystem::remove_all(dir);
  std::printf(
      "2 mm on the outpost twin, 60 holes: mean error %+.2f %% (control %+.2f %%), "
      "covered %d (control %d), spread %.3g kg/s (control %.3g)\n",
      100.0 * withStates.meanRelError, 100.0 * control.meanRelError, withStates.covered95,
      control.covered95, withStates.rateSpread_kg_s, control.rateSpread_kg_s);
  ASSERT_EQ(withStates.estimated, 60);
  ASSERT_EQ(control.estimated, 60);
  // The control shows the bias this test exists for (plan seeds 3, 4 and 7 of the tuning
  // looks: -2.8, -2.7 and -2.1 %; each mean's standard error about 0.3 %). With the states,
  // -0.7 % when written (-0.6 to -1.0 % on those seeds).
  EXPECT_LT(control.meanRelError, -0.015);
  EXPECT_LT(std::abs(withStates.meanRelError), 0.015);
  EXPECT_GE(withStates.covered95, control.covered95 + 5);
}

}  // namespace
}  // namespace leakhunt::campaign
