// Physical ranges of what is written (docs/server.md): a sample time or an action no station
// could produce is refused with a message naming the field, the value and the range, and no
// request, whatever its role, stalls the ingest thread, kills the scenario feed or blinds the
// detector. Real clients over loopback; every wait has a deadline.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "client.hpp"
#include "detect/detector.hpp"
#include "harness/simulated_station.hpp"
#include "model/load.hpp"
#include "server/station_server.hpp"
#include "telemetry/telemetry_io.hpp"

namespace leakhunt::server {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

// Generous: the machine is shared, and a deadline only ever decides a failure.
constexpr auto kPatience = std::chrono::seconds(300);

double unixNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

double timeOf(const char* iso) { return *telemetry::parseTime(iso); }

std::string sample(const std::string& channel, double t, double value = 101325.0) {
  return json::array({{{"time", t}, {"channel", channel}, {"value", value}}}).dump();
}

// The "error" text of a JSON answer (quotes unescaped), else the body as it is.
std::string messageOf(const test::Reply& r) {
  const json j = json::parse(r.body, nullptr, false);
  return j.is_object() && j.contains("error") && j["error"].is_string()
             ? j["error"].get<std::string>()
             : r.body;
}

// One request on a fresh connection, answered within `patience`, else status 0: a server
// whose ingest thread hangs never answers a write.
test::Reply requestWithin(unsigned short port, const std::string& target, const std::string& body,
                          std::chrono::seconds patience = std::chrono::seconds(60)) {
  return test::request(port, "POST", target, body, test::kOperatorToken, patience);
}

// A WebSocket client whose reads give up at a deadline.
class Ws {
 public:
  Ws(unsigned short port, const std::string& token) : m_ws(port, token) {}
  void send(const std::string& text) { m_ws.send(text); }
  // The next message, or nothing when none comes by `deadline`.
  std::optional<json> receive(Clock::time_point deadline) {
    const std::optional<std::string> m = m_ws.receiveBy(deadline);
    if (!m) return std::nullopt;
    return json::parse(*m);
  }

 private:
  test::WsClient m_ws;
};

// Whether a telemetry frame carries `channel` in (after_s, before_s).
bool carriesBetween(const json& frame, const std::string& channel, double after_s,
                    double before_s = 1e300) {
  if (frame["type"] != "telemetry") return false;
  for (const json& d : frame["data"]) {
    const double t_s = d["timestamp"].get<double>() / 1000.0;
    if (d["id"] == channel && t_s > after_s && t_s < before_s) return true;
  }
  return false;
}

// Reads `ws` until `channel` arrives in (after_s, before_s); false at the deadline.
bool feedReaches(Ws& ws, const std::string& channel, double after_s, Clock::time_point deadline,
                 double before_s = 1e300) {
  while (const std::optional<json> m = ws.receive(deadline))
    if (carriesBetween(*m, channel, after_s, before_s)) return true;
  return false;
}

class InputRangeTest : public ::testing::Test {
 protected:
  void SetUp() override { dir = test::scratchDir("leakhunt-ranges"); }
  void TearDown() override {
    // A server whose ingest thread never returns cannot be stopped (stop() joins it): left
    // running, the failure is reported instead of the suite hanging.
    if (hung) (void)server.release();
    server.reset();
    fs::remove_all(dir);
  }

  void start(ServeConfig c) {
    server = test::startServer(std::move(c), dir);
    ASSERT_TRUE(server);
    port = server->port();
  }

  void startLive(const std::string& station = "two-module.yaml") {
    Result<model::Station> st =
        model::loadStation(std::string(LEAKHUNT_SOURCE_DIR) + "/data/stations/" + station);
    ASSERT_TRUE(st) << st.error().message;
    ServeConfig c;
    c.station = *st;
    start(std::move(c));
  }

  // The 2018 Soyuz MS-09 hole, fed live at `speed` simulated seconds per second.
  void startScenario(double speed) {
    Result<model::Scenario> sc = model::loadScenario(std::string(LEAKHUNT_SOURCE_DIR) +
                                                     "/data/scenarios/soyuz-ms09-2018.yaml");
    ASSERT_TRUE(sc) << sc.error().message;
    ServeConfig c;
    c.station = sc->station;
    harness::FeedOptions feed;
    feed.speed = speed;
    c.source = std::make_unique<harness::SimulatedStation>(*sc, feed);
    start(std::move(c));
  }

  // A write answered in time, or the server marked hung.
  test::Reply write(const std::string& target, const std::string& body) {
    test::Reply r = requestWithin(port, target, body);
    if (r.status == 0) hung = true;
    return r;
  }

  fs::path dir;
  std::unique_ptr<StationServer> server;
  unsigned short port = 0;
  bool hung = false;
};

TEST_F(InputRangeTest, a_sample_at_1e300_s_is_refused_and_later_writes_are_still_acknowledged) {
  startLive();
  ASSERT_EQ(write("/api/telemetry", sample("module-a.pressure", 1.5e9)).status, 200);
  const test::Reply r = write("/api/telemetry", sample("module-b.pressure", 1e300));
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("samples[0].time: 1e+300 is outside"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("1957-10-04T19:28:34.000Z .. 2100-01-01T00:00:00.000Z"), std::string::npos)
      << r.body;
  // The ingest thread is free: the next write is acknowledged (it hung here for good once).
  const test::Reply next = write("/api/telemetry", sample("module-a.pressure", 1.5e9 + 1));
  EXPECT_EQ(next.status, 200) << next.body;
}

TEST_F(InputRangeTest, milliseconds_sent_as_seconds_are_named_as_such_and_stall_nothing) {
  startLive();
  ASSERT_EQ(write("/api/telemetry", sample("module-a.pressure", 1.5e9)).status, 200);
  const test::Reply r = write("/api/telemetry", sample("module-b.pressure", 1.5e12 + 5000));
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("looks like milliseconds since 1970 (2017-07-14T02:40:05.000Z if so)"),
            std::string::npos)
      << r.body;
  const test::Reply next = write("/api/telemetry", sample("module-a.pressure", 1.5e9 + 1));
  EXPECT_EQ(next.status, 200) << next.body;
}

TEST_F(InputRangeTest, live_telemetry_from_a_day_ahead_of_the_utc_clock_is_refused) {
  startLive();
  const double now = unixNow();
  const test::Reply ahead = write("/api/telemetry", sample("module-a.pressure", now + 86400.0));
  EXPECT_EQ(ahead.status, 422) << ahead.body;
  EXPECT_NE(ahead.body.find("ahead of the station's clock"), std::string::npos) << ahead.body;
  EXPECT_NE(ahead.body.find("at most 5 min ahead"), std::string::npos) << ahead.body;
  // The past is fine (the archive starts there), and so is now.
  EXPECT_EQ(write("/api/telemetry", sample("module-a.pressure", now - 60.0)).status, 200);
  EXPECT_EQ(write("/api/telemetry", sample("module-b.pressure", now)).status, 200);
  // Before the archive's start is not.
  const test::Reply early = write("/api/telemetry", sample("module-b.temperature", now - 86400.0));
  EXPECT_EQ(early.status, 422) << early.body;
  EXPECT_NE(early.body.find("before the archive's start"), std::string::npos) << early.body;
}

TEST_F(InputRangeTest, actions_have_physical_durations_masses_and_times) {
  startLive();
  ASSERT_EQ(write("/api/telemetry", sample("module-a.pressure", unixNow() - 10.0)).status, 200);
  struct Case {
    std::string body;
    int status;
    std::string says;
  };
  const std::vector<Case> cases{
      // The issue's own: a repress of 1e300 s set aside every later block of its segment.
      {R"({"kind":"repress","module":"module-a","mass_kg":1,"duration_s":1e300})", 400,
       R"("duration_s": 1e+300 s is outside 0 .. 43200 s)"},
      {R"({"kind":"repress","module":"module-a","mass_kg":0.001,"duration_s":1e300})", 400,
       R"("mass_kg": 0.001 kg is outside 0.01 .. 10000 kg)"},
      {R"({"kind":"repress","module":"module-a","mass_kg":1e6,"duration_s":600})", 400,
       R"("mass_kg": 1e+06 kg is outside)"},
      // More air than the two modules hold at their nominal pressure.
      {R"({"kind":"repress","module":"module-a","mass_kg":9000,"duration_s":600})", 422,
       "more than the whole station holds"},
      {R"({"kind":"hatch","hatch":"hatch-ab","state":"closed","time":1e300})", 400,
       "time: 1e+300 is outside"},
      {json{{"kind", "hatch"},
            {"hatch", "hatch-ab"},
            {"state", "closed"},
            {"time", unixNow() + 86400}}
           .dump(),
       422, "ahead of the station's clock"},
      {json{{"kind", "patch"}, {"leak", ""}, {"note", std::string(5000, 'x')}}.dump(), 400,
       R"("note" is 5000 characters long; at most 2000)"},
  };
  for (const Case& c : cases) {
    const test::Reply r = write("/api/actions", c.body);
    EXPECT_EQ(r.status, c.status) << c.body.substr(0, 100) << " -> " << r.body;
    EXPECT_NE(messageOf(r).find(c.says), std::string::npos) << r.body;
  }
  // A repress as the station's log has them (2018: 15.5 kg over an hour) is taken.
  const test::Reply ok = write(
      "/api/actions", R"({"kind":"repress","module":"module-a","mass_kg":15.5,"duration_s":3600})");
  EXPECT_EQ(ok.status, 200) << ok.body;
}

TEST_F(InputRangeTest, a_sample_a_day_ahead_of_the_scenario_is_refused_and_the_feed_goes_on) {
  startScenario(1000.0);
  Ws ws(port, test::kViewerToken);
  ws.send(R"({"op":"subscribe","id":"zvezda.pressure"})");
  const auto deadline = Clock::now() + kPatience;
  const double start = timeOf("2018-08-29T18:00:00Z");
  ASSERT_TRUE(feedReaches(ws, "zvezda.pressure", start, deadline)) << "the feed never started";
  // An operator's zvezda.pressure a day ahead: once taken, the simulator's next batch (which
  // has zvezda.pressure at earlier times) was refused and the feed thread quit silently.
  const test::Reply r =
      write("/api/telemetry", sample("zvezda.pressure", timeOf("2018-08-30T18:00:00Z")));
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_NE(r.body.find("ahead of the scenario's clock"), std::string::npos) << r.body;
  // The simulator's own, not ours (a subscriber sees both).
  EXPECT_TRUE(feedReaches(ws, "zvezda.pressure", timeOf("2018-08-29T19:00:00Z"), deadline,
                          timeOf("2018-08-30T00:00:00Z")))
      << "the scenario feed stopped";
}

TEST_F(InputRangeTest, a_refused_feed_batch_is_an_event_and_the_feed_goes_on) {
  // An archive that already holds zvezda.pressure at 18:30 (a live run before): the scenario's
  // batches up to then are refused (409), which once ended the feed without a word.
  startLive("iss-2018.yaml");
  ASSERT_EQ(
      write("/api/telemetry", sample("zvezda.pressure", timeOf("2018-08-29T18:30:00Z"))).status,
      200);
  server.reset();
  startScenario(1000.0);
  Ws ws(port, test::kViewerToken);
  ws.send(R"({"op":"subscribe","id":"zvezda.pressure"})");
  ASSERT_TRUE(
      feedReaches(ws, "zvezda.pressure", timeOf("2018-08-29T18:35:00Z"), Clock::now() + kPatience))
      << "the scenario feed stopped at its first refused batch";
  // Both notices were queued before the batch just seen, so they are archived by now.
  const test::Reply events = test::get(port, "/api/events?start=0&end=1e13", test::kViewerToken);
  ASSERT_EQ(events.status, 200);
  EXPECT_NE(events.body.find("the scenario feed's telemetry from 2018-08-29T18:00:00.000Z"),
            std::string::npos)
      << events.body;
  EXPECT_NE(events.body.find("is not after 2018-08-29T18:30:00.000Z"), std::string::npos)
      << events.body;
  EXPECT_NE(events.body.find("the scenario feed is accepted again"), std::string::npos)
      << events.body;
}

TEST_F(InputRangeTest, a_repress_of_centuries_cannot_silence_the_2018_alarm) {
  startScenario(1000.0);
  Ws ws(port, test::kViewerToken);
  ws.send(R"({"op":"subscribe","id":"leakhunt.events"})");
  ws.send(R"({"op":"subscribe","id":"zvezda.pressure"})");
  // Logged before the hole (20:00); taken, it set aside every block of the segment after it.
  const test::Reply r = write(
      "/api/actions", R"({"kind":"repress","module":"zvezda","mass_kg":1,"duration_s":1e300})");
  EXPECT_EQ(r.status, 400) << r.body;
  // Without it the alarm comes at about 20:47; no later than 22:00 then.
  const double giveUp = timeOf("2018-08-29T22:00:00Z");
  const auto deadline = Clock::now() + kPatience;
  bool alarmed = false, late = false;
  while (!alarmed && !late) {
    const std::optional<json> m = ws.receive(deadline);
    if (!m) break;
    if ((*m)["type"] == "events")
      for (const json& e : (*m)["data"])
        alarmed = alarmed || e["message"].get<std::string>().rfind("leak alarm 1:", 0) == 0;
    late = carriesBetween(*m, "zvezda.pressure", giveUp);
  }
  EXPECT_TRUE(alarmed) << (late ? "no alarm by 22:00" : "no alarm before the deadline");
}

// The detector as a library: a sample far in the future is a gap, and a gap costs a step, not
// a pass per empty block (1.5e10 of them here; a sample at 1e300 s looped for ever).
TEST(DetectorGap, a_far_future_sample_is_a_dropout_not_a_hang) {
  Result<model::Station> st =
      model::loadStation(std::string(LEAKHUNT_SOURCE_DIR) + "/data/stations/two-module.yaml");
  ASSERT_TRUE(st) << st.error().message;
  struct Faults : detect::DetectionObserver {
    std::vector<detect::SensorFault> seen;
    void onSensorFault(const detect::SensorFault& f) override { seen.push_back(f); }
  };
  // On the heap and handed to the worker: if the worker never returns, both are left to it.
  auto faults = std::make_shared<Faults>();
  auto detector = std::make_shared<detect::Detector>(
      *st, std::vector<std::string>{"module-a.pressure"}, detect::LoggedEvents{},
      detect::DetectorOptions{}, faults.get());
  auto done = std::make_shared<std::promise<void>>();
  std::future<void> finished = done->get_future();
  std::thread([detector, faults, done] {
    for (int i = 0; i <= 120; ++i) detector->onSample({1.5e9 + i, 0, 101325.0});
    detector->onSample({1.5e9 + 9e11, 0, 101325.0});  // 28,500 years on
    detector->onSample({1e300, 0, 101325.0});
    done->set_value();
  }).detach();
  ASSERT_EQ(finished.wait_for(kPatience), std::future_status::ready) << "the detector hangs";
  ASSERT_EQ(faults->seen.size(), 2u);  // the dropout, started and ended
  EXPECT_EQ(faults->seen[0].kind, detect::SensorFaultKind::Dropout);
  EXPECT_DOUBLE_EQ(faults->seen[0].start_s, 1.5e9 + 120);
  EXPECT_DOUBLE_EQ(faults->seen[1].end_s, 1.5e9 + 9e11);
}

}  // namespace
}  // namespace leakhunt::server
