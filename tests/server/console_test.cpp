// The flight director's console over real HTTP clients (docs/server.md, "The console"):
// GET /api/plan's shape, who may confirm a step, and `serve --scenario` with the operations
// core in the loop: the simulated crew carries out confirmed (or, with the autopilot, proposed)
// steps and the plan reaches "cornered" in the module that holds the hole. Every wait is
// bounded; the clock is the scenario's, run fast.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "archive/archive.hpp"
#include "client.hpp"
#include "harness/simulated_station.hpp"
#include "model/load.hpp"
#include "server/station_server.hpp"

namespace leakhunt::server {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using test::get;
using test::post;

class ConsoleTest : public ::testing::Test {
 protected:
  void SetUp() override { dir = test::scratchDir("leakhunt-console"); }
  void TearDown() override {
    server.reset();
    fs::remove_all(dir);
  }

  void start(std::unique_ptr<TelemetrySource> source, const model::Station& station) {
    ServeConfig c;
    c.station = station;
    c.source = std::move(source);
    server = test::startServer(std::move(c), dir);
    ASSERT_TRUE(server);
    port = server->port();
  }

  // The console's scenario (tests/server/two-module-2mm.yaml), run `speed` times real time.
  void startScenario(double speed, bool autopilot,
                     const std::string& file = "tests/server/two-module-2mm.yaml") {
    Result<model::Scenario> sc = model::loadScenario(std::string(LEAKHUNT_SOURCE_DIR) + "/" + file);
    ASSERT_TRUE(sc) << sc.error().message;
    harness::FeedOptions feed;
    feed.speed = speed;
    feed.autopilot = autopilot;
    feed.onFinish = [this](const std::string& error) {
      finishError = error;
      finished = true;
    };
    const model::Station station = sc->station;
    start(std::make_unique<harness::SimulatedStation>(std::move(*sc), feed), station);
  }

  json plan() {
    const test::Reply r = get(port, "/api/plan", test::kViewerToken);
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body, nullptr, false);
  }

  // Whether the operations core has read everything acknowledged (it reads just after).
  bool caughtUp() {
    const json st = json::parse(get(port, "/api/status", test::kViewerToken).body, nullptr, false);
    return st.is_object() && st.value("operations_behind", -1) == 0;
  }

  // Polls /api/plan until `done` holds, the scenario ends (and the operations core has read
  // all of it), or the wall-clock limit passes.
  template <class Pred>
  json planUntil(Pred done, std::chrono::seconds limit = std::chrono::seconds(120)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    json p = plan();
    while (!done(p) && !(finished && caughtUp()) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));  // polling, bounded above
      p = plan();
    }
    if (!done(p)) p = plan();  // the scenario may have ended after the last poll
    return p;
  }

  fs::path dir;
  std::unique_ptr<StationServer> server;
  unsigned short port = 0;
  std::atomic<bool> finished{false};
  std::string finishError;
};

model::Station twoModule() {
  Result<model::Station> st =
      model::loadStation(std::string(LEAKHUNT_SOURCE_DIR) + "/data/stations/two-module.yaml");
  EXPECT_TRUE(st) << st.error().message;
  return std::move(st).value();
}

bool settled(const json& p) {
  return p.value("status", "") == "cornered" || p.value("status", "") == "no-safe-test";
}

TEST_F(ConsoleTest, plan_has_its_keys_and_waits_honestly_before_an_alarm) {
  start(nullptr, twoModule());
  const json p = plan();
  ASSERT_TRUE(p.is_object());
  for (const char* key : {"available", "status", "localized_module", "posterior", "steps"})
    EXPECT_TRUE(p.contains(key)) << key << " missing from " << p.dump();
  EXPECT_FALSE(p["available"].get<bool>());
  EXPECT_EQ(p["status"], "waiting");
  EXPECT_TRUE(p["localized_module"].is_null());
  EXPECT_TRUE(p["posterior"].is_object());
  EXPECT_TRUE(p["steps"].is_array() && p["steps"].empty());
  EXPECT_NE(p["message"].get<std::string>().find("no plan yet"), std::string::npos);
  // A plan an outside program posts rides along, marked as whose it is; it is not the core's.
  EXPECT_EQ(
      post(port, "/api/plan", R"({"posterior":{"module-z":0.5}})", test::kOperatorToken).status,
      422);
  ASSERT_EQ(post(port, "/api/plan", R"({"steps":["close hatch-ab"],"posterior":{"module-a":0.9}})",
                 test::kOperatorToken)
                .status,
            200);
  const json q = plan();
  EXPECT_EQ(q["status"], "waiting");
  ASSERT_TRUE(q.contains("outside")) << q.dump();
  EXPECT_EQ(q["outside"]["by"], "olga");
  EXPECT_DOUBLE_EQ(q["outside"]["posterior"]["module-a"].get<double>(), 0.9);
}

TEST_F(ConsoleTest, only_an_operator_confirms_and_only_the_step_proposed_now) {
  start(nullptr, twoModule());
  const std::string confirm = R"({"kind":"confirm","step":0})";
  EXPECT_EQ(post(port, "/api/actions", confirm).status, 401);
  EXPECT_EQ(post(port, "/api/actions", confirm, test::kViewerToken).status, 403);
  EXPECT_EQ(post(port, "/api/actions", R"({"kind":"confirm"})", test::kOperatorToken).status, 400);
  EXPECT_EQ(
      post(port, "/api/actions", R"({"kind":"confirm","step":"one"})", test::kOperatorToken).status,
      400);
  // No alarm, so no step: refused, and not archived.
  const test::Reply r = post(port, "/api/actions", confirm, test::kOperatorToken);
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_NE(r.body.find("no step is proposed"), std::string::npos) << r.body;
  auto reader = archive::ArchiveReader::open((dir / "run.db").string());
  ASSERT_TRUE(reader);
  EXPECT_TRUE((*reader)->entries(archive::RecordKind::Action, -1e300, 1e300, 10).empty());
}

// The operations core keeps every sample; while no incident is open the server starts it again
// from the archive's last replayWindow_s once it holds more than keepWhileWaiting_s
// (docs/server.md, "Memory"). Live telemetry, 10 s apart, 13 h of it, over HTTP.
TEST_F(ConsoleTest, a_quiet_station_keeps_at_most_twelve_hours_in_the_operations_core) {
  start(nullptr, twoModule());
  const double now = std::floor(
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count());
  const double t0 = now - 14 * 3600.0;
  auto send = [&](double from, double to) {
    json batch = json::array();
    for (double t = from; t < to; t += 10.0) {
      // Small, smooth wander: a flat line would be a stuck sensor.
      const double w = std::sin(t / 600.0);
      batch.push_back({{"time", t}, {"channel", "module-a.pressure"}, {"value", 101325.0 + 2 * w}});
      batch.push_back({{"time", t}, {"channel", "module-b.pressure"}, {"value", 101325.0 - 2 * w}});
      batch.push_back(
          {{"time", t}, {"channel", "module-a.temperature"}, {"value", 295.15 + 0.01 * w}});
      batch.push_back(
          {{"time", t}, {"channel", "module-b.temperature"}, {"value", 295.15 - 0.01 * w}});
    }
    const test::Reply r = post(port, "/api/telemetry", batch.dump(), test::kOperatorToken);
    ASSERT_EQ(r.status, 200) << r.body;
  };
  auto since_s = [&] {
    const json st = json::parse(get(port, "/api/status", test::kViewerToken).body);
    return st["operations_since_ms"].is_null() ? -1.0
                                               : st["operations_since_ms"].get<double>() / 1000.0;
  };
  // The operations core reads what was acknowledged just after: /api/status follows it.
  auto sinceBecomes = [&](auto holds) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    double s = since_s();
    while (!holds(s) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling, bounded above
      s = since_s();
    }
    return s;
  };
  for (double t = t0; t < t0 + 11 * 3600.0; t += 3600.0) send(t, t + 3600.0);
  // 11 h: all kept.
  EXPECT_DOUBLE_EQ(sinceBecomes([&](double s) { return s == t0; }), t0);
  for (double t = t0 + 11 * 3600.0; t < t0 + 13 * 3600.0; t += 3600.0) send(t, t + 3600.0);
  const double latest = t0 + 13 * 3600.0 - 10.0;
  // Over 12 h: started again from the last 6 h.
  EXPECT_NEAR(sinceBecomes([&](double s) { return std::abs(s - (latest - 6 * 3600.0)) <= 10.0; }),
              latest - 6 * 3600.0, 10.0);
  EXPECT_EQ(plan()["status"], "waiting");
}

// The operator confirms each proposed step over HTTP; the simulated crew carries it out on the
// simulated station and logs each operation; the core reads it and corners the hole.
TEST_F(ConsoleTest, confirmed_steps_change_the_simulated_station_until_the_hole_is_cornered) {
  startScenario(4000.0, false);
  std::set<int> confirmed;
  json p = plan();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(150);
  while (!settled(p) && !finished && std::chrono::steady_clock::now() < deadline) {
    if (p.value("status", "") == "planning" && !p["steps"].empty()) {
      const json& step = p["steps"][0];
      const int n = step["step"].get<int>();
      if (step["state"] == "proposed" && !confirmed.count(n)) {
        for (const char* key : {"operations", "dwell_s", "reads", "why_safe"})
          EXPECT_TRUE(step.contains(key)) << key << " missing from " << step.dump();
        const test::Reply r =
            post(port, "/api/actions", json{{"kind", "confirm"}, {"step", n}}.dump(),
                 test::kOperatorToken);
        ASSERT_EQ(r.status, 200) << r.body;
        confirmed.insert(n);
        // The same step again: already confirmed.
        EXPECT_EQ(post(port, "/api/actions", json{{"kind", "confirm"}, {"step", n}}.dump(),
                       test::kOperatorToken)
                      .status,
                  409);
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // polling, bounded above
    p = plan();
  }
  ASSERT_EQ(p.value("status", ""), "cornered") << finishError << " " << p.dump();
  EXPECT_EQ(p["localized_module"], "module-b");
  EXPECT_GT(p["posterior"]["module-b"].get<double>(), 0.99);
  EXPECT_FALSE(confirmed.empty());
  EXPECT_FALSE(p["history"].empty());
  // Each confirmation and each operation the crew did is in the audit log, by its author.
  auto reader = archive::ArchiveReader::open((dir / "run.db").string());
  ASSERT_TRUE(reader);
  int confirms = 0, crew = 0;
  for (const archive::AuditEntry& e :
       (*reader)->entries(archive::RecordKind::Action, -1e300, 1e300, 1000)) {
    const json a = json::parse(e.payload);
    if (a["kind"] == "confirm") {
      ++confirms;
      EXPECT_EQ(e.actor, "olga");
    } else if (e.actor == "simulator") {
      ++crew;
    }
  }
  EXPECT_EQ(confirms, static_cast<int>(confirmed.size()));
  EXPECT_GE(crew, 1);
}

// `serve --scenario S --autopilot`: nobody confirms; the simulated crew follows each step.
TEST_F(ConsoleTest, autopilot_corners_a_2mm_hole_in_the_right_module_of_two) {
  startScenario(4000.0, true);
  const json p = planUntil(settled, std::chrono::seconds(150));
  ASSERT_EQ(p.value("status", ""), "cornered") << finishError << " " << p.dump();
  EXPECT_EQ(p["localized_module"], "module-b");
  EXPECT_EQ(p["cornered"]["modules"], json::array({"module-b"}));
  EXPECT_TRUE(p["steps"].empty());
  // The status page still has the one alarm of the incident.
  const json st = json::parse(get(port, "/api/status", test::kViewerToken).body);
  ASSERT_EQ(st["alarms"].size(), 1u) << st.dump();
}

// After the hole is cornered, an operator's patch happens on the simulated station where the
// operator put it: in the cornered module it holds (verify: met); in the other one the leak goes
// on and verify of the cornered module says so (not met).
TEST_F(ConsoleTest, a_patch_goes_where_the_operator_puts_it_and_verify_tells_if_it_holds) {
  for (const auto& [module, verdict] : std::vector<std::pair<std::string, std::string>>{
           {"module-b", "met"}, {"module-a", "not_met"}}) {
    server.reset();
    fs::remove_all(dir);
    fs::create_directories(dir);
    finished = false;
    // Fast: verify may watch for hours of station time before it decides.
    startScenario(20000.0, true);
    const json cornered = planUntil(settled, std::chrono::seconds(150));
    ASSERT_EQ(cornered.value("status", ""), "cornered") << cornered.dump();
    const test::Reply r =
        post(port, "/api/actions", json{{"kind", "patch"}, {"module", module}}.dump(),
             test::kOperatorToken);
    ASSERT_EQ(r.status, 200) << r.body;
    const json p = planUntil(
        [](const json& q) {
          return q.contains("repair") && q["repair"].value("verdict", "") != "watching";
        },
        std::chrono::seconds(150));
    ASSERT_TRUE(p.contains("repair")) << module << ": " << p.dump();
    EXPECT_EQ(p["repair"]["verdict"], verdict) << module << ": " << p["repair"].dump();
    EXPECT_EQ(p["repair"]["segment"], json::array({"module-b"}));
  }
}

// The issue's ISS case: the 2018 hole in Soyuz MS-09's orbital module, the crew mustered to their
// lifeboats by the first step, cornered by the autopilot crew's hatch operations.
TEST_F(ConsoleTest, autopilot_corners_the_2018_hole_in_the_soyuz_orbital_module_on_the_iss) {
  startScenario(3000.0, true, "tests/server/iss-2mm.yaml");
  const json p = planUntil(settled, std::chrono::seconds(400));
  ASSERT_EQ(p.value("status", ""), "cornered") << finishError << " " << p.dump();
  EXPECT_EQ(p["localized_module"], "soyuz-ms09-om");
  EXPECT_GE(p["history"].size(), 2u);
}

}  // namespace
}  // namespace leakhunt::server
