// Server benchmarks (issue 7), each beside a peer measured in the same run:
//  1. durable ingest over HTTP (4 clients, 5,000-sample batches)  vs  bare SQLite inserts of
//     the same rows with the same durability (synchronous=FULL, one commit per batch);
//  2. realtime fan-out: 50 WebSocket subscribers at 10,000 samples/s, plus one subscriber that
//     never reads: ingest-to-delivery latency percentiles  vs  the ingest acknowledgement latency
//     (the durable commit every delivery waits for);
//  3. history: one day of one channel at 1 Hz, whole and downsampled to 2,000 points, over HTTP
//     vs  the bare SQLite range query of the same rows.
// Not a test: nothing here asserts on time. The machine may be shared: figures vary with load.
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "archive/archive.hpp"
#include "client.hpp"
#include "model/load.hpp"
#include "server/station_server.hpp"

namespace fs = std::filesystem;
using namespace leakhunt;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kToken = "bench-operator-token-0123456789";

double wallUs() {
  return std::chrono::duration<double, std::micro>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

std::unique_ptr<server::StationServer> startServer(const fs::path& db, std::size_t queue = 1024) {
  auto st = model::loadStation(std::string(LEAKHUNT_SOURCE_DIR) + "/data/stations/iss-2018.yaml");
  server::ServeConfig c;
  c.station = *st;
  c.archivePath = db.string();
  c.http.port = 0;
  c.http.maxBodyBytes = 64u << 20;
  c.http.subscriberQueueFrames = queue;
  c.fileTokens = {{server::hashToken(kToken), "bench", "operator"}};
  auto s = server::StationServer::start(std::move(c));
  if (!s) {
    std::fprintf(stderr, "%s\n", s.error().message.c_str());
    std::exit(2);
  }
  return std::move(s).value();
}

std::vector<std::string> pressureChannels() {
  auto st = model::loadStation(std::string(LEAKHUNT_SOURCE_DIR) + "/data/stations/iss-2018.yaml");
  std::vector<std::string> out;
  for (const auto& s : st->sensors) out.push_back(s.channel);
  return out;
}

void benchIngest(const fs::path& dir) {
  constexpr int kClients = 4, kBatches = 25, kPerBatch = 5000;
  const auto channels = pressureChannels();
  // Bodies made before the clock starts; client k writes channels k, k+4, ...
  std::vector<std::vector<std::string>> bodies(kClients);
  for (int k = 0; k < kClients; ++k)
    for (int b = 0; b < kBatches; ++b) {
      json a = json::array();
      for (int i = 0; i < kPerBatch; ++i) {
        const std::size_t c =
            static_cast<std::size_t>(k) + kClients * static_cast<std::size_t>(i % 10);
        const double t = 1.5e9 + (b * kPerBatch + i) / 10;
        a.push_back({{"time", t}, {"channel", channels[c % channels.size()]}, {"value", 1e5 + i}});
      }
      bodies[static_cast<std::size_t>(k)].push_back(a.dump());
    }
  auto server = startServer(dir / "ingest.db");
  const unsigned short port = server->port();
  std::atomic<long> accepted{0};
  const auto t0 = Clock::now();
  std::vector<std::thread> clients;
  for (int k = 0; k < kClients; ++k)
    clients.emplace_back([&, k] {
      for (const std::string& body : bodies[static_cast<std::size_t>(k)])
        if (test::post(port, "/api/telemetry", body, kToken).status == 200) accepted += kPerBatch;
    });
  for (auto& t : clients) t.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  server.reset();

  // Peer: the same rows straight into SQLite, same schema, same durability, no server.
  auto writer = archive::ArchiveWriter::open((dir / "peer.db").string());
  telemetry::ChannelTable table;
  for (const auto& c : channels) table.intern(c);
  std::vector<archive::Record> records;
  for (int k = 0; k < kClients; ++k)
    for (const std::string& body : bodies[static_cast<std::size_t>(k)]) {
      archive::Record r{archive::RecordKind::Ingest, 0.0, "peer", "", {}};
      for (const auto& s : json::parse(body))
        r.samples.push_back(
            {s["time"].get<double>(), table.find(s["channel"]), s["value"].get<double>()});
      records.push_back(std::move(r));
    }
  const auto p0 = Clock::now();
  for (auto& r : records) (*writer)->append(std::span<archive::Record>(&r, 1), table);
  const double peerSeconds = std::chrono::duration<double>(Clock::now() - p0).count();
  const double total = kClients * kBatches * kPerBatch;
  std::printf(
      "ingest: %ld of %.0f samples acknowledged durable in %.3f s = %.0f samples/s "
      "(4 HTTP clients, batches of %d)\n",
      accepted.load(), total, seconds, accepted / seconds, kPerBatch);
  std::printf(
      "  peer, archive only (same rows, one durable commit per batch): %.3f s = %.0f "
      "samples/s; server/peer throughput ratio %.3f\n",
      peerSeconds, total / peerSeconds, (accepted / seconds) / (total / peerSeconds));
}

void benchFanout(const fs::path& dir) {
  constexpr int kSubscribers = 50, kRate = 10000, kPerBatch = 100, kSeconds = 5;
  auto server = startServer(dir / "fanout.db", 256);
  const unsigned short port = server->port();
  const std::string channel = "zvezda.pressure";
  std::vector<std::vector<double>> latencies(kSubscribers);
  std::atomic<int> ready{0};
  std::atomic<bool> done{false};
  const long expected = static_cast<long>(kRate) * kSeconds;
  std::vector<std::thread> subs;
  std::atomic<long> missedTotal{0};
  for (int s = 0; s < kSubscribers; ++s)
    subs.emplace_back([&, s] {
      test::WsClient ws(port, kToken);
      ws.send(R"({"op":"subscribe","id":"zvezda.pressure"})");
      ws.send(R"({"op":"subscribe","id":"-"})");
      ws.receive();  // the error reply: subscribed
      ++ready;
      long got = 0;
      while (got < expected) {
        const std::string text = ws.receive();
        const double now = wallUs();
        // Light reading (the 50 clients share the server's 2 cores): scan, do not parse.
        if (text.find("\"missed\"") != std::string::npos) {
          const long n = std::atol(text.c_str() + text.find("\"count\":") + 8);
          missedTotal += n;
          got += n;
          continue;
        }
        auto& mine = latencies[static_cast<std::size_t>(s)];
        for (std::size_t at = text.find("\"value\":"); at != std::string::npos;
             at = text.find("\"value\":", at + 8)) {
          mine.push_back((now - std::strtod(text.c_str() + at + 8, nullptr)) / 1000.0);
          ++got;
        }
      }
    });
  test::WsClient slow(port, kToken, 4096);  // never reads
  slow.send(R"({"op":"subscribe","id":"zvezda.pressure"})");
  while (ready < kSubscribers) std::this_thread::yield();
  // One WebSocket publisher, pipelined: batches go out on schedule, acks are read on the side.
  test::WsClient publisher(port, kToken);
  std::vector<double> sentAt;
  std::vector<double> ackMs;
  std::thread acks([&] {
    for (std::size_t n = 0; n < static_cast<std::size_t>(expected / kPerBatch); ++n) {
      const json a = json::parse(publisher.receive());
      ackMs.push_back((wallUs() - a["ref"].get<double>()) / 1000.0);
    }
  });
  const auto t0 = Clock::now();
  for (long sent = 0, b = 0; sent < expected; sent += kPerBatch, ++b) {
    std::this_thread::sleep_until(t0 + std::chrono::microseconds(b * kPerBatch * 1000000L / kRate));
    json a = json::array();
    const double stamp = wallUs();
    for (int i = 0; i < kPerBatch; ++i)
      a.push_back({{"time", 1.5e9 + sent + i}, {"channel", channel}, {"value", stamp}});
    publisher.send(json{{"op", "ingest"}, {"ref", stamp}, {"samples", a}}.dump());
  }
  acks.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  for (auto& t : subs) t.join();
  done = true;
  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::printf(
      "fan-out: %d subscribers (+1 that never reads), %d samples/s offered, %.0f achieved "
      "over %.2f s; %zu deliveries, %ld missed by fast subscribers\n",
      kSubscribers, kRate, expected / seconds, seconds, all.size(), missedTotal.load());
  std::printf("  ingest-to-delivery latency: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
              percentile(all, 0.5), percentile(all, 0.99), percentile(all, 1.0));
  std::printf(
      "  peer, ingest acknowledgement (durable commit) latency: p50 %.2f ms, p99 %.2f ms; "
      "delivery/ack p99 ratio %.2f\n",
      percentile(ackMs, 0.5), percentile(ackMs, 0.99),
      percentile(all, 0.99) / percentile(ackMs, 0.99));
}

void benchHistory(const fs::path& dir) {
  const fs::path db = dir / "history.db";
  {
    auto w = archive::ArchiveWriter::open(db.string());
    telemetry::ChannelTable table;
    const int c = table.intern("zvezda.pressure");
    std::vector<archive::Record> records;
    for (int h = 0; h < 24; ++h) {
      archive::Record r{archive::RecordKind::Ingest, 0.0, "bench", "", {}};
      for (int i = 0; i < 3600; ++i)
        r.samples.push_back({1.5e9 + h * 3600 + i, c, 1e5 + 10 * std::sin(i / 100.0)});
      records.push_back(std::move(r));
    }
    (*w)->append(records, table);
  }
  auto server = startServer(db);
  const unsigned short port = server->port();
  const std::string day = "/api/history/zvezda.pressure?start=1500000000000&end=1500086399000";
  constexpr int kRepeats = 20;
  auto timeIt = [&](const std::string& target, std::size_t* points) {
    std::vector<double> ms;
    for (int i = 0; i < kRepeats; ++i) {
      const auto t = Clock::now();
      const auto r = test::get(port, target, kToken);
      ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
      *points = json::parse(r.body).size();
    }
    return ms;
  };
  std::size_t fullPoints = 0, downPoints = 0;
  const auto full = timeIt(day, &fullPoints);
  const auto down = timeIt(day + "&strategy=minmax&size=2000", &downPoints);
  // Peer: the same range query on a bare SQLite connection, rows only.
  auto reader = archive::ArchiveReader::open(db.string());
  std::vector<double> peer;
  for (int i = 0; i < kRepeats; ++i) {
    const auto t = Clock::now();
    const auto rows = (*reader)->history("zvezda.pressure", 1.5e9, 1.5e9 + 86399);
    peer.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
    if (rows.size() != 86400) std::printf("peer read %zu rows\n", rows.size());
  }
  std::printf(
      "history, one day at 1 Hz over HTTP (%d runs): %zu points median %.2f ms (p90 %.2f); "
      "downsampled to %zu points median %.2f ms (p90 %.2f)\n",
      kRepeats, fullPoints, percentile(full, 0.5), percentile(full, 0.9), downPoints,
      percentile(down, 0.5), percentile(down, 0.9));
  std::printf(
      "  peer, bare SQLite range query of the 86400 rows: median %.2f ms; ratios full/peer "
      "%.2f, downsampled/peer %.2f\n",
      percentile(peer, 0.5), percentile(full, 0.5) / percentile(peer, 0.5),
      percentile(down, 0.5) / percentile(peer, 0.5));
}

}  // namespace

int main() {
  const fs::path dir =
      fs::temp_directory_path() / ("leakhunt-bench-server-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::printf("machine: %u hardware threads, load average %s", std::thread::hardware_concurrency(),
              [] {
                static char b[64] = "?\n";
                if (FILE* f = std::fopen("/proc/loadavg", "r")) {
                  if (!std::fgets(b, sizeof b, f)) b[0] = 0;
                  std::fclose(f);
                }
                return b;
              }());
  benchIngest(dir);
  benchHistory(dir);
  benchFanout(dir);
  fs::remove_all(dir);
}
