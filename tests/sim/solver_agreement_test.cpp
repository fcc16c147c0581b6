#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "model/load.hpp"
#include "sim/scenario_runner.hpp"

namespace leakhunt::sim {
namespace {

class PressureRecorder : public RunObserver {
 public:
  std::vector<int> pressureChannels;
  std::vector<telemetry::Sample> samples;
  void begin(const telemetry::ChannelTable&, const telemetry::ChannelTable& truth) override {
    for (std::size_t c = 0; c < truth.size(); ++c)
      if (truth.name(static_cast<int>(c)).ends_with(".pressure"))
        pressureChannels.push_back(static_cast<int>(c));
  }
  void truth(const telemetry::Sample& s) override {
    if (std::find(pressureChannels.begin(), pressureChannels.end(), s.channel) !=
        pressureChannels.end())
      samples.push_back(s);
  }
};

// physics.md 3: the segment reduction is the large-hatch limit of the full network. On the
// 2018 scenario's first day (the hole, the overnight hatch closures and reopenings, the patch
// and the repress) every module pressure of the two paths agrees to 1e-6 relative at every
// output. Two things make it so: the reduction reports the pressure differences its routed
// hatch flows need (the first correction to one pressure per segment), and a hatch opening
// moves gas over the tree by displacement, as the full network's transient does.
TEST(SolverAgreement, full_network_and_segment_reduction_agree_on_the_2018_scenario) {
  auto loaded = model::loadScenario(std::string(LEAKHUNT_SOURCE_DIR) +
                                    "/data/scenarios/soyuz-ms09-2018.yaml");
  ASSERT_TRUE(loaded) << loaded.error().message;
  model::Scenario sc = *loaded;
  sc.duration_s = 24.0 * 3600.0;
  std::erase_if(sc.events, [&](const model::Event& e) { return e.time_s > sc.duration_s; });
  ASSERT_GE(sc.events.size(), 5u);  // the hole, hatch closures, patch, repress
  sc.outputPeriod_s = 600.0;
  RunOptions o;
  o.emitTelemetry = false;
  o.emitTruth = true;
  o.spinUp_s = 86400.0;
  o.relativeTolerance = 1e-9;
  PressureRecorder full, reduced;
  o.solver = Solver::Full;
  ASSERT_TRUE(runScenario(sc, o, full));
  o.solver = Solver::Reduced;
  ASSERT_TRUE(runScenario(sc, o, reduced));
  ASSERT_EQ(full.samples.size(), reduced.samples.size());
  ASSERT_GT(full.samples.size(), 100u);
  double worst = 0.0;
  for (std::size_t i = 0; i < full.samples.size(); ++i) {
    ASSERT_EQ(full.samples[i].channel, reduced.samples[i].channel);
    const double d = std::abs(reduced.samples[i].value / full.samples[i].value - 1.0);
    worst = std::max(worst, d);
  }
  RecordProperty("worst_relative_difference", std::to_string(worst));
  std::printf("worst relative difference of module pressures: %.3g\n", worst);
  EXPECT_LT(worst, 1e-6);
  // The hole did something: the station lost more than 1 mmHg over the day.
  EXPECT_LT(full.samples.back().value, full.samples.front().value - 133.0);
}

}  // namespace
}  // namespace leakhunt::sim
