// The campaign's excursions (docs/detection.md, "Excursions: the threshold's rate read far below
// it"): the effective tests per block from a known count against the closed form, and a run's
// statistic counted through every level on its way to an alarm.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <string>

#include "campaign/campaign.hpp"
#include "harness/scored_run.hpp"
#include "model/load.hpp"

namespace leakhunt::campaign {
namespace {

const std::string kData = std::string(LEAKHUNT_SOURCE_DIR) + "/data";
constexpr double kYear_s = 365.25 * 86400.0;

double upperTail(double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); }

// Leak-free runs holding, together, one segment-year and exactly the upcrossings that K
// independent tests per 60 s block would give at each level: the summary must read K back.
TEST(Excursions, the_effective_tests_are_read_back_from_the_counts_they_would_give) {
  const Result<CampaignSpec> spec = parseCampaignSpec(
      "station: ../stations/two-module.yaml\nspin_up: 0 s\n", "inline.yaml", kData + "/campaigns");
  ASSERT_TRUE(spec.ok()) << spec.error().message;
  const double k = 2.5;
  std::vector<RunRecord> runs(4);
  for (RunRecord& r : runs) {
    r.plan.size = -1;  // leak-free
    r.ok = true;
    r.outcome.segmentSeconds = kYear_s / 4.0;
    r.outcome.blockPeriod_s = 60.0;
  }
  std::array<int, harness::kExcursionLevels.size()> total{};
  for (std::size_t j = 0; j < total.size(); ++j) {
    total[j] =
        static_cast<int>(std::lround(k * upperTail(harness::kExcursionLevels[j]) * kYear_s / 60.0));
    for (std::size_t i = 0; i < runs.size(); ++i)  // split unevenly: only the sum counts
      runs[i].outcome.excursions[j] = i == 0 ? total[j] - 3 * (total[j] / 4) : total[j] / 4;
  }
  const CampaignStats st = summarise(*spec, runs);
  EXPECT_NEAR(st.leakFreeSegmentYears, 1.0, 1e-12);
  for (std::size_t j = 0; j < total.size(); ++j) {
    EXPECT_EQ(st.excursions[j], total[j]);
    EXPECT_NEAR(st.excursionsPerSegmentYear[j], total[j], 1e-9);
    // Rounding the count to a whole number moves K by at most half an event's share.
    EXPECT_NEAR(st.effectiveTests[j], k, 0.5 * k / total[j] + 1e-9) << "z " << j;
  }
}

// A hole in the two-module article: the test's statistic climbs through every level before it
// alarms, the alarm's own block included. The same run without the hole does not reach 4.5 in
// its three hours (at 1/yr, about one chance in a thousand).
TEST(Excursions, a_leak_climbs_through_every_level_on_its_way_to_the_alarm) {
  const auto run = [](const std::string& events) {
    const std::string text = "name: hole\nstation: " + kData +
                             "/stations/two-module.yaml\nstart: 2020-01-01T00:00:00Z\n"
                             "duration: 3 h\nseed: 5\noutput_period: 1 s\nthermal: isothermal\n" +
                             events;
    const Result<model::Scenario> sc = model::parseScenario(text, "hole.yaml", kData);
    EXPECT_TRUE(sc.ok()) << (sc.ok() ? "" : sc.error().message);
    harness::RunTruth truth{"leak-1", "module-b", sc->startUnix_s + 7200.0, 1800.0};
    detect::DetectorOptions det;
    sim::RunOptions ro;
    ro.spinUp_s = 0.0;
    const Result<harness::RunOutcome> out = harness::runWithDetector(*sc, truth, det, ro);
    EXPECT_TRUE(out.ok()) << (out.ok() ? "" : out.error().message);
    return out.ok() ? *out : harness::RunOutcome{};
  };
  const harness::RunOutcome leak =
      run("events:\n  - at: +7200 s\n    leak: {id: leak-1, module: module-b, cda: 0.3 mm^2, "
          "cd: 0.65, onset: step}\n");
  ASSERT_TRUE(leak.detected);
  std::printf("0.3 mm^2: alarm %.0f s after the onset; upcrossings %d %d %d %d\n", leak.delay_s,
              leak.excursions[0], leak.excursions[1], leak.excursions[2], leak.excursions[3]);
  for (std::size_t j = 0; j < leak.excursions.size(); ++j) EXPECT_GE(leak.excursions[j], 1) << j;
  const harness::RunOutcome quiet = run("");
  EXPECT_FALSE(quiet.detected);
  EXPECT_EQ(quiet.excursions[3], 0);
}

}  // namespace
}  // namespace leakhunt::campaign
