// Server benchmarks (issues 7 and 15), each beside a peer measured in the same run, and its
// target:
//  1. durable ingest over HTTP (4 clients, 5,000-sample batches)  vs  the archive alone: the
//     same rows with the same durability (synchronous=FULL, one commit per batch), no server;
//     target >= 1.2 M samples/s;
//  2. realtime fan-out: 50 WebSocket subscribers at 10,000 samples/s, plus one subscriber that
//     never reads: ingest-to-delivery latency percentiles  vs  one write + fsync on the same
//     disk (the least a durable commit costs) and the ingest acknowledgement; target p99 <= 5 ms
//     with "a point is shown only once it is durable" kept;
//  3. history: one day of one channel at 1 Hz, whole and downsampled to 2,000 points, over HTTP
//     vs  the bare SQLite range query of the same rows.
// `bench_server [ingest] [history] [fanout]` runs the parts named (all by default).
// Not a test: nothing here asserts on time. The machine may be shared: figures vary with load.
// clang-format off
#include <utility>  // before Asio: its awaitable.hpp uses std::exchange and does not include it
// clang-format on
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "archive/archive.hpp"
#include "client.hpp"
#include "model/load.hpp"
#include "server/station_server.hpp"

namespace fs = std::filesystem;
using namespace leakhunt;
using nlohmann::json;
using Clock = std::chrono::steady_clock;
namespace beast = boost::beast;
namespace net = boost::asio;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;

namespace {

constexpr const char* kToken = "bench-operator-token-0123456789";
constexpr double kIngestTarget = 1.2e6;   // samples/s (issue 15)
constexpr double kFanoutTarget_ms = 5.0;  // p99, durable (issue 15)

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

std::vector<std::string> sensorChannels() {
  auto st = model::loadStation(std::string(LEAKHUNT_SOURCE_DIR) + "/data/stations/iss-2018.yaml");
  std::vector<std::string> out;
  for (const auto& s : st->sensors) out.push_back(s.channel);
  return out;
}

void benchIngest(const fs::path& dir) {
  constexpr int kClients = 4, kBatches = 25, kPerBatch = 5000;
  const auto channels = sensorChannels();
  // Bodies made before the clock starts; client k writes channels k, k+4, ...
  std::vector<std::vector<std::string>> bodies(kClients);
  for (int k = 0; k < kClients; ++k)
    for (int b = 0; b < kBatches; ++b) {
      json a = json::array();
      for (int i = 0; i < kPerBatch; ++i) {
        const std::size_t c =
            static_cast<std::size_t>(k) + kClients * static_cast<std::size_t>(i % 10);
        const double t = 1.5e9 + (b * kPerBatch + i) / 10;
        const std::string& name = channels[c % channels.size()];
        // Values a station could send (the ingest guard refuses a 100 kPa temperature).
        const bool kelvin = name.ends_with(".temperature");
        a.push_back({{"time", t}, {"channel", name}, {"value", kelvin ? 295.0 + i % 7 : 1e5 + i}});
      }
      bodies[static_cast<std::size_t>(k)].push_back(a.dump());
    }
  auto server = startServer(dir / "ingest.db");
  const unsigned short port = server->port();
  std::atomic<long> accepted{0};
  std::atomic<int> refusals{0};
  const auto t0 = Clock::now();
  std::vector<std::thread> clients;
  for (int k = 0; k < kClients; ++k)
    clients.emplace_back([&, k] {
      for (const std::string& body : bodies[static_cast<std::size_t>(k)])
        if (const test::Reply r = test::post(port, "/api/telemetry", body, kToken); r.status == 200)
          accepted += kPerBatch;
        else if (refusals++ == 0)
          std::fprintf(stderr, "ingest refused: %d %s\n", r.status, r.body.substr(0, 300).c_str());
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
  std::printf("  target: >= %.0f samples/s; measured/target %.3f: %s\n", kIngestTarget,
              accepted / seconds / kIngestTarget,
              accepted / seconds >= kIngestTarget ? "met" : "missed");
}

// The fsync peer: what one durable commit costs the disk the archive is on. Each round writes
// a 4 KiB page (the WAL frames of a small commit are one or two pages) and fsyncs the file.
std::vector<double> fsyncLatencies(const fs::path& dir, int rounds) {
  const fs::path file = dir / "fsync-peer.bin";
  const int fd = ::open(file.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
  if (fd < 0) {
    std::perror("fsync peer");
    std::exit(2);
  }
  std::vector<char> page(4096, 'x');
  std::vector<double> ms;
  for (int i = 0; i < rounds; ++i) {
    const auto t = Clock::now();
    if (::pwrite(fd, page.data(), page.size(), static_cast<off_t>(i % 64) * 4096) < 0 ||
        ::fsync(fd) != 0) {
      std::perror("fsync peer");
      std::exit(2);
    }
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
  }
  ::close(fd);
  fs::remove(file);
  return ms;
}

// Realtime fan-out. One publisher (its own thread and io_context) sends a batch of kPerBatch
// samples every 10 ms on a WebSocket and reads its acknowledgements on the same connection; 50
// subscribers share one client thread (an io_context over 50 sockets: lighter on the 2 cores
// than 50 threads, so the figure is the server's and not the clients' scheduling). Each
// datum's latency is from the moment its batch was handed to the publisher's socket to the
// moment a subscriber has read the frame that carries it; the batch is found from the datum's
// timestamp, so the values stay physical (the ingest guard refuses anything else).
void benchFanout(const fs::path& dir) {
  constexpr int kSubscribers = 50, kRate = 10000, kPerBatch = 100, kSeconds = 5;
  constexpr long kExpected = static_cast<long>(kRate) * kSeconds;
  constexpr long kBatches = kExpected / kPerBatch;
  constexpr double kT0 = 1.5e9;  // the first sample's time; sample n is at kT0 + n
  const std::vector<double> fsyncMs = fsyncLatencies(dir, 400);
  auto server = startServer(dir / "fanout.db", 256);
  const unsigned short port = server->port();
  const auto origin = Clock::now();
  auto sinceOrigin = [&] {
    return std::chrono::duration<double, std::milli>(Clock::now() - origin).count();
  };
  std::vector<std::atomic<double>> sentAt(kBatches);
  for (auto& s : sentAt) s.store(-1.0);

  struct Subscriber {
    explicit Subscriber(net::io_context& ioc) : ws(ioc) {}
    websocket::stream<beast::tcp_stream> ws;
    beast::flat_buffer buffer;
    std::vector<double> latencies;
    long got = 0, missed = 0;
  };
  net::io_context subIoc;
  std::vector<std::unique_ptr<Subscriber>> subs;
  for (int s = 0; s < kSubscribers; ++s) {
    auto sub = std::make_unique<Subscriber>(subIoc);
    beast::get_lowest_layer(sub->ws).connect(
        tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    // As a browser's socket is (Chromium sets TCP_NODELAY on every connection).
    beast::get_lowest_layer(sub->ws).socket().set_option(tcp::no_delay(true));
    sub->ws.handshake("127.0.0.1", std::string("/api/realtime?access_token=") + kToken);
    sub->ws.read_message_max(1u << 30);
    sub->ws.text(true);
    sub->ws.write(net::buffer(std::string(R"({"op":"subscribe","id":"zvezda.pressure"})")));
    sub->ws.write(net::buffer(std::string(R"({"op":"subscribe","id":"-"})")));
    sub->ws.read(sub->buffer);  // the error reply to "-": the subscription before it holds
    sub->buffer.consume(sub->buffer.size());
    subs.push_back(std::move(sub));
  }
  test::WsClient slow(port, kToken, 4096);  // subscribes and never reads
  slow.send(R"({"op":"subscribe","id":"zvezda.pressure"})");

  int subscribersDone = 0;
  std::function<void(Subscriber&)> readNext = [&](Subscriber& sub) {
    sub.ws.async_read(sub.buffer, [&](beast::error_code ec, std::size_t) {
      if (ec) {
        std::fprintf(stderr, "subscriber: %s\n", ec.message().c_str());
        ++subscribersDone;
        return;
      }
      const double now = sinceOrigin();
      const std::string text = beast::buffers_to_string(sub.buffer.data());
      sub.buffer.consume(sub.buffer.size());
      // Light reading: scan, do not parse.
      if (text.find("\"missed\"") != std::string::npos) {
        const long n = std::atol(text.c_str() + text.find("\"count\":") + 8);
        sub.missed += n;
        sub.got += n;
      } else {
        for (std::size_t at = text.find("\"timestamp\":"); at != std::string::npos;
             at = text.find("\"timestamp\":", at + 12)) {
          const long long ms = std::atoll(text.c_str() + at + 12);
          const long n = std::lround(static_cast<double>(ms) / 1000.0 - kT0);
          const double sent = n >= 0 && n < kExpected ? sentAt[n / kPerBatch].load() : -1.0;
          if (sent >= 0) sub.latencies.push_back(now - sent);
          ++sub.got;
        }
      }
      if (sub.got >= kExpected) {
        ++subscribersDone;
        return;
      }
      readNext(sub);
    });
  };
  for (auto& s : subs) readNext(*s);
  net::steady_timer subDeadline(subIoc, std::chrono::seconds(kSeconds + 60));
  subDeadline.async_wait([&](beast::error_code ec) {
    if (!ec) subIoc.stop();  // a server that stalls: report what arrived
  });
  std::thread subThread([&] {
    while (subscribersDone < kSubscribers && !subIoc.stopped()) subIoc.run_one();
  });

  // The publisher: batches on schedule, writes chained (one at a time on a WebSocket), acks
  // read as they come.
  net::io_context pubIoc;
  websocket::stream<beast::tcp_stream> pub(pubIoc);
  beast::get_lowest_layer(pub).connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  beast::get_lowest_layer(pub).socket().set_option(tcp::no_delay(true));
  pub.handshake("127.0.0.1", std::string("/api/realtime?access_token=") + kToken);
  pub.text(true);
  std::vector<std::string> bodies;
  for (long b = 0; b < kBatches; ++b) {
    json a = json::array();
    for (int i = 0; i < kPerBatch; ++i) {
      const long n = b * kPerBatch + i;
      a.push_back({{"time", kT0 + static_cast<double>(n)},
                   {"channel", "zvezda.pressure"},
                   {"value", 101325.0 + static_cast<double>((n * 7919) % 200) / 100.0}});
    }
    bodies.push_back(json{{"op", "ingest"}, {"ref", b}, {"samples", a}}.dump());
  }
  std::vector<double> ackMs;
  long acked = 0, refused = 0;
  beast::flat_buffer ackBuffer;
  std::function<void()> readAck = [&] {
    pub.async_read(ackBuffer, [&](beast::error_code ec, std::size_t) {
      if (ec) return;
      const double now = sinceOrigin();
      const json a = json::parse(beast::buffers_to_string(ackBuffer.data()), nullptr, false);
      ackBuffer.consume(ackBuffer.size());
      if (a.is_object() && a.value("type", "") == "ack") {
        ackMs.push_back(now - sentAt[a["ref"].get<long>()].load());
      } else {
        if (refused++ == 0) std::fprintf(stderr, "publisher: %s\n", a.dump().c_str());
      }
      if (++acked < kBatches) readAck();
    });
  };
  std::deque<long> toWrite;
  bool writing = false;
  std::function<void()> writeNext = [&] {
    if (writing || toWrite.empty()) return;
    writing = true;
    const long b = toWrite.front();
    toWrite.pop_front();
    pub.async_write(net::buffer(bodies[b]), [&](beast::error_code ec, std::size_t) {
      writing = false;
      if (!ec) writeNext();
    });
  };
  net::steady_timer tick(pubIoc);
  long nextBatch = 0;
  const auto t0 = Clock::now();
  std::function<void()> schedule = [&] {
    tick.expires_at(t0 + std::chrono::microseconds(nextBatch * kPerBatch * 1000000L / kRate));
    tick.async_wait([&](beast::error_code ec) {
      if (ec) return;
      sentAt[nextBatch].store(sinceOrigin());  // when it is due: a late publisher counts too
      toWrite.push_back(nextBatch++);
      writeNext();
      if (nextBatch < kBatches) schedule();
    });
  };
  readAck();
  schedule();
  net::steady_timer pubDeadline(pubIoc, std::chrono::seconds(kSeconds + 60));
  pubDeadline.async_wait([&](beast::error_code ec) {
    if (!ec) pubIoc.stop();
  });
  while (acked < kBatches && !pubIoc.stopped()) pubIoc.run_one();
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  subThread.join();
  std::vector<double> all;
  long missed = 0;
  for (auto& s : subs) {
    all.insert(all.end(), s->latencies.begin(), s->latencies.end());
    missed += s->missed;
  }
  server.reset();
  const double fsyncP99 = percentile(fsyncMs, 0.99), p99 = percentile(all, 0.99);
  std::printf(
      "fan-out: %d subscribers (+1 that never reads), %d samples/s offered in batches of %d, "
      "%.0f achieved over %.2f s; %zu deliveries, %ld missed by the %d, %ld batches refused\n",
      kSubscribers, kRate, kPerBatch, kExpected / seconds, seconds, all.size(), missed,
      kSubscribers, refused);
  std::printf("  ingest-to-delivery latency: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
              percentile(all, 0.5), percentile(all, 0.9), p99, percentile(all, 1.0));
  std::printf("  ingest acknowledgement (durable) latency: p50 %.2f ms, p99 %.2f ms\n",
              percentile(ackMs, 0.5), percentile(ackMs, 0.99));
  std::printf(
      "  peer, one 4 KiB write + fsync on this disk (%zu runs): p50 %.3f ms, p90 %.3f ms, "
      "p99 %.3f ms; delivery/fsync p99 ratio %.1f\n",
      fsyncMs.size(), percentile(fsyncMs, 0.5), percentile(fsyncMs, 0.9), fsyncP99, p99 / fsyncP99);
  std::printf("  target: p99 <= %.1f ms with durable acks; p99/target %.2f: %s\n", kFanoutTarget_ms,
              p99 / kFanoutTarget_ms, p99 <= kFanoutTarget_ms ? "met" : "missed");
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

int main(int argc, char** argv) {
  auto wanted = [&](const char* part) {
    if (argc < 2) return true;
    for (int i = 1; i < argc; ++i)
      if (std::strcmp(argv[i], part) == 0) return true;
    return false;
  };
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
  std::fflush(stdout);
  if (wanted("ingest")) benchIngest(dir);
  std::fflush(stdout);
  if (wanted("history")) benchHistory(dir);
  std::fflush(stdout);
  if (wanted("fanout")) benchFanout(dir);
  fs::remove_all(dir);
}
