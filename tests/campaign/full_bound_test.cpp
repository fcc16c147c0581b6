// The full-noise-model limits `campaign --json` reports beside the white-noise ones
// (crb_full_sigma_kg_s, oracle_full_delay_s; issue 13): a closed form where the books hold
// nothing but white reading noise, never narrower than the reading noise's own bound where the
// station declares wander, and the campaign summary wired to them.
#include "campaign/full_bound.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "detect/books_model.hpp"
#include "model/station_load.hpp"

namespace leakhunt::campaign {
namespace {

// One module, one pressure sensor; no thermometer, crew, machines, orbital swing or unmeasured
// temperature: the books hold the level and the white reading noise, nothing else.
constexpr const char* kQuietBox = R"(
name: quiet box
temperature_unmeasured: 0 K
atmosphere: {pressure: 760 mmHg, temperature: 22 degC, composition: {N2: 0.79, O2: 0.21}}
modules:
  - {id: box, name: Box, volume: 40 m^3, vehicle: box}
sensors:
  - {channel: box.pressure, module: box, quantity: pressure, noise: 0.05 mmHg,
     resolution: 0.1 mmHg, period: 1 s}
)";

// A leak of rate L from the onset removes L dt j by the end of the j-th block; the level m is
// unknown (diffuse prior of variance P0) and read in every block, the W blocks before the onset
// and the n after, with white noise sigma. The information of L with m free is
//   J(n) = (sum a_j^2 - (sum a_j)^2 / (W + n + sigma^2 / P0)) / sigma^2,   a_j = dt j.
TEST(FullBound, white_noise_alone_is_the_least_squares_ramp_with_a_free_level) {
  const Result<model::Station> station = model::parseStation(kQuietBox, "quiet-box.yaml");
  ASSERT_TRUE(station.ok()) << station.error().message;
  const detect::BooksModel books = detect::booksModelOf(*station);
  ASSERT_EQ(books.modules.size(), 1u);
  const double dt = books.options.block_s;
  const double sigma =
      books.modules[0].inventory_kg / books.pressure_pa * books.modules[0].pressureNoise_pa;
  const double p0 = 0.1 * books.modules[0].inventory_kg;
  ASSERT_GT(sigma, 0.0);
  const int warm = 120;
  const detect::FullModelBound bound = leakBound(*station, 0, warm * dt, 3.0 * 3600.0);
  for (int n : {5, 20, 60, 180}) {
    double s1 = 0.0, s2 = 0.0;
    for (int j = 1; j <= n; ++j) s1 += dt * j, s2 += dt * dt * j * j;
    const double j = (s2 - s1 * s1 / (warm + n + sigma * sigma / (p0 * p0))) / (sigma * sigma);
    const double closed = 1.0 / std::sqrt(j);
    const double got = bound.crbSigma_kg_s(n * dt);
    std::printf("n = %3d blocks: full-model CRB %.4g kg/s, closed form %.4g (ratio %.4f)\n", n, got,
                closed, got / closed);
    EXPECT_NEAR(got / closed, 1.0, 0.01) << n << " blocks";
  }
}

// Outpost-6 declares unmeasured gas-temperature wander and source spread: the full model's
// bound is wider than the reading noise's alone, and its oracle delay longer.
TEST(FullBound, wander_makes_the_bound_wider_than_the_reading_noise_alone) {
  const Result<model::Station> station =
      model::loadStation(std::string(LEAKHUNT_SOURCE_DIR) + "/data/stations/outpost-6.yaml");
  ASSERT_TRUE(station.ok()) << station.error().message;
  const double h = std::log(365.25 * 86400.0), hole = 1.2e-4;  // about 2 mm at 10.2 psi
  for (const char* id : {"hab", "airlock"}) {
    const int m = station->moduleIndex(id);
    ASSERT_GE(m, 0);
    const detect::FullModelBound full = leakBound(*station, m, 3.0 * 3600.0, 6.0 * 3600.0);
    const detect::FullModelBound white =
        leakBound(*station, m, 3.0 * 3600.0, 6.0 * 3600.0, /*whiteOnly=*/true);
    std::printf("%s: CRB at 1 h %.3g kg/s full, %.3g white; oracle %.1f min full, %.1f white\n", id,
                full.crbSigma_kg_s(3600.0), white.crbSigma_kg_s(3600.0),
                full.oracleDelay_s(hole, h) / 60.0, white.oracleDelay_s(hole, h) / 60.0);
    EXPECT_GT(full.crbSigma_kg_s(3600.0), 1.5 * white.crbSigma_kg_s(3600.0)) << id;
    EXPECT_GE(full.oracleDelay_s(hole, h), white.oracleDelay_s(hole, h)) << id;
  }
}

// The campaign summary puts each run's bound into its size: RMS of the per-run CRB at
// check_after, the median oracle delay at the runs' true rates.
TEST(FullBound, the_summary_carries_the_full_model_figures_of_each_size) {
  const std::string dir = std::string(LEAKHUNT_SOURCE_DIR) + "/data/campaigns";
  const Result<CampaignSpec> spec = parseCampaignSpec(
      "station: ../stations/two-module.yaml\ncheck_after: 30 min\nspin_up: 0 s\n"
      "leak_runs: {reference: 1 h, onset_window: 10 min, follow: 40 min, "
      "sizes: [{diameter: 2 mm, runs: 2}]}\n",
      "inline.yaml", dir);
  ASSERT_TRUE(spec.ok()) << spec.error().message;
  std::vector<RunRecord> runs(2);
  for (RunRecord& r : runs) {
    r.plan.size = 0;
    r.ok = true;
    r.outcome.truthRateAtOnset_kg_s = 5e-4;
    r.outcome.detected = true;
    r.outcome.delay_s = 600.0;
  }
  runs[0].plan.truth.leakModule = "module-a";
  runs[1].plan.truth.leakModule = "module-b";
  const CampaignStats st = summarise(*spec, runs);
  ASSERT_EQ(st.sizes.size(), 1u);
  const Result<model::Station> station = model::loadStation(spec->stationPath);
  ASSERT_TRUE(station.ok());
  double sum = 0.0;
  std::vector<double> oracle;
  for (int m : {0, 1}) {
    const detect::FullModelBound b = leakBound(*station, m, warmUpOf(*spec), 40.0 * 60.0);
    sum += std::pow(b.crbSigma_kg_s(30.0 * 60.0), 2);
    oracle.push_back(b.oracleDelay_s(5e-4, std::log(365.25 * 86400.0)));
  }
  EXPECT_NEAR(st.sizes[0].crbFullSigma_kg_s, std::sqrt(sum / 2.0), 1e-12);
  EXPECT_NEAR(st.sizes[0].oracleFullDelay_s, 0.5 * (oracle[0] + oracle[1]), 1e-9);
  EXPECT_NEAR(st.sizes[0].medianDelayOverOracleFull, 600.0 / st.sizes[0].oracleFullDelay_s, 1e-9);
}

}  // namespace
}  // namespace leakhunt::campaign
