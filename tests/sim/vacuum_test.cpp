// Issue 21, item 3: a hole far larger than any crewed module survives empties the station in
// seconds. What the run reports stays physical: no NaN, no negative pressure or temperature.
#include <gtest/gtest.h>

#include <cmath>

#include "model/load.hpp"
#include "sim/scenario_runner.hpp"

namespace leakhunt::sim {
namespace {

class Check : public RunObserver {
 public:
  int samples = 0, bad = 0;
  std::string first;
  const telemetry::ChannelTable* table = nullptr;
  void begin(const telemetry::ChannelTable&, const telemetry::ChannelTable& truth) override {
    table = &truth;
  }
  void see(const telemetry::Sample& s, const telemetry::ChannelTable* t) {
    ++samples;
    if (std::isfinite(s.value) && s.value >= 0.0) return;
    if (bad++ == 0 && t) first = t->name(s.channel) + " = " + std::to_string(s.value);
  }
  void truth(const telemetry::Sample& s) override { see(s, table); }
  void telemetry(const telemetry::Sample& s) override { see(s, nullptr); }
};

TEST(Vacuum, a_ten_square_metre_hole_empties_the_station_and_reports_nothing_negative) {
  const std::string text =
      "name: huge\nstart: 2030-01-01T00:00:00Z\nduration: 1 h\nseed: 1\noutput_period: 10 s\n"
      "station: " +
      std::string(LEAKHUNT_SOURCE_DIR) +
      "/data/stations/two-module.yaml\n"
      "events:\n  - at: +10 min\n    leak: {id: h, module: module-b, cda: 10 m^2}\n";
  auto sc = model::parseScenario(text, "huge.yaml", ".");
  ASSERT_TRUE(sc.ok()) << sc.error().message;
  RunOptions o;
  o.emitTruth = true;
  o.spinUp_s = 600.0;
  Check c;
  const auto run = runScenario(*sc, o, c);
  ASSERT_TRUE(run.ok()) << run.error().message;
  EXPECT_GT(c.samples, 1000);
  EXPECT_EQ(c.bad, 0) << "first: " << c.first;
  ASSERT_EQ(run->segments.size(), 1u);
  const SegmentSummary& s = run->segments[0];
  EXPECT_LT(s.pressureEnd_pa, 1.0);  // vacuum, to the integrator's tolerance
  EXPECT_TRUE(std::isfinite(s.dropRate_pa_s));
  EXPECT_GE(s.dropRate_pa_s, 0.0);
}

}  // namespace
}  // namespace leakhunt::sim
