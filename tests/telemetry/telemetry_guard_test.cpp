// The telemetry guard on its own (the CLI cases are in tests/robustness): which samples it
// passes, drops and refuses, and its verdict after the last one.
#include "telemetry/telemetry_guard.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

namespace leakhunt::telemetry {
namespace {

model::Station twoModules() {
  model::Station st;
  st.modules.push_back(model::Module{});
  st.modules.back().id = "a";
  st.modules.push_back(model::Module{});
  st.modules.back().id = "b";
  for (const char* m : {"a", "b"}) {
    model::Sensor s;
    s.channel = std::string(m) + ".pressure";
    s.module = m;
    s.quantity = model::Quantity::Pressure;
    st.sensors.push_back(s);
  }
  return st;
}

struct Fed {
  std::vector<Sample> used;
  std::optional<std::string> refusal;
};

// Feeds (time, channel, value) rows through `guard` as lines 2, 3, ... of "tm.csv".
Fed feed(TelemetryGuard& guard, ChannelTable& channels,
         const std::vector<std::tuple<double, std::string, double>>& rows) {
  Fed fed;
  std::size_t line = 1;
  for (const auto& [t, name, v] : rows) {
    const Sample s{t, channels.intern(name), v};
    bool use = false;
    fed.refusal = guard.check(s, channels, "tm.csv", ++line, use);
    if (fed.refusal) return fed;
    if (use) fed.used.push_back(s);
  }
  return fed;
}

// Issue 14: a humidity channel reads percent relative humidity; what no hygrometer gives is
// refused, by the file guard and by serve's ingest (checkValue) alike; a humidity channel does
// not make its module watched (only pressure does).
TEST(TelemetryGuard, humidity_is_percent_from_0_to_100) {
  model::Station st = twoModules();
  model::Sensor rh;
  rh.channel = "a.humidity";
  rh.module = "a";
  rh.quantity = model::Quantity::RelativeHumidity;
  st.sensors.push_back(rh);
  TelemetryGuard guard(st);
  EXPECT_TRUE(guard.matches("a.humidity"));
  EXPECT_FALSE(guard.checkValue("a.humidity", 0.0, true));
  EXPECT_FALSE(guard.checkValue("a.humidity", 45.0, true));
  EXPECT_FALSE(guard.checkValue("a.humidity", 100.0, false));
  for (const double bad : {100.5, -1.0, std::nan("")}) {
    const auto refusal = guard.checkValue("a.humidity", bad, false);
    ASSERT_TRUE(refusal) << bad;
    EXPECT_NE(refusal->find("is not a relative humidity: allowed 0 to 100 (percent)"),
              std::string::npos)
        << *refusal;
  }
  ChannelTable channels;
  const Fed fed = feed(guard, channels, {{0, "a.humidity", 40.0}, {1, "a.humidity", 140.0}});
  ASSERT_TRUE(fed.refusal);
  EXPECT_NE(fed.refusal->find("channel 'a.humidity' value 140 is not"), std::string::npos)
      << *fed.refusal;
  EXPECT_EQ(guard.watchedModules(), (std::vector<bool>{false, false}));
}

TEST(TelemetryGuard, in_order_si_values_of_known_channels_pass) {
  const model::Station st = twoModules();
  TelemetryGuard guard(st);
  ChannelTable channels;
  const Fed fed =
      feed(guard, channels,
           {{0, "a.pressure", 101325}, {0, "b.pressure", 101300}, {1, "a.pressure", 101320}});
  EXPECT_FALSE(fed.refusal);
  EXPECT_EQ(fed.used.size(), 3u);
  EXPECT_FALSE(guard.verdict());
  EXPECT_TRUE(guard.warnings().empty());
  EXPECT_EQ(guard.watchedModules(), (std::vector<bool>{true, true}));
}

TEST(TelemetryGuard, a_row_back_in_time_is_dropped_and_counted) {
  const model::Station st = twoModules();
  TelemetryGuard guard(st);
  ChannelTable channels;
  std::vector<std::tuple<double, std::string, double>> rows;
  for (int i = 0; i < 200; ++i) rows.emplace_back(10.0 * i, "a.pressure", 101325.0);
  rows.emplace_back(5.0, "a.pressure", 101325.0);     // line 202
  rows.emplace_back(1990.5, "b.pressure", 101325.0);  // within the jitter: kept
  const Fed fed = feed(guard, channels, rows);
  EXPECT_EQ(fed.used.size(), 201u);
  EXPECT_FALSE(guard.verdict());  // 1 of 202 is under 1 %
  ASSERT_EQ(guard.warnings().size(), 1u);
  EXPECT_EQ(guard.warnings()[0],
            "1 of 202 rows go back in time and were not used; the first is tm.csv:202 "
            "(1970-01-01T00:00:05.000Z), after tm.csv:201 (1970-01-01T00:33:10.000Z)");
}

TEST(TelemetryGuard, values_outside_physics_and_unit_slips_are_refused) {
  const model::Station st = twoModules();
  for (double bad : {-1.0, 1.1e6, 1e308}) {
    TelemetryGuard guard(st);
    ChannelTable channels;
    const Fed fed = feed(guard, channels, {{0, "a.pressure", 101325}, {1, "a.pressure", bad}});
    ASSERT_TRUE(fed.refusal) << bad;
    EXPECT_NE(fed.refusal->find("is not an absolute pressure: allowed 0 to 1e6 Pa"),
              std::string::npos)
        << *fed.refusal;
  }
  for (double slip : {760.0, 101.325, 14.696, 1.01325, 1013.25}) {
    TelemetryGuard guard(st);
    ChannelTable channels;
    const Fed fed = feed(guard, channels, {{0, "a.pressure", slip}});
    ASSERT_TRUE(fed.refusal) << slip;
    EXPECT_NE(fed.refusal->find("looks like"), std::string::npos) << *fed.refusal;
  }
  // A cabin well below its nominal pressure later in the file is physics, not a unit slip.
  TelemetryGuard guard(st);
  ChannelTable channels;
  EXPECT_FALSE(feed(guard, channels, {{0, "a.pressure", 101325}, {9, "a.pressure", 760}}).refusal);
}

TEST(TelemetryGuard, nothing_matching_is_a_refusal_with_exit_2) {
  const model::Station st = twoModules();
  TelemetryGuard guard(st);
  ChannelTable channels;
  EXPECT_FALSE(feed(guard, channels, {{0, "cabin.p", 101325}}).refusal);
  const std::optional<GuardFailure> v = guard.verdict();
  ASSERT_TRUE(v);
  EXPECT_EQ(v->exitCode, 2);
  EXPECT_NE(v->message.find("Expected 'a.pressure', 'b.pressure'; found 'cabin.p'"),
            std::string::npos)
      << v->message;
  EXPECT_EQ(guard.watchedModules(), (std::vector<bool>{false, false}));
}

}  // namespace
}  // namespace leakhunt::telemetry
