// SIGKILL in the middle of heavy ingest: every acknowledged sample and action survives, the
// audit log verifies, and the restarted server carries on where the archive ends.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "archive/archive.hpp"
#include "child_serve.hpp"
#include "client.hpp"

namespace leakhunt::server {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// `leakhunt serve` on the two-module station with the test's tokens, as a child process.
test::Child spawnServe(const fs::path& dir) {
  test::Child c = test::spawnLeakhunt(
      {"serve", "--station", std::string(LEAKHUNT_SOURCE_DIR) + "/data/stations/two-module.yaml",
       "--db", (dir / "run.db").string(), "--port", "0", "--tokens",
       (dir / "tokens.txt").string()});
  EXPECT_NE(c.port, 0) << "no listening line within 60 s: '" << c.firstLine << "'";
  return c;
}

// A value the telemetry guard accepts for the channel: a cabin's pressure [Pa] or temperature [K].
double plausible(const std::string& channel) {
  return channel.find("temperature") != std::string::npos ? 295.0 : 1e5;
}

TEST(KillDuringIngest, every_acknowledged_sample_and_action_survives_sigkill) {
  const fs::path dir = fs::temp_directory_path() / ("leakhunt-kill-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "tokens.txt") << "operator olga " << test::kOperatorToken << "\n";
  const test::Child child = spawnServe(dir);

  const std::vector<std::string> channels{"module-a.pressure", "module-b.pressure",
                                          "module-a.temperature"};
  std::mutex mutex;
  std::vector<double> ackedUpTo(channels.size(), 0.0);  // last acknowledged time per channel
  std::vector<std::int64_t> ackedActions;
  std::atomic<int> acks{0};
  std::condition_variable acked;  // signalled on each acknowledged batch
  std::vector<std::thread> clients;
  for (std::size_t k = 0; k < channels.size(); ++k)
    clients.emplace_back([&, k] {
      for (int b = 0;; ++b) {
        json a = json::array();
        for (int i = 0; i < 2000; ++i)
          a.push_back({{"time", 1.5e9 + b * 2000 + i},
                       {"channel", channels[k]},
                       {"value", plausible(channels[k]) + 1e-3 * i}});
        try {
          const auto r = test::post(child.port, "/api/telemetry", a.dump(), test::kOperatorToken);
          if (r.status != 200) return;
          std::lock_guard lock(mutex);
          ackedUpTo[k] = 1.5e9 + b * 2000 + 1999;
          ++acks;
          acked.notify_all();
        } catch (const std::exception&) {
          return;  // the server is gone
        }
      }
    });
  clients.emplace_back([&] {
    for (int n = 0;; ++n) {
      try {
        const auto r = test::post(
            child.port, "/api/actions",
            json{{"kind", "hatch"}, {"hatch", "hatch-ab"}, {"state", n % 2 ? "open" : "closed"}}
                .dump(),
            test::kOperatorToken);
        if (r.status != 200) return;
        std::lock_guard lock(mutex);
        ackedActions.push_back(json::parse(r.body)["seq"].get<std::int64_t>());
      } catch (const std::exception&) {
        return;
      }
    }
  });
  // Heavy ingest is under way once 60 batches are acknowledged. Bounded: a server that stops
  // acknowledging fails the test with a message instead of hanging it until ctest's timeout.
  // The server is killed and the clients joined either way (they stop when it is gone).
  constexpr auto kIngestBound = std::chrono::seconds(120);
  bool underWay = false;
  {
    std::unique_lock lock(mutex);
    underWay = acked.wait_for(lock, kIngestBound, [&] { return acks >= 60; });
  }
  const int acksAtKill = acks;
  const int killed = ::kill(child.pid, SIGKILL);
  int status = 0;
  ::waitpid(child.pid, &status, 0);
  for (auto& t : clients) t.join();
  ASSERT_TRUE(underWay) << "heavy ingest did not get under way: " << acksAtKill
                        << " of 60 telemetry batches acknowledged within " << kIngestBound.count()
                        << " s";
  ASSERT_EQ(killed, 0);
  EXPECT_TRUE(WIFSIGNALED(status));

  {
    auto reader = archive::ArchiveReader::open((dir / "run.db").string());
    ASSERT_TRUE(reader);
    for (std::size_t k = 0; k < channels.size(); ++k) {
      const auto h = (*reader)->history(channels[k], 0, ackedUpTo[k]);
      EXPECT_EQ(h.size(), static_cast<std::size_t>(ackedUpTo[k] - 1.5e9 + 1)) << channels[k];
    }
    const auto actions = (*reader)->entries(archive::RecordKind::Action, 0, 1e12, 1000000);
    for (std::int64_t seq : ackedActions)
      EXPECT_TRUE(
          std::any_of(actions.begin(), actions.end(), [&](const auto& e) { return e.seq == seq; }))
          << "action " << seq;
  }

  const std::string verify =
      std::string(LEAKHUNT_BINARY) + " audit verify " + (dir / "run.db").string();
  EXPECT_EQ(std::system(verify.c_str()), 0);

  // Restarted, it refuses to rewrite history and accepts what comes after.
  const test::Child again = spawnServe(dir);
  json old = json::array({{{"time", 1.5e9}, {"channel", "module-a.pressure"}, {"value", 1.0}}});
  EXPECT_EQ(test::post(again.port, "/api/telemetry", old.dump(), test::kOperatorToken).status, 409);
  json next = json::array({{{"time", 1.6e9}, {"channel", "module-a.pressure"}, {"value", 1.0}}});
  EXPECT_EQ(test::post(again.port, "/api/telemetry", next.dump(), test::kOperatorToken).status,
            200);
  ::kill(again.pid, SIGTERM);
  ::waitpid(again.pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_EQ(std::system(verify.c_str()), 0);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace leakhunt::server
