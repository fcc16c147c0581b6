#include "detect/logged_gas.hpp"

#include <gtest/gtest.h>

#include <string>

#include "gas/species.hpp"
#include "model/station_load.hpp"

namespace leakhunt::detect {
namespace {

// A repress of 30 min from t = 100 s: the block means of its delivered share, by the closed
// forms of a ramp's integral. Their differences sum to 1 across the blocks it spans, so a
// repress counts its whole mass once however it falls on the block grid.
TEST(LoggedGas, the_block_means_of_a_ramp_count_its_mass_once) {
  LoggedRepress r;
  r.start_s = 100.0;
  r.end_s = 1900.0;
  EXPECT_DOUBLE_EQ(meanDeliveredShare(r, 0.0, 60.0), 0.0);
  EXPECT_NEAR(meanDeliveredShare(r, 60.0, 120.0), (20.0 * 20.0 / 2.0) / 1800.0 / 60.0, 1e-15);
  EXPECT_NEAR(meanDeliveredShare(r, 1000.0, 1060.0), (1030.0 - 100.0) / 1800.0, 1e-12);
  EXPECT_DOUBLE_EQ(meanDeliveredShare(r, 2000.0, 2060.0), 1.0);
  double counted = 0.0;
  for (double t = 60.0; t < 2400.0; t += 60.0)
    counted += meanDeliveredShare(r, t, t + 60.0) - meanDeliveredShare(r, t - 60.0, t);
  EXPECT_NEAR(counted, 1.0, 1e-12);
  // One logged as instantaneous: a step, half of it in the block mean that holds it.
  r.end_s = r.start_s;
  EXPECT_NEAR(meanDeliveredShare(r, 70.0, 130.0), 0.5, 1e-12);
}

// The log names the gas: its kilograms count as R_gas / R_cabin of cabin air. It does not: the
// module's tanks' mean, with half their range as the error (an O2 and an N2 tank: 0.905 and
// 1.03 of air).
TEST(LoggedGas, a_logged_kilogram_counts_as_cabin_air_by_its_gas_constant) {
  const std::string path = std::string(LEAKHUNT_SOURCE_DIR) + "/data/stations/iss-2018.yaml";
  Result<model::Station> station = model::loadStation(path);
  ASSERT_TRUE(station.ok()) << station.error().message;
  const double rCabin = 287.0;
  const RepressGas gases(*station, rCabin);
  LoggedRepress o2;
  o2.module = station->moduleIndex("progress-ms09");
  o2.mass_kg = 5.0;
  o2.gasConstant_j_kgk = gas::gasConstant(gas::index(gas::Species::O2));
  o2.errorFraction = 0.02;
  const LoggedGas g = gases.of(o2);
  EXPECT_NEAR(g.airEquivalent, o2.gasConstant_j_kgk / rCabin, 1e-12);
  EXPECT_DOUBLE_EQ(g.spread, 0.0);
  EXPECT_NEAR(g.sigma_kg(o2.mass_kg), 5.0 * 0.02 * g.airEquivalent, 1e-12);
  LoggedRepress unnamed = o2;
  unnamed.gasConstant_j_kgk = 0.0;
  unnamed.errorFraction = 0.0;
  unnamed.module = station->moduleIndex("quest");
  const LoggedGas q = gases.of(unnamed);
  EXPECT_DOUBLE_EQ(q.error, kRepressMassError);
  EXPECT_GT(q.airEquivalent, 0.85);
  EXPECT_LT(q.airEquivalent, 1.1);
}

}  // namespace
}  // namespace leakhunt::detect
