// 90 days of ISS 1 Hz telemetry through `trend` (issue 5: under 30 s, bounded memory), against
// a non-streaming peer that first holds every sample in memory and then runs the same trend.
//
// Telemetry: one leak-free day of the benchmark scenario (bench/iss-2018-hole.yaml without its
// hole: ISS 2018, 18 pressure sensors at 1 Hz, 23 thermometers at 10 s) simulated once, kept in
// memory and replayed day after day with its times shifted (simulating 90 days at 1 Hz costs
// minutes on this machine; the trend's cost does not depend on where the samples come from).
// The day boundaries are level steps of the replay, which the trend's step filter counts.
// No file parsing is timed: that is `detect`'s reader, measured in docs/detection.md.
//
//   bench_trend [--days 90] [--peer-days 10]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench_common.hpp"
#include "verify/residual_run.hpp"
#include "verify/trend.hpp"

namespace {

using namespace leakhunt;
using Clock = std::chrono::steady_clock;

struct Keep : sim::RunObserver {
  std::vector<telemetry::Sample> samples;
  telemetry::ChannelTable table;
  void begin(const telemetry::ChannelTable& t, const telemetry::ChannelTable&) override {
    table = t;
  }
  void telemetry(const telemetry::Sample& s) override { samples.push_back(s); }
};

double peakRss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

// Replays `day` for `days` days into `cb`, interning the day's channel names.
verify::TelemetrySource replay(const Keep& day, int days) {
  return [&day, days](telemetry::ChannelTable& table, const verify::SampleCallback& cb) {
    std::vector<int> map;
    for (std::size_t c = 0; c < day.table.size(); ++c)
      map.push_back(table.intern(day.table.name(static_cast<int>(c))));
    std::size_t n = 0;
    for (int d = 0; d < days; ++d)
      for (telemetry::Sample s : day.samples) {
        s.time_s += d * 86400.0;
        s.channel = map[static_cast<std::size_t>(s.channel)];
        cb(s);
        ++n;
      }
    return Result<std::size_t>(n);
  };
}

struct Figures {
  double seconds = 0.0;
  std::size_t samples = 0, periods = 0, changes = 0;
};

Figures runTrend(const model::Station& station, const verify::TelemetrySource& source) {
  const auto t0 = Clock::now();
  verify::TrendBuilder trend(verify::TrendOptions{});
  const Result<std::size_t> n = verify::runResiduals(station, {}, {source}, trend);
  trend.finish();
  Figures f;
  f.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  f.samples = n ? *n : 0;
  for (const verify::SegmentTrend& t : trend.trends()) {
    f.periods += t.points.size();
    f.changes += t.changes.size();
  }
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  int days = 90, peerDays = 10;
  for (int k = 1; k + 1 < argc; k += 2) {
    const std::string key = argv[k];
    if (key == "--days") days = std::atoi(argv[k + 1]);
    if (key == "--peer-days") peerDays = std::atoi(argv[k + 1]);
  }
  model::Scenario sc = bench::withDuration(bench::loadBenchScenario(), 1.0);
  std::erase_if(sc.events, [](const model::Event& e) {
    return std::holds_alternative<model::LeakEvent>(e.action);
  });
  Keep day;
  sim::RunOptions options;
  options.spinUp_s = 86400.0;
  options.relativeTolerance = 1e-6;
  const auto s0 = Clock::now();
  if (!sim::runScenario(sc, options, day)) return 2;
  std::printf("one leak-free ISS day simulated once: %zu samples, %.1f s\n", day.samples.size(),
              std::chrono::duration<double>(Clock::now() - s0).count());
  const double rssDay = peakRss_mb();

  // Streaming: the peer-length run first, then the long one; peak RSS after each.
  const Figures shortRun = runTrend(sc.station, replay(day, peerDays));
  const double rssShort = peakRss_mb();
  const Figures longRun = runTrend(sc.station, replay(day, days));
  const double rssLong = peakRss_mb();
  std::printf(
      "streaming trend, %d days: %.2f s, %zu samples (%.1f M/s), %zu periods, %zu changes, "
      "peak RSS %.0f MB\n",
      peerDays, shortRun.seconds, shortRun.samples, shortRun.samples / shortRun.seconds / 1e6,
      shortRun.periods, shortRun.changes, rssShort);
  std::printf(
      "streaming trend, %d days: %.2f s, %zu samples (%.1f M/s), %zu periods, %zu changes, "
      "peak RSS %.0f MB (%+.0f MB over the %d-day run)\n",
      days, longRun.seconds, longRun.samples, longRun.samples / longRun.seconds / 1e6,
      longRun.periods, longRun.changes, rssLong, rssLong - rssShort, peerDays);

  // Peer: hold every sample of the peer-length span first, then run the same trend.
  const auto p0 = Clock::now();
  std::vector<telemetry::Sample> all;
  telemetry::ChannelTable table;
  replay(day, peerDays)(table, [&](const telemetry::Sample& s) { all.push_back(s); });
  const verify::TelemetrySource fromMemory = [&all](telemetry::ChannelTable& t,
                                                    const verify::SampleCallback& cb) {
    (void)t;
    for (const telemetry::Sample& s : all) cb(s);
    return Result<std::size_t>(all.size());
  };
  Figures peer = runTrend(sc.station, fromMemory);
  peer.seconds = std::chrono::duration<double>(Clock::now() - p0).count();
  const double rssPeer = peakRss_mb();
  std::printf(
      "peer (all samples held, then trend), %d days: %.2f s, peak RSS %.0f MB (%+.0f MB: "
      "%.1f MB per day held)\n",
      peerDays, peer.seconds, rssPeer, rssPeer - rssLong, (rssPeer - rssLong) / peerDays);
  std::printf(
      "ratio streaming/peer time per day of data: %.2f; memory: streaming grew %+.0f MB "
      "from %d to %d days, the peer %+.0f MB for %d days (the simulated day itself holds "
      "%.0f MB)\n",
      (longRun.seconds / days) / (peer.seconds / peerDays), rssLong - rssShort, peerDays, days,
      rssPeer - rssLong, peerDays, rssDay);
  return 0;
}
