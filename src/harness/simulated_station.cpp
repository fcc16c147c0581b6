#include "harness/simulated_station.hpp"

#include <fmt/format.h>

#include <chrono>
#include <future>
#include <vector>

#include "harness/scenario_log.hpp"
#include "sim/scenario_runner.hpp"
#include "telemetry/telemetry_io.hpp"

namespace leakhunt::harness {

using server::Catalog;
using server::Core;
using server::Outcome;

namespace {

struct Stopped {};

class FeedObserver : public sim::RunObserver {
 public:
  FeedObserver(const Catalog& catalog, Core& core, const FeedOptions& options,
               const std::atomic<bool>& stop)
      : m_catalog(catalog), m_core(core), m_options(options), m_stop(stop) {}

  void begin(const telemetry::ChannelTable& t, const telemetry::ChannelTable&) override {
    for (std::size_t i = 0; i < t.size(); ++i)
      m_toCatalog.push_back(m_catalog.find(t.name(static_cast<int>(i))));
  }

  void telemetry(const telemetry::Sample& s) override {
    if (m_stop) throw Stopped{};
    const int c = m_toCatalog[static_cast<std::size_t>(s.channel)];
    if (c < 0) return;
    if (m_batch.empty()) {
      m_batchStart_s = s.time_s;
    } else if (s.time_s > m_batch.back().time_s && s.time_s - m_batchStart_s >= span()) {
      flush();
      m_batchStart_s = s.time_s;
    }
    m_batch.push_back({s.time_s, c, s.value});
  }

  void flush() {
    if (m_batch.empty()) return;
    const double first = m_batch.front().time_s, last = m_batch.back().time_s;
    if (m_options.speed > 0) {
      if (!m_started) {
        m_started = true;
        m_wall0 = std::chrono::steady_clock::now();
        m_sim0_s = m_batch.front().time_s;
      }
      const auto due =
          m_wall0 + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                        std::chrono::duration<double>((last - m_sim0_s) / m_options.speed));
      std::this_thread::sleep_until(due);  // pacing the simulated clock, not synchronisation
    }
    std::promise<Outcome> acked;
    std::future<Outcome> ack = acked.get_future();
    m_core.ingestResolved(std::move(m_batch), "simulator",
                          [&acked](const Outcome& o) { acked.set_value(o); });
    m_batch = {};
    const Outcome o = ack.get();  // the next batch waits for this one to be durable
    if (o.status != 200)
      refused(o, first, last);
    else
      resumed(last);
  }

 private:
  // A refused batch is a gap in the telemetry, not the end of the run: the feed says so (the
  // log and the events stream, once per run of refusals) and goes on with the next batch.
  // It once ended the thread silently, and the scenario's leak was never alarmed.
  void refused(const Outcome& o, double first, double last) {
    if (m_refused++ == 0) {
      m_refusedSince_s = first;
      const std::string message = fmt::format(
          "the scenario feed's telemetry from {} to {} was refused ({}: {}); it goes on with the "
          "next batch",
          telemetry::formatTime(first), telemetry::formatTime(last), o.status, o.error);
      fmt::print(stderr, "leakhunt serve: {}\n", message);
      m_core.notify("WARNING", message);
    }
    m_refusedUntil_s = last;
  }

  void resumed(double last) {
    if (m_refused == 0) return;
    const std::string message = fmt::format(
        "the scenario feed is accepted again at {}; {} batch(es) from {} to {} were refused",
        telemetry::formatTime(last), m_refused, telemetry::formatTime(m_refusedSince_s),
        telemetry::formatTime(m_refusedUntil_s));
    fmt::print(stderr, "leakhunt serve: {}\n", message);
    m_core.notify("INFO", message);
    m_refused = 0;
  }

  double span() const {
    return m_options.speed > 0 ? m_options.speed * m_options.batchWall_s : 3600.0;
  }

  const Catalog& m_catalog;
  Core& m_core;
  const FeedOptions& m_options;
  const std::atomic<bool>& m_stop;
  std::vector<int> m_toCatalog;
  std::vector<telemetry::Sample> m_batch;
  double m_batchStart_s = 0.0;
  bool m_started = false;
  std::chrono::steady_clock::time_point m_wall0;
  double m_sim0_s = 0.0;
  std::size_t m_refused = 0;  // batches refused in a row
  double m_refusedSince_s = 0.0, m_refusedUntil_s = 0.0;
};

}  // namespace

SimulatedStation::SimulatedStation(model::Scenario scenario, FeedOptions options)
    : m_scenario(std::move(scenario)), m_options(std::move(options)) {}

SimulatedStation::~SimulatedStation() { stop(); }

detect::LoggedEvents SimulatedStation::loggedEvents() const {
  return loggedEventsOf(m_scenario, m_scenario.station);  // no leak truth
}

std::optional<double> SimulatedStation::clockStart_s() const {
  return static_cast<double>(m_scenario.startUnix_s);
}

void SimulatedStation::start(const Catalog& catalog, Core& core) {
  m_thread = std::thread([this, &catalog, &core] { run(catalog, core); });
}

void SimulatedStation::stop() {
  m_stop = true;
  if (m_thread.joinable()) m_thread.join();
}

void SimulatedStation::run(const Catalog& catalog, Core& core) {
  FeedObserver observer(catalog, core, m_options, m_stop);
  std::string error;
  try {
    sim::RunOptions options;
    const Result<sim::RunResult> r = sim::runScenario(m_scenario, options, observer);
    if (!r)
      error = r.error().message;
    else
      observer.flush();
  } catch (const Stopped&) {
    return;
  } catch (const std::exception& e) {
    error = e.what();
  }
  if (!error.empty()) {  // never a silent end: the log and the events stream say why
    const std::string message = "the scenario feed stopped: " + error;
    fmt::print(stderr, "leakhunt serve: {}\n", message);
    core.notify("CRITICAL", message);
  }
  if (m_options.onFinish) m_options.onFinish(error);
}

}  // namespace leakhunt::harness
