#include "sim/scenario_runner.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <sstream>

#include "model/load.hpp"
#include "sim/sensors.hpp"

namespace leakhunt::sim {
namespace {

const std::string kData = std::string(LEAKHUNT_SOURCE_DIR) + "/data/";

// Keeps every sample, by channel name.
class Recorder : public RunObserver {
 public:
  std::vector<telemetry::Sample> telemetrySamples, truthSamples;
  void telemetry(const telemetry::Sample& s) override { telemetrySamples.push_back(s); }
  void truth(const telemetry::Sample& s) override { truthSamples.push_back(s); }
};

model::Scenario twoModuleScenario(const std::string& events, double duration_h = 2.0) {
  const std::string text =
      "name: test\nstation: ../stations/two-module.yaml\n"
      "start: 2020-01-01T00:00:00Z\nduration: " +
      std::to_string(duration_h) + " h\nseed: 3\noutput_period: 1 s\n" + events;
  auto s = model::parseScenario(text, "test.yaml", kData + "scenarios");
  if (!s) throw std::runtime_error(s.error().message);
  return *s;
}

TEST(ScenarioRunner, same_seed_gives_the_same_samples_and_another_seed_does_not) {
  model::Scenario sc = twoModuleScenario("events: []\n", 0.5);
  RunOptions o;
  Recorder a, b, c;
  ASSERT_TRUE(runScenario(sc, o, a));
  ASSERT_TRUE(runScenario(sc, o, b));
  sc.seed = 4;
  ASSERT_TRUE(runScenario(sc, o, c));
  ASSERT_EQ(a.telemetrySamples.size(), b.telemetrySamples.size());
  ASSERT_GT(a.telemetrySamples.size(), 1000u);
  bool differs = false;
  for (std::size_t i = 0; i < a.telemetrySamples.size(); ++i) {
    EXPECT_EQ(a.telemetrySamples[i].value, b.telemetrySamples[i].value);
    differs |= a.telemetrySamples[i].value != c.telemetrySamples[i].value;
  }
  EXPECT_TRUE(differs);
}

TEST(ScenarioRunner, events_act_in_order_and_samples_come_in_time_order) {
  // The hatch closes at 0.5 h, the leak opens in module-a at 1 h: module-b must hold its gas.
  const model::Scenario sc = twoModuleScenario(
      "events:\n  - {at: +1 h, leak: {id: h, module: module-a, diameter: 5 mm}}\n"
      "  - {at: +0.5 h, hatch: {id: hatch-ab, state: closed}}\n");
  RunOptions o;
  o.emitTruth = true;
  Recorder r;
  const auto run = runScenario(sc, o, r);
  ASSERT_TRUE(run);
  for (std::size_t i = 1; i < r.telemetrySamples.size(); ++i)
    ASSERT_GE(r.telemetrySamples[i].time_s, r.telemetrySamples[i - 1].time_s);
  const int pa = run->truthChannels.find("module-a.pressure");
  const int pb = run->truthChannels.find("module-b.pressure");
  const int flow = run->truthChannels.find("h.mass_flow");
  std::map<double, double> a, b, f;
  for (const auto& s : r.truthSamples) {
    const double t = std::round(s.time_s - static_cast<double>(sc.startUnix_s));
    if (s.channel == pa) a[t] = s.value;
    if (s.channel == pb) b[t] = s.value;
    if (s.channel == flow) f[t] = s.value;
  }
  EXPECT_EQ(f.at(3599.0), 0.0);
  EXPECT_GT(f.at(3601.0), 0.0);
  EXPECT_NEAR(a.at(3600.0), a.at(0.0),
              80.0);  // no leak yet: only the unmeasured temperature wander
  EXPECT_LT(a.at(7200.0), a.at(3600.0) - 5000.0);  // a 5 mm hole for an hour in 50 m^3
  EXPECT_NEAR(b.at(7200.0), b.at(1800.0), 80.0);   // closed off before the hole opened
}

// Monte Carlo settles the cabin once: starting from a saved start state is the same run.
TEST(ScenarioRunner, a_saved_start_state_reproduces_the_spun_up_run) {
  const model::Scenario sc = twoModuleScenario(
      "events:\n  - {at: +10 min, leak: {id: h, module: module-a, diameter: 2 mm}}\n", 0.5);
  RunOptions o;
  Recorder spun, cached;
  const auto first = runScenario(sc, o, spun);
  ASSERT_TRUE(first);
  o.initialState = first->initialState;
  ASSERT_TRUE(runScenario(sc, o, cached));
  ASSERT_EQ(spun.telemetrySamples.size(), cached.telemetrySamples.size());
  for (std::size_t i = 0; i < spun.telemetrySamples.size(); ++i)
    ASSERT_EQ(spun.telemetrySamples[i].value, cached.telemetrySamples[i].value) << i;
  o.initialState.assign(3, 0.0);
  Recorder bad;
  EXPECT_FALSE(runScenario(sc, o, bad));
}

TEST(SensorModel, noise_has_the_stated_standard_deviation_and_quantisation) {
  model::Sensor s;
  s.channel = "x.pressure";
  s.noise = 10.0;
  s.resolution = 0.0;
  SensorModel m(s, 42, {});
  const int n = 200000;
  double sum = 0.0, sum2 = 0.0;
  for (int i = 0; i < n; ++i) {
    const double v = *m.read(i, 1000.0) - 1000.0;
    sum += v;
    sum2 += v * v;
  }
  const double mean = sum / n, sd = std::sqrt(sum2 / n - mean * mean);
  EXPECT_NEAR(mean, 0.0, 5.0 * 10.0 / std::sqrt(n));
  EXPECT_NEAR(sd / 10.0, 1.0, 0.01);  // sd of the sd estimate is 1/sqrt(2n) = 0.0016
  s.resolution = 13.3;
  SensorModel q(s, 43, {});
  for (int i = 0; i < 1000; ++i) {
    const double v = *q.read(i, 1000.0);
    EXPECT_NEAR(std::remainder(v, 13.3), 0.0, 1e-9);
  }
}

TEST(SensorModel, faults_drop_stick_and_jump) {
  model::Sensor s;
  s.noise = 1.0;
  SensorModel m(s, 1,
                {{10.0, 20.0, model::SensorFaultKind::Dropout, 0.0},
                 {30.0, 40.0, model::SensorFaultKind::Stuck, 0.0},
                 {50.0, 60.0, model::SensorFaultKind::BiasJump, 100.0}});
  EXPECT_TRUE(m.read(5.0, 0.0).has_value());
  EXPECT_FALSE(m.read(15.0, 0.0).has_value());
  const double before = *m.read(29.0, 0.0);
  EXPECT_EQ(*m.read(31.0, 0.0), before);
  EXPECT_EQ(*m.read(39.0, 0.0), before);
  EXPECT_GT(*m.read(55.0, 0.0), 90.0);
  EXPECT_LT(*m.read(65.0, 0.0), 10.0);
}

}  // namespace
}  // namespace leakhunt::sim
