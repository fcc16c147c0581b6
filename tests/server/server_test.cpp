// The server against real clients: concurrent HTTP and WebSocket, malformed input, tokens.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "archive/archive.hpp"
#include "client.hpp"
#include "model/load.hpp"
#include "server/catalog.hpp"
#include "server/station_server.hpp"

namespace leakhunt::server {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using test::get;
using test::post;

std::string batch(const std::string& channel, double t0, int n, double value = 101325.0) {
  json a = json::array();
  for (int i = 0; i < n; ++i)
    a.push_back({{"time", t0 + i}, {"channel", channel}, {"value", value}});
  return a.dump();
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override { dir = test::scratchDir("leakhunt-server"); }
  void TearDown() override {
    server.reset();
    fs::remove_all(dir);
  }

  void start(std::size_t queueFrames = 1024, int timeoutMs = 10000) {
    Result<model::Station> st =
        model::loadStation(std::string(LEAKHUNT_SOURCE_DIR) + "/data/stations/two-module.yaml");
    ASSERT_TRUE(st) << st.error().message;
    ServeConfig c;
    c.station = *st;
    c.http.maxBodyBytes = 1u << 20;
    c.http.subscriberQueueFrames = queueFrames;
    c.http.requestTimeout = std::chrono::milliseconds(timeoutMs);
    server = test::startServer(std::move(c), dir);
    ASSERT_TRUE(server);
    port = server->port();
  }

  std::vector<archive::Point> archived(const std::string& channel) {
    auto r = archive::ArchiveReader::open((dir / "run.db").string());
    return (*r)->history(channel, 0, 1e12);
  }

  fs::path dir;
  std::unique_ptr<StationServer> server;
  unsigned short port = 0;
};

TEST_F(ServerTest, concurrent_clients_get_every_batch_acknowledged_and_archived) {
  start();
  const std::vector<std::string> channels{"module-a.pressure", "module-b.pressure",
                                          "module-a.temperature", "module-b.temperature"};
  std::vector<std::thread> clients;
  std::vector<int> acked(channels.size(), 0);
  for (std::size_t k = 0; k < channels.size(); ++k)
    clients.emplace_back([&, k] {
      for (int b = 0; b < 20; ++b)
        if (post(port, "/api/telemetry",
                 batch(channels[k], 1.5e9 + 50 * b, 50, k >= 2 ? 295.0 : 101325.0),
                 test::kOperatorToken)
                .status == 200)
          ++acked[k];
    });
  for (auto& t : clients) t.join();
  for (std::size_t k = 0; k < channels.size(); ++k) {
    EXPECT_EQ(acked[k], 20);
    EXPECT_EQ(archived(channels[k]).size(), 1000u);
  }
  const auto h = get(port, "/api/history/module-a.pressure?start=1500000000000&end=1500000009000",
                     test::kViewerToken);
  ASSERT_EQ(h.status, 200);
  const json points = json::parse(h.body);
  ASSERT_EQ(points.size(), 10u);  // inclusive bounds
  EXPECT_EQ(points[0]["timestamp"], 1500000000000LL);
  EXPECT_FALSE(points[0].contains("monitoringResult"));  // compact history: in limits
}

// Issue 14: the ingest passes the analysis commands' guard (telemetry_guard.hpp). A refused
// batch leaves nothing in the archive.
TEST_F(ServerTest, batch_matching_no_sensor_is_refused_naming_the_channels_expected) {
  start();
  const auto r =
      post(port, "/api/telemetry", batch("Node1.P", 1.5e9, 3) /* another station's names */,
           test::kOperatorToken);
  EXPECT_EQ(r.status, 422) << r.body;
  for (const char* says : {"module-a.pressure", "module-b.temperature", "'Node1.P'", "channel:"})
    EXPECT_NE(r.body.find(says), std::string::npos) << says << " in " << r.body;
  for (const char* c : {"module-a.pressure", "module-b.pressure"})
    EXPECT_TRUE(archived(c).empty()) << c;
}

TEST_F(ServerTest, batch_with_some_unmatched_channels_is_accepted_with_a_warning_naming_them) {
  start();
  json a = json::array();
  for (int i = 0; i < 3; ++i) {
    a.push_back({{"time", 1.5e9 + i}, {"channel", "module-a.pressure"}, {"value", 101325.0}});
    a.push_back({{"time", 1.5e9 + i}, {"channel", "Node1.P"}, {"value", 101325.0}});
  }
  const auto r = post(port, "/api/telemetry", a.dump(), test::kOperatorToken);
  ASSERT_EQ(r.status, 200) << r.body;
  const json body = json::parse(r.body);
  EXPECT_EQ(body["accepted"], 3);
  ASSERT_TRUE(body.contains("warnings")) << r.body;
  ASSERT_EQ(body["warnings"].size(), 1u);
  EXPECT_NE(body["warnings"][0].get<std::string>().find("'Node1.P'"), std::string::npos);
  EXPECT_EQ(archived("module-a.pressure").size(), 3u);

  // The same over the WebSocket: the ack carries the warning.
  test::WsClient ws(port, test::kOperatorToken);
  json w = {{"op", "ingest"}, {"ref", 7}, {"samples", json::array()}};
  w["samples"].push_back({{"time", 1.5e9 + 10}, {"channel", "module-a.pressure"}, {"value", 1e5}});
  w["samples"].push_back({{"time", 1.5e9 + 10}, {"channel", "Lab.ppCO2"}, {"value", 400.0}});
  ws.send(w.dump());
  std::optional<json> ack;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!ack) {
    const auto frame = ws.receiveBy(deadline);
    ASSERT_TRUE(frame) << "no ack within 30 s";
    const json f = json::parse(*frame);
    if (f.value("type", "") == "ack" || f.value("type", "") == "error") ack = f;
  }
  ASSERT_TRUE(ack);
  EXPECT_EQ((*ack)["type"], "ack") << ack->dump();
  EXPECT_NE(ack->dump().find("Lab.ppCO2"), std::string::npos) << ack->dump();
}

TEST_F(ServerTest, implausible_values_are_refused_with_channel_value_and_range) {
  start();
  struct Case {
    const char* channel;
    double value;
    std::vector<const char*> says;
  };
  const std::vector<Case> cases{
      {"module-a.pressure", -5.0, {"'module-a.pressure'", "-5", "0 to 1e6 Pa"}},
      {"module-a.pressure", 1e308, {"'module-a.pressure'", "1e+308", "0 to 1e6 Pa"}},
      {"module-a.pressure", 760.0, {"'module-a.pressure'", "760", "mmHg", "133.322"}},
      {"module-a.temperature", 21.5, {"'module-a.temperature'", "21.5", "degC"}},
  };
  for (const Case& c : cases) {
    json a = json::array();
    a.push_back({{"time", 1.5e9}, {"channel", "module-b.pressure"}, {"value", 101325.0}});
    a.push_back({{"time", 1.5e9}, {"channel", c.channel}, {"value", c.value}});
    const auto r = post(port, "/api/telemetry", a.dump(), test::kOperatorToken);
    EXPECT_EQ(r.status, 422) << r.body;
    for (const char* says : c.says)
      EXPECT_NE(r.body.find(says), std::string::npos) << says << " in " << r.body;
  }
  EXPECT_TRUE(archived("module-a.pressure").empty());
  EXPECT_TRUE(archived("module-b.pressure").empty());  // the whole batch, not a part of it
  // Once a channel has a plausible first value, a later low one is a depressurisation, not a
  // unit slip: accepted.
  ASSERT_EQ(post(port, "/api/telemetry", batch("module-a.pressure", 1.5e9, 1), test::kOperatorToken)
                .status,
            200);
  EXPECT_EQ(post(port, "/api/telemetry", batch("module-a.pressure", 1.5e9 + 1, 1, 760.0),
                 test::kOperatorToken)
                .status,
            200);
}

TEST_F(ServerTest, history_downsamples_to_min_and_max_per_bucket) {
  start();
  json a = json::array();
  for (int i = 0; i < 1000; ++i)
    a.push_back(
        {{"time", 1.5e9 + i}, {"channel", "module-a.pressure"}, {"value", i == 501 ? 5e4 : 1e5}});
  ASSERT_EQ(post(port, "/api/telemetry", a.dump(), test::kOperatorToken).status, 200);
  const auto h = get(port,
                     "/api/history/module-a.pressure?start=1500000000000&end=1500000999000"
                     "&strategy=minmax&size=100",
                     test::kViewerToken);
  const json points = json::parse(h.body);
  EXPECT_LE(points.size(), 100u);
  bool spike = false;
  for (const auto& p : points) spike = spike || p["value"] == 5e4;
  EXPECT_TRUE(spike) << "the minimum survives downsampling";
  const auto latest = json::parse(
      get(port, "/api/history/module-a.pressure?start=0&end=1500000500500&strategy=latest",
          test::kViewerToken)
          .body);
  ASSERT_EQ(latest.size(), 1u);
  EXPECT_EQ(latest[0]["timestamp"], 1500000500000LL);
}

TEST_F(ServerTest, limits_are_evaluated_on_every_datum) {
  start();
  ASSERT_EQ(post(port, "/api/telemetry", batch("module-a.pressure", 1.5e9, 1, 60000.0),
                 test::kOperatorToken)
                .status,
            200);
  const json p = json::parse(
      get(port, "/api/history/module-a.pressure?start=0&end=2e12", test::kViewerToken).body);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0]["monitoringResult"], "CRITICAL");
  EXPECT_EQ(p[0]["rangeCondition"], "LOW");
}

TEST_F(ServerTest, malformed_input_gets_a_clear_4xx_and_the_server_keeps_serving) {
  start();
  ASSERT_EQ(post(port, "/api/telemetry", batch("module-a.pressure", 1.5e9, 5), test::kOperatorToken)
                .status,
            200);
  struct Case {
    std::string body;
    int status;
    std::string says;
  };
  const std::vector<Case> cases{
      {"{not json", 400, "not valid JSON"},
      {R"([{"time": 1.5e9, "channel": 7, "value": 1}])", 400, "channel"},
      {R"([{"time": 1.5e9, "channel": "module-a.pressure", "value": "high"}])", 400, "value"},
      {R"([{"time": true, "channel": "module-a.pressure", "value": 1}])", 400, "time"},
      {R"([{"time": 1.6e9, "channel": "module-a.pressure", "value": NaN}])", 400, "JSON"},
      {R"([{"time": 1.6e9, "channel": "module-a.pressure", "value": 1e999}])", 400, "JSON"},
      {R"([{"time": "2018-13-45T99:00:00Z", "channel": "module-a.pressure", "value": 1}])", 400,
       "time"},
      {R"([{"time": 1.6e9, "channel": "no-such.pressure", "value": 1}])", 422, "matches a sensor"},
      {R"([{"time": 1.6e9, "channel": "leakhunt.leak_rate", "value": 1}])", 422, "derived"},
      {batch("module-a.pressure", 1.5e9 + 2, 1), 409, "not after"},
      {R"([{"time": 1.6e9, "channel": "module-b.pressure", "value": 101325},
           {"time": 1.59e9, "channel": "module-b.pressure", "value": 101325}])",
       409, "not after"},
      {R"({"rows": []})", 400, "samples"},
      {std::string(2u << 20, '['), 413, "larger"},
  };
  for (const Case& c : cases) {
    const auto r = post(port, "/api/telemetry", c.body, test::kOperatorToken);
    EXPECT_EQ(r.status, c.status) << c.body.substr(0, 80) << " -> " << r.body;
    EXPECT_NE(r.body.find(c.says), std::string::npos) << r.body;
  }
  // Nothing of a refused batch was kept, and the server still answers.
  EXPECT_EQ(archived("module-b.pressure").size(), 0u);
  EXPECT_EQ(get(port, "/api/status", test::kViewerToken).status, 200);
  EXPECT_EQ(post(port, "/api/telemetry", batch("module-a.pressure", 1.6e9, 2), test::kOperatorToken)
                .status,
            200);
  EXPECT_EQ(post(port, "/api/actions", R"({"kind":"hatch","hatch":"nope","state":"closed"})",
                 test::kOperatorToken)
                .status,
            422);
  EXPECT_EQ(post(port, "/api/actions", R"({"kind":"launch"})", test::kOperatorToken).status, 400);
  const auto ack = post(port, "/api/actions", R"({"kind":"ack","alarm":1})", test::kOperatorToken);
  EXPECT_EQ(ack.status, 422);
  EXPECT_NE(ack.body.find("no alarm 1"), std::string::npos) << ack.body;
  EXPECT_EQ(get(port, "/api/history/nope?start=0&end=1", test::kViewerToken).status, 404);
  EXPECT_EQ(get(port, "/api/history/module-a.pressure?start=x&end=1", test::kViewerToken).status,
            400);
}

TEST_F(ServerTest, a_slow_loris_gets_408_while_others_are_served) {
  start(1024, 300);
  const int loris = test::connectTo(port);
  ASSERT_GE(loris, 0);
  const std::string partial = "POST /api/telemetry HTTP/1.1\r\nHost: x\r\nContent-Le";
  ASSERT_EQ(::send(loris, partial.data(), partial.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(partial.size()));
  EXPECT_EQ(get(port, "/api/status", test::kViewerToken).status, 200);  // served meanwhile
  const std::string reply = test::readAll(loris);  // the server answers and closes at its deadline
  ::close(loris);
  EXPECT_EQ(reply.rfind("HTTP/1.1 408", 0), 0u) << reply;
  EXPECT_EQ(get(port, "/api/status", test::kViewerToken).status, 200);
}

TEST_F(ServerTest, writes_need_a_token_with_the_right_role) {
  start();
  const std::string b = batch("module-a.pressure", 1.5e9, 1);
  EXPECT_EQ(post(port, "/api/telemetry", b).status, 401);
  EXPECT_EQ(post(port, "/api/telemetry", b, "wrong-token-0123456789abcdef").status, 401);
  EXPECT_EQ(post(port, "/api/telemetry", b, test::kViewerToken).status, 403);
  EXPECT_EQ(post(port, "/api/actions", R"({"kind":"patch"})", test::kViewerToken).status, 403);
  EXPECT_EQ(
      post(port, "/api/tokens", R"({"name":"x","role":"admin"})", test::kOperatorToken).status,
      403);
  EXPECT_EQ(get(port, "/api/status").status, 401);
  EXPECT_EQ(archived("module-a.pressure").size(), 0u);
  EXPECT_EQ(post(port, "/api/telemetry", b, test::kOperatorToken).status, 200);
}

TEST_F(ServerTest, actions_are_attributed_and_tokens_are_stored_hashed) {
  start();
  ASSERT_EQ(post(port, "/api/telemetry", batch("module-a.pressure", 1.5e9, 3), test::kOperatorToken)
                .status,
            200);
  const auto act = post(port, "/api/actions",
                        R"({"kind":"hatch","hatch":"hatch-ab","state":"closed","note":"split"})",
                        test::kOperatorToken);
  ASSERT_EQ(act.status, 200) << act.body;
  EXPECT_EQ(json::parse(act.body)["by"], "olga");
  const auto made =
      post(port, "/api/tokens", R"({"name":"flight","role":"operator"})", test::kAdminToken);
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string token = json::parse(made.body)["token"];
  EXPECT_EQ(post(port, "/api/actions",
                 R"({"kind":"crew_move","crew":"nobody","module":"module-b"})", token)
                .status,
            422);
  auto r = archive::ArchiveReader::open((dir / "run.db").string());
  const auto actions = (*r)->entries(archive::RecordKind::Action, 0, 1e12, 10);
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].actor, "olga");
  EXPECT_DOUBLE_EQ(actions[0].time_s, 1.5e9 + 2);  // at the latest telemetry time
  EXPECT_NE(actions[0].payload.find("\"state\":\"closed\""), std::string::npos);
  // The new token is in the archive as a hash only.
  sqlite3* db = nullptr;
  sqlite3_open((dir / "run.db").string().c_str(), &db);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT hash FROM tokens WHERE name='flight'", -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 0))),
            hashToken(token));
  sqlite3_finalize(st);
  sqlite3_close(db);
}

TEST_F(ServerTest, websocket_subscribers_receive_what_others_post) {
  start();
  test::WsClient sub(port, test::kViewerToken);
  sub.send(R"({"op":"subscribe","id":"module-b.pressure"})");
  sub.send(R"({"op":"subscribe","id":"no-such"})");
  const json err = json::parse(sub.receive());  // subscriptions are in place once this arrives
  EXPECT_EQ(err["type"], "error");
  EXPECT_EQ(err["status"], 404);
  test::WsClient pub(port, test::kOperatorToken);
  pub.send(json{
      {"op", "ingest"}, {"ref", 7}, {"samples", json::parse(batch("module-b.pressure", 1.5e9, 3))}}
               .dump());
  const json ack = json::parse(pub.receive());
  EXPECT_EQ(ack["type"], "ack");
  EXPECT_EQ(ack["ref"], 7);
  EXPECT_EQ(ack["accepted"], 3);
  ASSERT_EQ(post(port, "/api/telemetry", batch("module-a.pressure", 1.5e9, 2), test::kOperatorToken)
                .status,
            200);
  ASSERT_EQ(
      post(port, "/api/telemetry", batch("module-b.pressure", 1.5e9 + 3, 1), test::kOperatorToken)
          .status,
      200);
  const json first = json::parse(sub.receive());
  EXPECT_EQ(first["type"], "telemetry");
  ASSERT_EQ(first["data"].size(), 3u);
  EXPECT_EQ(first["data"][0]["id"], "module-b.pressure");
  const json second = json::parse(sub.receive());  // module-a was not subscribed: skipped
  ASSERT_EQ(second["data"].size(), 1u);
  EXPECT_EQ(second["data"][0]["timestamp"], 1500000003000LL);
  test::WsClient viewer(port, test::kViewerToken);
  viewer.send(json{{"op", "ingest"}, {"samples", json::array()}}.dump());
  EXPECT_EQ(json::parse(viewer.receive())["status"], 403);
}

TEST_F(ServerTest, a_slow_subscriber_misses_frames_and_is_told_while_others_get_everything) {
  start(16);
  test::WsClient slow(port, test::kViewerToken, 4096);
  slow.send(R"({"op":"subscribe","id":"module-a.pressure"})");
  test::WsClient fast(port, test::kViewerToken);
  fast.send(R"({"op":"subscribe","id":"module-a.pressure"})");
  fast.send(R"({"op":"subscribe","id":"no-such"})");
  slow.send(R"({"op":"subscribe","id":"no-such"})");
  ASSERT_EQ(json::parse(fast.receive())["type"], "error");  // both subscribed by now
  constexpr int kBatches = 150, kPerBatch = 1000;
  // The fast subscriber's reader tells the publisher how far it has read, and the publisher
  // lets it stay at most a batch behind: "fast" is then a property of the client, not of how
  // the machine schedules its thread (under `stress --cpu 2` beside `ctest -j2` the thread once
  // fell 16 frames behind and missed 1000 samples). The slow one never reads until the end.
  std::mutex progressMutex;
  std::condition_variable progressed;
  std::size_t fastGot = 0, fastMissed = 0;
  std::string readerError;  // the reader's own failure (a receive past its bound), if any
  std::thread reader([&] {
    try {
      for (;;) {
        const json m = json::parse(fast.receive());
        const std::lock_guard<std::mutex> lock(progressMutex);
        if (m["type"] == "telemetry") fastGot += m["data"].size();
        if (m["type"] == "missed") fastMissed += m["count"].get<std::size_t>();
        progressed.notify_all();
        if (fastGot + fastMissed >= std::size_t{kBatches} * kPerBatch) return;
      }
    } catch (const std::exception& e) {
      const std::lock_guard<std::mutex> lock(progressMutex);
      readerError = e.what();
      progressed.notify_all();
    }
  });
  int acked = 0;
  std::string stalled;
  for (int b = 0; b < kBatches && stalled.empty(); ++b) {
    acked +=
        post(port, "/api/telemetry", batch("module-a.pressure", 1.5e9 + b * kPerBatch, kPerBatch),
             test::kOperatorToken)
            .status == 200;
    std::unique_lock<std::mutex> lock(progressMutex);
    if (!progressed.wait_for(lock, std::chrono::seconds(30), [&] {
          return !readerError.empty() ||
                 fastGot + fastMissed + kPerBatch >= std::size_t(b + 1) * kPerBatch;
        }))
      stalled = "the fast subscriber read nothing of batch " + std::to_string(b) + " in 30 s";
    else if (!readerError.empty())
      stalled = "the fast subscriber's reader failed: " + readerError;
  }
  // A stalled reader ends at its own receive bound; the test reports rather than aborts.
  reader.join();
  ASSERT_TRUE(stalled.empty()) << stalled;
  EXPECT_EQ(acked, kBatches);
  EXPECT_EQ(fastGot, std::size_t{kBatches} * kPerBatch);
  EXPECT_EQ(fastMissed, 0u);
  std::size_t slowGot = 0, slowMissed = 0;
  EXPECT_EQ(json::parse(slow.receive())["type"], "error");
  while (slowGot + slowMissed < std::size_t{kBatches} * kPerBatch) {
    const json m = json::parse(slow.receive());
    if (m["type"] == "telemetry") slowGot += m["data"].size();
    if (m["type"] == "missed") slowMissed += m["count"].get<std::size_t>();
  }
  EXPECT_GT(slowMissed, 0u);
  EXPECT_EQ(slowGot + slowMissed, std::size_t{kBatches} * kPerBatch);
}

TEST_F(ServerTest, dictionary_lists_channels_with_units_and_limits) {
  start();
  const json d = json::parse(get(port, "/api/dictionary", test::kViewerToken).body);
  bool pressure = false, alarm = false;
  for (const auto& m : d["measurements"]) {
    if (m["key"] == "module-a.pressure") {
      pressure = true;
      EXPECT_EQ(m["unit"], "Pa");
      EXPECT_TRUE(m["limits"].contains("CRITICAL"));
      EXPECT_EQ(m["values"][0]["key"], "utc");
    }
    if (m["key"] == "leakhunt.leak_alarm") alarm = m["derived"].get<bool>();
  }
  EXPECT_TRUE(pressure);
  EXPECT_TRUE(alarm);
  EXPECT_EQ(d["station"]["modules"].size(), 2u);
}

// Issue 14: the habitability limits the station declares are the dashboard's Open MCT limits,
// served in the dictionary; the numbers come from the station, not from the plugin.
TEST(Catalog, habitability_limits_of_the_station_are_the_channels_limits) {
  Result<model::Station> st =
      model::loadStation(std::string(LEAKHUNT_SOURCE_DIR) + "/data/stations/two-module.yaml");
  ASSERT_TRUE(st) << st.error().message;
  model::Station station = *st;
  model::Limits limits;
  limits.maxPpCo2_pa = 3.0 * 133.322387415;  // not the default: the number must travel
  limits.nominalPpO2Low_pa = 19.0e3;
  limits.evacuationPressure_pa = 60.0e3;
  limits.minHumidity = 0.30;
  station.limits = limits;
  model::Sensor co2Sensor, o2Sensor, humiditySensor;
  humiditySensor.channel = "module-a.humidity";
  humiditySensor.quantity = model::Quantity::RelativeHumidity;
  humiditySensor.module = "module-a";
  station.sensors.push_back(humiditySensor);
  co2Sensor.channel = "module-a.ppco2";
  co2Sensor.quantity = model::Quantity::PartialPressureCo2;
  o2Sensor.channel = "module-a.ppo2";
  o2Sensor.quantity = model::Quantity::PartialPressureO2;
  co2Sensor.module = o2Sensor.module = "module-a";
  station.sensors.push_back(co2Sensor);
  station.sensors.push_back(o2Sensor);
  const Catalog catalog(station);
  const json d = catalog.dictionary();
  std::map<std::string, json> byKey;
  for (const auto& m : d["measurements"]) byKey[m["key"].get<std::string>()] = m["limits"];
  EXPECT_DOUBLE_EQ(byKey["module-a.ppco2"]["WARNING"]["high"].get<double>(), limits.maxPpCo2_pa);
  EXPECT_DOUBLE_EQ(byKey["module-a.ppo2"]["WARNING"]["low"].get<double>(), 19.0e3);
  EXPECT_DOUBLE_EQ(byKey["module-a.ppo2"]["WARNING"]["high"].get<double>(),
                   limits.nominalPpO2High_pa);
  EXPECT_DOUBLE_EQ(byKey["module-a.ppo2"]["CRITICAL"]["low"].get<double>(), limits.minPpO2_pa);
  EXPECT_DOUBLE_EQ(byKey["module-a.pressure"]["CRITICAL"]["low"].get<double>(), 60.0e3);

  const char* range = nullptr;
  const int co2 = catalog.find("module-a.ppco2");
  EXPECT_EQ(catalog.evaluate(co2, 0.99 * limits.maxPpCo2_pa, &range), Monitoring::InLimits);
  EXPECT_EQ(catalog.evaluate(co2, 1.01 * limits.maxPpCo2_pa, &range), Monitoring::Warning);
  EXPECT_STREQ(range, "HIGH");
  const int o2 = catalog.find("module-a.ppo2");
  EXPECT_EQ(catalog.evaluate(o2, 21.0e3, &range), Monitoring::InLimits);
  EXPECT_EQ(catalog.evaluate(o2, 24.0e3, &range), Monitoring::Warning);
  EXPECT_EQ(catalog.evaluate(o2, 0.9 * limits.minPpO2_pa, &range), Monitoring::Critical);
  EXPECT_STREQ(range, "LOW");
  EXPECT_EQ(catalog.evaluate(catalog.find("module-a.pressure"), 59.0e3, &range),
            Monitoring::Critical);

  // Humidity reads in percent; the station's band (fractions) is served in the channel's unit.
  EXPECT_DOUBLE_EQ(byKey["module-a.humidity"]["WARNING"]["low"].get<double>(), 30.0);
  EXPECT_DOUBLE_EQ(byKey["module-a.humidity"]["WARNING"]["high"].get<double>(), 75.0);
  const int rh = catalog.find("module-a.humidity");
  EXPECT_EQ(catalog.info(rh).unit, "%");
  EXPECT_EQ(catalog.evaluate(rh, 50.0, &range), Monitoring::InLimits);
  EXPECT_EQ(catalog.evaluate(rh, 29.0, &range), Monitoring::Warning);
  EXPECT_STREQ(range, "LOW");
  EXPECT_EQ(catalog.evaluate(rh, 76.0, &range), Monitoring::Warning);
  EXPECT_STREQ(range, "HIGH");
}

}  // namespace
}  // namespace leakhunt::server
