// One noise model (issue 12): the planner expects a segment's reading with the detector's own
// noise model of its residual, and the one slope formula holds against a Monte Carlo of the
// least-squares fit it describes.
#include "locate/reading_noise.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "detect/machine_rate.hpp"
#include "detect/residual_noise.hpp"
#include "detect/sensor_health.hpp"
#include "locate/station_facts.hpp"
#include "test_stations.hpp"

namespace leakhunt::locate {
namespace {

// The detector's noise prior of the segment `members`, built as the detector builds it: a
// channel per declared sensor, described to its health checks, the crew where they stand.
detect::ResidualNoisePrior detectorPrior(const model::Station& st, const StationFacts& facts,
                                         const std::vector<int>& members) {
  const std::size_t n = st.modules.size();
  detect::SensorHealth health({}, st.sensors.size(), {});
  std::vector<int> thermometerOf(n, -1);
  std::vector<std::vector<int>> pressureChannels(n);
  for (std::size_t c = 0; c < st.sensors.size(); ++c) {
    const model::Sensor& s = st.sensors[c];
    health.describe(static_cast<int>(c), 0, s, 60.0);
    const int m = st.moduleIndex(s.module);
    if (m < 0) continue;
    const auto k = static_cast<std::size_t>(m);
    if (s.quantity == model::Quantity::Pressure) pressureChannels[k].push_back(static_cast<int>(c));
    if (s.quantity == model::Quantity::Temperature && thermometerOf[k] < 0)
      thermometerOf[k] = static_cast<int>(c);
  }
  std::vector<int> crew;
  for (const model::CrewMember& c : st.crew) crew.push_back(st.moduleIndex(c.location));
  return detect::residualNoisePrior(st, facts.rMix_j_kgk, members, thermometerOf, pressureChannels,
                                    health, crew, detect::machineModules(st),
                                    facts.noiseScale.wanderPeriod_s);
}

TEST(ReadingNoise, the_planner_expects_what_the_detectors_noise_model_says) {
  const model::Station st = testing::issStation();
  const StationFacts facts = factsOf(st);
  const NoiseOptions options;
  std::vector<int> all;
  for (std::size_t m = 0; m < st.modules.size(); ++m) all.push_back(static_cast<int>(m));
  const std::vector<std::vector<int>> segments = {
      all, {st.moduleIndex("zvezda")}, {st.moduleIndex("zvezda"), st.moduleIndex("zarya")}};
  int checked = 0;
  for (const std::vector<int>& members : segments) {
    const detect::ResidualNoisePrior d = detectorPrior(st, facts, members);
    detect::SegmentNoiseSums sums;
    for (int m : members) sums.add(facts.noise[static_cast<std::size_t>(m)]);
    int crew = 0;
    for (const model::CrewMember& c : st.crew)
      for (int m : members) crew += st.moduleIndex(c.location) == m ? 1 : 0;
    for (double dwell : {600.0, 3600.0, 4.0 * 3600.0}) {
      const double expected = detect::slopeSigma(d.white_kg, d.wanderRate_kg_s, d.wanderLevel_kg,
                                                 std::floor(dwell / 60.0), options);
      const double planned = readingSigma(facts, sums, crew, dwell, options);
      ASSERT_TRUE(std::isfinite(planned));
      EXPECT_NEAR(planned, expected, 1e-9 * expected) << members.size() << " modules, " << dwell;
      ++checked;
    }
    // Longer dwells read better, and the crew's spread is part of the model.
    EXPECT_LT(readingSigma(facts, sums, crew, 7200.0, options),
              readingSigma(facts, sums, crew, 1800.0, options));
    EXPECT_GT(readingSigma(facts, sums, crew + 3, 3600.0, options),
              readingSigma(facts, sums, crew, 3600.0, options));
  }
  EXPECT_EQ(checked, 9);
}

TEST(ReadingNoise, a_segment_without_a_pressure_sensor_cannot_be_read) {
  const model::Station st = testing::issStation();
  const StationFacts facts = factsOf(st);
  for (std::size_t m = 0; m < st.modules.size(); ++m) {
    detect::SegmentNoiseSums sums;
    sums.add(facts.noise[m]);
    EXPECT_EQ(std::isfinite(readingSigma(facts, sums, 0, 3600.0)),
              static_cast<bool>(facts.hasPressureSensor[m]))
        << st.modules[m].id;
  }
}

// The white part of the formula against the scatter of least-squares slopes fitted to white
// noise, and the wander part adds: a pure closed form, checked over 4000 fits.
TEST(ReadingNoise, the_slope_formula_is_the_scatter_of_a_least_squares_fit) {
  detect::SlopeChangeOptions o;
  std::mt19937_64 rng(20261201);
  std::normal_distribution<double> unit(0.0, 1.0);
  for (int points : {5, 30, 120}) {
    const double white = 0.7;
    double sum2 = 0.0;
    const int fits = 4000;
    for (int k = 0; k < fits; ++k) {
      double st = 0.0, sy = 0.0, stt = 0.0, sty = 0.0;
      for (int i = 0; i < points; ++i) {
        const double t = o.period_s * i, y = white * unit(rng);
        st += t;
        sy += y;
        stt += t * t;
        sty += t * y;
      }
      const double slope = (points * sty - st * sy) / (points * stt - st * st);
      sum2 += slope * slope;
    }
    const double measured = std::sqrt(sum2 / fits);
    const double formula = detect::slopeSigma(white, 0.0, 0.0, points, o);
    // The sd of an sd from 4000 draws is 1.1 %; 5 % is over four of them.
    EXPECT_NEAR(measured / formula, 1.0, 0.05) << points << " points";
    EXPECT_GT(detect::slopeSigma(white, 1e-4, 0.0, points, o), formula);
    EXPECT_GT(detect::slopeSigma(white, 0.0, 1.0, points, o), formula);
  }
  EXPECT_TRUE(std::isinf(detect::slopeSigma(1.0, 0.0, 0.0, 1.0, o)));
}

}  // namespace
}  // namespace leakhunt::locate
