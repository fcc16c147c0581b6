// The server's core: one ingest thread owns the archive writer and the streaming detector.
// Clients hand it batches and actions; it validates them against what it has already
// accepted (known channel, increasing time per channel), runs the detector, commits everything
// of one round in one durable transaction (group commit), then publishes to subscribers and
// only then acknowledges. A slow client never holds the thread: completions are callbacks.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "archive/archive.hpp"
#include "detect/detector.hpp"
#include "server/access.hpp"
#include "server/catalog.hpp"
#include "server/hub.hpp"
#include "server/request_parsing.hpp"
#include "server/station_clock.hpp"

namespace leakhunt::server {

struct Outcome {
  int status = 200;  // HTTP status: 200, 409 (order), 422 (content), 503 (archive failed)
  std::string error;
  std::int64_t seq = 0;  // audit sequence number of the batch or action
  std::size_t samples = 0;
};
using Done = std::function<void(const Outcome&)>;

struct CoreOptions {
  detect::DetectorOptions detector;
  double replayWindow_s = 6 * 3600.0;  // history replayed into a rebuilt detector (docs/server.md)
  std::size_t maxRoundSamples = 400000;  // samples committed per transaction at most
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
  double latestTime() const;
  void stop();  // finishes queued work, then joins

 private:
  struct Work;
  class Observer;
  void run();
  void round(std::vector<Work>& work);
  void failRound(std::vector<Work>& work, const std::string& why);
  void enqueue(Work w);
  bool admit(Work& w, std::vector<telemetry::Sample>& accepted);
  void applyAction(const Work& w, std::int64_t seq);
  void rebuildDetector();
  void refreshSegments();
  void emitDerived(double time_s, int channel, double value);
  void emitEvent(double time_s, const std::string& severity, const std::string& message,
                 const std::string& actor = "detector");
  std::string datumJson(int channel, double time_s, double value) const;

  const model::Station& m_station;
  const Catalog& m_catalog;
  archive::ArchiveWriter& m_writer;
  std::string m_archivePath;
  Hub& m_hub;
  CoreOptions m_options;
  detect::LoggedEvents m_log;

  std::unique_ptr<Observer> m_observer;
  std::unique_ptr<detect::Detector> m_detector;
  std::vector<double> m_lastTime;  // per catalogue channel: admitted time must be later
  StationClock m_clock;            // and within the station clock's window (operators)
  double m_stationAir_kg = 0.0;    // the station's air at its nominal pressure: a repress bound

  // Round output, filled by the detector observer.
  std::vector<telemetry::Sample> m_derived;
  std::vector<archive::Record> m_events;
  bool m_replaying = false;
  double m_highWater_s = -1e300;  // latest time the detector has seen live

  mutable std::mutex m_statusMutex;
  nlohmann::json m_alarms = nlohmann::json::array();
  std::size_t m_visibleAlarms = 0;  // of m_alarms, those whose round is committed and published
  std::vector<int> m_detectionToAlarm;
  int m_activeFaults = 0;
  nlohmann::json m_segmentsJson = nlohmann::json::array();
  std::chrono::steady_clock::time_point m_segmentsAt{};
  double m_latest_s = 0.0;

  std::mutex m_queueMutex;
  std::condition_variable m_queueReady;
  std::deque<Work> m_queue;
  bool m_stopping = false;
  std::thread m_thread;
};

}  // namespace leakhunt::server
