// The creep of a station not yet at its CO2 and water balance (issue 18; trace_gases.hpp,
// TraceStart): the same trace-gas books started as the file describes the cabin gain, beyond
// the balance's known sources, what the gap between the two holds, and then no more; a file
// that gives the gases' levels has no creep to allow for.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "detect/books_model.hpp"
#include "detect/report_sizing.hpp"
#include "detect/trace_gases.hpp"
#include "model/station_load.hpp"
#include "model/steady_air.hpp"

namespace leakhunt::detect {
namespace {

std::string stations() { return std::string(LEAKHUNT_SOURCE_DIR) + "/data/stations/"; }

TEST(TraceCreep, only_a_file_that_leaves_a_gas_out_has_a_creep) {
  const Result<model::Station> iss = model::loadStation(stations() + "iss-2018.yaml");
  ASSERT_TRUE(iss.ok()) << iss.error().message;
  EXPECT_FALSE(TraceGases::leavesOutATraceGas(*iss));
  const Result<model::Station> twin =
      model::loadStation(stations() + "calibration/outpost-twin-5.yaml");
  ASSERT_TRUE(twin.ok()) << twin.error().message;
  EXPECT_TRUE(TraceGases::leavesOutATraceGas(*twin));
}

// The outpost twin as one segment, every hatch open, the crew where the file puts them. Over
// five days the cabin as filled gains, beyond the balance's sources, the gap the books hold as
// states (BooksModel's traceFromBalance_kg, computed apart from TraceGases), and its extra gain
// has died away: conservation of the two gases, and one prior for both detectors.
TEST(TraceCreep, a_cabin_as_filled_gains_the_gap_to_its_balance_then_nothing_more) {
  const Result<model::Station> loaded =
      model::loadStation(stations() + "calibration/outpost-twin-5.yaml");
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  const model::Station& twin = *loaded;
  const double r = cabinAirOf(twin).r_j_kgk;
  TraceGases balance(twin, r), filled(twin, r, TraceStart::AsFilled);
  const std::size_t n = twin.modules.size();
  const std::vector<int> segmentOf(n, 0);
  const std::vector<bool> open(twin.hatches.size(), true);
  balance.setSegments(segmentOf, 1, open);
  filled.setSegments(segmentOf, 1, open);
  std::vector<std::vector<int>> members(1);
  std::vector<double> temperature_k;
  for (std::size_t i = 0; i < n; ++i) {
    members[0].push_back(static_cast<int>(i));
    temperature_k.push_back(model::gasTemperature(twin, i));
  }
  std::vector<int> crew;
  for (const model::CrewMember& c : twin.crew) crew.push_back(twin.moduleIndex(c.location));
  std::vector<double> settled, unsettled;
  constexpr double kBlock = 60.0;
  double gained = 0.0, firstHour = 0.0, lastHour = 0.0;
  constexpr int kBlocks = 5 * 1440;
  for (int k = 0; k <= kBlocks; ++k) {
    balance.advance(kBlock, members, temperature_k, crew, settled);
    filled.advance(kBlock, members, temperature_k, crew, unsettled);
    const double extra = (unsettled[0] - settled[0]) * kBlock;
    gained += extra;
    if (k >= 1 && k <= 60) firstHour += extra;
    if (k > kBlocks - 60) lastHour += extra;
  }
  double gap = 0.0;
  for (const ModuleBooks& m : booksModelOf(twin).modules)
    gap -= m.traceFromBalance_kg[0] + m.traceFromBalance_kg[1];
  ASSERT_GT(gap, 3.0);  // about 11 mmHg of water and 3 mmHg of CO2 over 240 m^3, as cabin air
  EXPECT_NEAR(gained, gap, 0.02 * gap);
  EXPECT_GT(firstHour, 0.0);
  EXPECT_LT(lastHour, 0.01 * firstHour);
}

}  // namespace
}  // namespace leakhunt::detect
