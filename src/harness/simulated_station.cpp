#include "harness/simulated_station.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <optional>
#include <vector>

#include "gas/species.hpp"
#include "harness/scenario_log.hpp"
#include "sim/simulation.hpp"
#include "telemetry/telemetry_io.hpp"

namespace leakhunt::harness {

using server::Action;
using server::ActionKind;
using server::Catalog;
using server::Core;
using server::Outcome;

namespace {

// Collects the simulator's readings and hands them to the core a chunk at a time, paced.
class Feed : public sim::RunObserver {
 public:
  Feed(const Catalog& catalog, Core& core, const FeedOptions& options)
      : m_catalog(catalog), m_core(core), m_options(options) {}

  void begin(const telemetry::ChannelTable& t, const telemetry::ChannelTable&) override {
    for (std::size_t i = 0; i < t.size(); ++i)
      m_toCatalog.push_back(m_catalog.find(t.name(static_cast<int>(i))));
  }

  void telemetry(const telemetry::Sample& s) override {
    const int c = m_toCatalog[static_cast<std::size_t>(s.channel)];
    if (c >= 0) m_batch.push_back({s.time_s, c, s.value});
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

  const Catalog& m_catalog;
  Core& m_core;
  const FeedOptions& m_options;
  std::vector<int> m_toCatalog;
  std::vector<telemetry::Sample> m_batch;
  bool m_started = false;
  std::chrono::steady_clock::time_point m_wall0;
  double m_sim0_s = 0.0;
  std::size_t m_refused = 0;  // batches refused in a row
  double m_refusedSince_s = 0.0, m_refusedUntil_s = 0.0;
};

// The simulated crew: does on the simulation what it is handed, and logs what it did when done.
class Crew {
 public:
  Crew(const model::Scenario& scenario, sim::Simulation& sim, Core& core)
      : m_scenario(scenario), m_sim(sim), m_core(core), m_start_s(scenario.startUnix_s) {}

  void take(const SimulatedStation::Order& order) {
    if (order.step) return carryOut(*order.step);
    if (order.action) happen(*order.action, order.time_s);
  }

  // Logs the operations the simulation has passed, in time order: the crew logs what is done.
  void logDone() {
    std::stable_sort(m_due.begin(), m_due.end(),
                     [](const Due& a, const Due& b) { return a.at_s < b.at_s; });
    while (!m_due.empty() && m_due.front().at_s <= m_sim.time_s()) {
      Action a = m_due.front().entry;
      m_due.erase(m_due.begin());
      m_core.act(std::move(a), {"simulator", server::Role::Operator}, [](const Outcome& o) {
        if (o.status != 200)
          fmt::print(stderr, "leakhunt serve: the simulated crew's log entry was refused: {}\n",
                     o.error);
      });
    }
  }

 private:
  struct Due {
    double at_s = 0.0;  // since the scenario's start
    Action entry;
  };

  // At the simulation's clock, if the operator's time is already behind it.
  double simTime(double unix_s) const {
    return std::max(m_sim.time_s(), unix_s - static_cast<double>(m_start_s));
  }

  void add(double at_s, model::EventAction action) {
    const Result<bool> r = m_sim.add({at_s, std::move(action), {}});
    if (!r) {
      const std::string message = "the simulated station cannot do it: " + r.error().message;
      fmt::print(stderr, "leakhunt serve: {}\n", message);
      m_core.notify("WARNING", message);
    }
  }

  // An operator posted it: it happens on the simulated station now (its clock; the operator's
  // time if that is later), and is logged back at the time it happened.
  void happen(const Action& a, double unix_s) {
    const double t = simTime(unix_s);
    switch (a.kind) {
      case ActionKind::Hatch:
        add(t, model::HatchEvent{a.hatch, a.open});
        break;
      case ActionKind::CrewMove:
        add(t, model::CrewMoveEvent{a.crew, a.module});
        break;
      case ActionKind::Repress: {
        model::RepressEvent r;
        r.module = a.module;
        r.composition = gas::toMassFractions(m_scenario.station.atmosphere.composition);
        r.mass_kg = a.mass_kg;
        r.duration_s = a.duration_s;
        add(t, r);
        break;
      }
      case ActionKind::Patch:
        // The patch goes where the operator put it: the named leak, or every leak in the named
        // module. If that is not where the hole is, the leak goes on.
        for (const model::Event& e : m_scenario.events)
          if (const auto* leak = std::get_if<model::LeakEvent>(&e.action))
            if ((!a.leak.empty() && leak->id == a.leak) ||
                (!a.module.empty() && leak->module == a.module))
              add(t, model::PatchEvent{leak->id});
        break;
      default:
        return;
    }
    Action done = a;
    done.time_s = static_cast<double>(m_start_s) + t;
    done.note = a.note.empty() ? "as ordered" : a.note;
    m_due.push_back({t, std::move(done)});
  }

  // Each operation is done at the step's schedule from now, and logged when done.
  void carryOut(const ops::ProposedStep& step) {
    const double t0 = m_sim.time_s();
    for (const ops::Operation& o : step.operations) {
      const double at = t0 + o.start_s + o.duration_s;
      Action logged;
      logged.time_s = static_cast<double>(m_start_s) + at;
      logged.note = fmt::format("step {}: {}", step.step + 1, o.text);
      if (o.kind == ops::OperationKind::CrewMove) {
        add(at, model::CrewMoveEvent{o.subject, o.to});
        logged.kind = ActionKind::CrewMove;
        logged.crew = o.subject;
        logged.module = o.to;
      } else {
        const bool open = o.kind == ops::OperationKind::EqualiseThenOpen;
        add(at, model::HatchEvent{o.subject, open});
        logged.kind = ActionKind::Hatch;
        logged.hatch = o.subject;
        logged.open = open;
      }
      m_due.push_back({at, std::move(logged)});
    }
  }

  const model::Scenario& m_scenario;
  sim::Simulation& m_sim;
  Core& m_core;
  std::int64_t m_start_s;
  std::vector<Due> m_due;
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

void SimulatedStation::logged(const Action& action, double time_s) {
  std::lock_guard lock(m_ordersMutex);
  m_orders.push_back({action, time_s, std::nullopt});
}

void SimulatedStation::confirmed(const ops::ProposedStep& step) {
  if (m_options.autopilot) return;  // the autopilot is doing it already
  std::lock_guard lock(m_ordersMutex);
  m_orders.push_back({std::nullopt, 0.0, step});
}

void SimulatedStation::proposed(const ops::ProposedStep& step) {
  if (!m_options.autopilot) return;
  std::lock_guard lock(m_ordersMutex);
  m_orders.push_back({std::nullopt, 0.0, step});
}

void SimulatedStation::run(const Catalog& catalog, Core& core) {
  Feed feed(catalog, core, m_options);
  std::string error;
  try {
    Result<sim::Simulation> started = sim::Simulation::start(m_scenario, sim::RunOptions{}, feed);
    if (!started) throw std::runtime_error(started.error().message);
    sim::Simulation sim = std::move(started).value();
    Crew crew(m_scenario, sim, core);
    // A chunk is one batch: what the clock covers in `batchWall_s` (an hour when unpaced).
    const double chunk_s =
        m_options.speed > 0 ? std::max(1.0, m_options.speed * m_options.batchWall_s) : 3600.0;
    while (!m_stop && sim.time_s() < sim.end_s()) {
      std::vector<Order> orders;
      {
        std::lock_guard lock(m_ordersMutex);
        orders.swap(m_orders);
      }
      for (const Order& o : orders) crew.take(o);
      const Result<bool> r = sim.advanceTo(std::min(sim.time_s() + chunk_s, sim.end_s()));
      if (!r) throw std::runtime_error(r.error().message);
      feed.flush();
      crew.logDone();
    }
  } catch (const std::exception& e) {
    error = e.what();
  }
  if (m_stop) return;
  if (!error.empty()) {  // never a silent end: the log and the events stream say why
    const std::string message = "the scenario feed stopped: " + error;
    fmt::print(stderr, "leakhunt serve: {}\n", message);
    core.notify("CRITICAL", message);
  }
  if (m_options.onFinish) m_options.onFinish(error);
}

}  // namespace leakhunt::harness
