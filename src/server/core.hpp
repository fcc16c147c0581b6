// The server's core: one ingest thread owns the archive writer and the operations core
// (src/ops: the detector, the belief, the planner, verify and trend). Clients hand it batches
// and actions; it validates them against what it has already accepted (known channel,
// increasing time per channel), commits everything queued in one durable transaction (group
// commit, as soon as there is work: no timer), publishes to subscribers and acknowledges. Only
// then does the operations core read the round, while nothing is queued; its derived samples
// and events go with the next transaction, or in their own when no work waits. A slow client
// never holds the thread: completions are callbacks.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "archive/archive.hpp"
#include "detect/detector.hpp"
#include "ops/operations_core.hpp"
#include "server/access.hpp"
#include "server/catalog.hpp"
#include "server/hub.hpp"
#include "server/plan_document.hpp"
#include "server/request_parsing.hpp"
#include "server/station_clock.hpp"
#include "telemetry/telemetry_guard.hpp"

namespace leakhunt::server {

class TelemetrySource;

struct Outcome {
  int status = 200;  // HTTP status: 200, 409 (order), 422 (content), 503 (archive failed)
  std::string error;
  std::int64_t seq = 0;  // audit sequence number of the batch or action
  std::size_t samples = 0;
  std::vector<std::string> warnings{};  // accepted, but: channels that match no sensor, ...
};
using Done = std::function<void(const Outcome&)>;

struct CoreOptions {
  detect::DetectorOptions detector;
  ops::OperationsOptions operations;  // its `detector` is replaced by the one above
  // The operations core keeps every sample it is given (to rebuild its detector when the log
  // grows). While no incident is open, once it holds more than `keepWhileWaiting_s` it is
  // started again from the archive's last `replayWindow_s`, which bounds its memory; an
  // incident keeps everything from its start (docs/server.md, "Memory").
  double replayWindow_s = 6 * 3600.0;
  double keepWhileWaiting_s = 12 * 3600.0;
  std::size_t maxRoundSamples = 400000;  // samples committed per transaction at most
  // The operations core reads committed samples while no work is queued, this many between
  // looks at the queue; past `maxOperationsBacklog` unread samples ingest waits for it.
  std::size_t operationsSlice = 2000;
  std::size_t maxOperationsBacklog = 400000;
  // Set when a scenario feeds the core: its start [Unix s]. The station's clock is then the
  // simulator's, else this server's UTC clock (station_clock.hpp).
  std::optional<double> scenarioStart_s;
  std::function<double()> wallClock;  // UTC now [Unix s]; empty: the system clock
};

class Core {
 public:
  Core(const model::Station& station, const Catalog& catalog, archive::ArchiveWriter& writer,
       std::string archivePath, Hub& hub, detect::LoggedEvents log, CoreOptions options);
  ~Core();
  Core(const Core&) = delete;
  Core& operator=(const Core&) = delete;

  void ingest(std::vector<IncomingSample> samples, std::string actor, Done done);
  // Samples whose channels already index the catalogue (the scenario feed).
  void ingestResolved(std::vector<telemetry::Sample> samples, std::string actor, Done done);
  void act(Action action, Identity who, Done done);
  // Runs `task` on the ingest thread (the only thread that writes the archive).
  void onIngestThread(std::function<Outcome(archive::ArchiveWriter&)> task, Done done);
  // An event of the server's own (a feed that was refused, ...): archived and published on
  // the events stream at the station's clock, like the detector's. `severity`: INFO, WARNING,
  // CRITICAL.
  void notify(std::string severity, std::string message);

  // Segments, alarms and the latest telemetry time, for /api/status.
  nlohmann::json status() const;
  // The operations core's plan (plan_document.hpp), for GET /api/plan.
  nlohmann::json plan() const;
  // The station's crew, when the server can reach it (a simulated station): it hears of logged
  // actions, confirmed and proposed steps. Set before any work is queued; may be null.
  void attach(TelemetrySource* crew) { m_crew = crew; }
  double latestTime() const;
  void stop();  // finishes queued work, then joins

 private:
  struct Work;
  class Observer;
  // What the operations core has still to read, in commit order: a round's samples (time
  // ordered; `next` is the first unread) or an action to log.
  struct OperationsDue {
    std::vector<telemetry::Sample> samples;
    std::optional<Action> action;
    double time_s = 0.0;
    std::size_t next = 0;
  };
  void run();
  void round(std::vector<Work>& work);
  void catchUpOperations();
  // Feeds the operations core at most `samples` of what is due (actions cost nothing).
  void runOperations(std::size_t samples);
  void failRound(std::vector<Work>& work, const std::string& why);
  void enqueue(Work w);
  bool admit(Work& w, std::vector<telemetry::Sample>& accepted);
  void restartOperations(double from_s);
  void feed(const telemetry::Sample& s);
  void reportSensorFaults();
  void logToOperations(const Action& a, double time_s);
  void commitOwnOutput();
  void refreshSegments();
  void refreshPlan();
  void refreshStation();
  void emitDerived(double time_s, int channel, double value);
  void emitEvent(double time_s, const std::string& severity, const std::string& message,
                 const std::string& actor = "detector");
  std::string datumJson(int channel, double time_s, double value) const;

  const model::Station& m_station;
  const Catalog& m_catalog;
  telemetry::TelemetryGuard m_guard;  // the analysis commands' checks, for clients' samples
  archive::ArchiveWriter& m_writer;
  std::string m_archivePath;
  Hub& m_hub;
  CoreOptions m_options;
  detect::LoggedEvents m_log;

  std::unique_ptr<Observer> m_observer;
  std::unique_ptr<ops::OperationsCore> m_ops;
  double m_opsFrom_s = 1e300;  // the first sample the operations core holds
  std::set<std::tuple<int, int, bool, double>> m_faultsSeen;  // channel, kind, ongoing, time
  std::vector<ops::ProposedStep> m_newProposals;              // for the crew, once committed
  TelemetrySource* m_crew = nullptr;
  std::vector<double> m_lastTime;     // per catalogue channel: admitted time must be later
  std::vector<double> m_latestValue;  // per catalogue channel, NaN before its first sample
  StationClock m_clock;               // and within the station clock's window (operators)
  double m_stationAir_kg = 0.0;       // the station's air at its nominal pressure: a repress bound

  // Round output, filled by the detector observer.
  std::vector<telemetry::Sample> m_derived;
  std::vector<archive::Record> m_events;
  bool m_replaying = false;
  double m_highWater_s = -1e300;  // latest time the detector has seen live

  mutable std::mutex m_statusMutex;
  nlohmann::json m_alarms = nlohmann::json::array();
  std::size_t m_visibleAlarms = 0;  // of m_alarms, those whose round is committed and published
  int m_activeFaults = 0;
  nlohmann::json m_segmentsJson = nlohmann::json::array();
  nlohmann::json m_hatchesJson = nlohmann::json::object();    // hatch id -> open, as logged
  nlohmann::json m_pressuresJson = nlohmann::json::object();  // module id -> latest pressure
  double m_opsSince_s = 1e300;  // m_opsFrom_s, for /api/status (memory bound, docs/server.md)
  PlanRecord m_record;          // written on the ingest thread, read under m_statusMutex
  nlohmann::json m_planJson;
  std::chrono::steady_clock::time_point m_segmentsAt{};
  double m_latest_s = 0.0;

  std::deque<OperationsDue> m_operationsDue;  // ingest thread only
  std::size_t m_operationsDueSamples = 0;
  // For /api/status: samples and actions acknowledged that the operations core (and the views
  // made from it) have not caught up with; 0 once status and plan show everything committed.
  std::atomic<std::size_t> m_operationsBehind{0};

  std::mutex m_queueMutex;
  std::condition_variable m_queueReady;
  std::deque<Work> m_queue;
  bool m_stopping = false;
  bool m_ownOutputDue = false;  // the operations core said something not yet committed
  std::thread m_thread;
};

}  // namespace leakhunt::server
