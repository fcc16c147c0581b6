#include "server/core.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "model/steady_air.hpp"
#include "server/core_observer.hpp"
#include "server/telemetry_source.hpp"
#include "server/wall_clock.hpp"
#include "telemetry/telemetry_io.hpp"

namespace leakhunt::server {

using nlohmann::json;

struct Core::Work {
  enum Kind { Samples, Resolved, ActionItem, Task, Notice } kind = Samples;
  std::function<Outcome(archive::ArchiveWriter&)> task;
  std::vector<IncomingSample> incoming;
  std::vector<telemetry::Sample> resolved;
  Action action;
  Identity who;
  std::string actor;
  std::string severity, message;  // Notice
  Done done;
  Outcome outcome;
};

namespace {

// The earliest sample time of the archive's first batches (those that held samples), if any.
std::optional<double> archiveStart(const std::string& path) {
  Result<std::unique_ptr<archive::ArchiveReader>> reader = archive::ArchiveReader::open(path);
  if (!reader) return std::nullopt;
  std::optional<double> first;
  for (const archive::AuditEntry& e :
       (*reader)->entries(archive::RecordKind::Ingest, -1e300, 1e300, 16)) {
    const json p = json::parse(e.payload, nullptr, false);
    if (!p.is_object()) continue;
    const auto n = p.find("samples"), f = p.find("first");
    if (n == p.end() || !n->is_number() || n->get<double>() <= 0 || f == p.end() || !f->is_number())
      continue;
    const double t = f->get<double>();
    first = std::min(first.value_or(t), t);
  }
  return first;
}

}  // namespace

Core::Core(const model::Station& station, const Catalog& catalog, archive::ArchiveWriter& writer,
           std::string archivePath, Hub& hub, detect::LoggedEvents log, CoreOptions options)
    : m_station(station),
      m_catalog(catalog),
      m_guard(station),
      m_writer(writer),
      m_archivePath(std::move(archivePath)),
      m_hub(hub),
      m_options(options),
      m_log(std::move(log)),
      m_observer(std::make_unique<Observer>(*this)),
      m_lastTime(catalog.size(), -1e300),
      m_latestValue(catalog.size(), std::numeric_limits<double>::quiet_NaN()),
      m_clock(options.scenarioStart_s, archiveStart(m_archivePath),
              options.wallClock ? options.wallClock : std::function<double()>(wallNow)),
      m_stationAir_kg(model::nominalStationInventory_kg(station)) {
  for (const auto& [name, t] : m_writer.lastTimes()) {
    const int c = m_catalog.find(name);
    if (c >= 0) m_lastTime[static_cast<std::size_t>(c)] = t;
    m_highWater_s = std::max(m_highWater_s, t);
  }
  if (m_highWater_s > -1e300) m_latest_s = m_highWater_s;
  m_options.operations.detector = m_options.detector;
  restartOperations(m_highWater_s - m_options.replayWindow_s);
  refreshStation();
  refreshPlan();
  m_thread = std::thread([this] { run(); });
}

Core::~Core() { stop(); }

void Core::stop() {
  {
    std::lock_guard lock(m_queueMutex);
    m_stopping = true;
  }
  m_queueReady.notify_all();
  if (m_thread.joinable()) m_thread.join();
}

void Core::enqueue(Work w) {
  {
    std::lock_guard lock(m_queueMutex);
    m_queue.push_back(std::move(w));
  }
  m_queueReady.notify_one();
}

void Core::ingest(std::vector<IncomingSample> samples, std::string actor, Done done) {
  Work w;
  w.kind = Work::Samples;
  w.incoming = std::move(samples);
  w.actor = std::move(actor);
  w.done = std::move(done);
  enqueue(std::move(w));
}

void Core::ingestResolved(std::vector<telemetry::Sample> samples, std::string actor, Done done) {
  Work w;
  w.kind = Work::Resolved;
  w.resolved = std::move(samples);
  w.actor = std::move(actor);
  w.done = std::move(done);
  enqueue(std::move(w));
}

void Core::act(Action action, Identity who, Done done) {
  Work w;
  w.kind = Work::ActionItem;
  w.action = std::move(action);
  w.actor = who.name;
  w.who = std::move(who);
  w.done = std::move(done);
  enqueue(std::move(w));
}

void Core::onIngestThread(std::function<Outcome(archive::ArchiveWriter&)> task, Done done) {
  Work w;
  w.kind = Work::Task;
  w.task = std::move(task);
  w.done = std::move(done);
  enqueue(std::move(w));
}

void Core::notify(std::string severity, std::string message) {
  Work w;
  w.kind = Work::Notice;
  w.severity = std::move(severity);
  w.message = std::move(message);
  enqueue(std::move(w));
}

double Core::latestTime() const {
  std::lock_guard lock(m_statusMutex);
  return m_latest_s;
}

json Core::status() const {
  std::lock_guard lock(m_statusMutex);
  // Only the alarms whose events are durable and published: a client that sees an alarm here
  // finds its event in /api/events too.
  json alarms = json::array();
  for (std::size_t i = 0; i < m_visibleAlarms && i < m_alarms.size(); ++i)
    alarms.push_back(m_alarms[i]);
  return {
      {"latest_ms", m_latest_s * 1000.0},
      {"alarms", std::move(alarms)},
      {"active_sensor_faults", m_activeFaults},
      {"segments", m_segmentsJson},
      {"hatches", m_hatchesJson},
      {"module_pressure_pa", m_pressuresJson},
      {"operations_since_ms", m_opsSince_s > 1e299 ? json(nullptr) : json(m_opsSince_s * 1000.0)},
      {"operations_behind", m_operationsBehind.load()}};
}

void Core::run() {
  std::vector<Work> work;
  for (;;) {
    {
      std::unique_lock lock(m_queueMutex);
      // The commit path first: while work waits, the operations core waits (up to its backlog
      // bound). With nothing queued it catches up, and once it has, its output is committed.
      m_queueReady.wait(lock, [&] {
        return m_stopping || !m_queue.empty() || !m_operationsDue.empty() || m_ownOutputDue;
      });
      const bool backlog = m_operationsDueSamples > m_options.maxOperationsBacklog;
      if (!m_queue.empty() && !backlog) {
        std::size_t samples = 0;
        while (!m_queue.empty() && (work.empty() || samples < m_options.maxRoundSamples)) {
          samples += m_queue.front().incoming.size() + m_queue.front().resolved.size();
          work.push_back(std::move(m_queue.front()));
          m_queue.pop_front();
        }
      } else if (m_queue.empty() && m_operationsDue.empty() && !m_ownOutputDue) {
        return;  // stopping, and everything is done and durable
      }
    }
    if (work.empty()) {
      catchUpOperations();
      continue;
    }
    try {
      round(work);
    } catch (const std::exception& e) {  // the ingest thread must outlive any one round
      failRound(work, e.what());
    }
    // Acknowledged as soon as the round is durable and published: the operations core reads
    // these samples afterwards, off the path from a sender to its subscribers.
    for (Work& w : work)
      if (w.done) w.done(w.outcome);
    work.clear();
  }
}

void Core::catchUpOperations() {
  try {
    // A slice at a time, so that work queued meanwhile is committed within one slice's time.
    runOperations(m_options.operationsSlice);
    const bool idle = [&] {
      std::lock_guard lock(m_queueMutex);
      return m_queue.empty();
    }();
    // Queued work carries this output in its own transaction (group commit); else now.
    if (idle) commitOwnOutput();
    if (m_operationsDue.empty()) {
      // Bound the operations core's memory while no incident is open (CoreOptions). Only when
      // it has read everything committed: the replay reads the archive, and must not read a
      // sample still due to it as well.
      if (m_ops->status().phase == ops::Phase::Waiting &&
          m_highWater_s - m_opsFrom_s > m_options.keepWhileWaiting_s)
        restartOperations(m_highWater_s - m_options.replayWindow_s);
      refreshSegments();
      refreshStation();
      refreshPlan();
    }
  } catch (const std::exception& e) {
    // What the core had not read yet is dropped with the failure; the server goes on.
    m_operationsDue.clear();
    m_operationsDueSamples = 0;
    const std::string message = std::string("the operations core failed: ") + e.what();
    fmt::print(stderr, "leakhunt serve: {}\n", message);
    emitEvent(m_clock.now(), "CRITICAL", message, "leakhunt serve");
  }
  if (m_operationsDue.empty()) m_operationsBehind = 0;
  std::lock_guard lock(m_queueMutex);
  m_ownOutputDue = !m_derived.empty() || !m_events.empty();
}

void Core::failRound(std::vector<Work>& work, const std::string& why) {
  const std::string message = "an ingest round failed (its writes were refused): " + why;
  fmt::print(stderr, "leakhunt serve: {}\n", message);
  for (Work& w : work)
    if (w.outcome.status == 200) w.outcome = {500, message};
  m_derived.clear();
  m_events.clear();
  emitEvent(m_clock.now(), "CRITICAL", message, "leakhunt serve");  // goes out with the next round
}

bool Core::admit(Work& w, std::vector<telemetry::Sample>& accepted) {
  std::unordered_map<int, double> last;  // this batch's times so far, per channel
  auto check = [&](std::size_t i, int c, double t, const std::string& name) -> bool {
    if (c < 0) {
      w.outcome = {422, fmt::format("samples[{}].channel: unknown channel '{}'", i, name)};
      return false;
    }
    if (m_catalog.info(c).derived) {
      w.outcome = {422, fmt::format("samples[{}].channel: '{}' is derived by the server and "
                                    "cannot be written",
                                    i, name)};
      return false;
    }
    if (w.kind == Work::Samples) {  // the feed's own samples are the scenario's clock
      const Result<bool> inWindow = m_clock.checkSample(t, fmt::format("samples[{}].time", i));
      if (!inWindow) {
        w.outcome = {422, inWindow.error().message};
        return false;
      }
    }
    const auto it = last.find(c);
    const double before = it != last.end() ? it->second : m_lastTime[static_cast<std::size_t>(c)];
    if (!(t > before)) {
      w.outcome = {409,
                   fmt::format("samples[{}].time: {} is not after {} already accepted for "
                               "'{}' (times must increase per channel)",
                               i, telemetry::formatTime(t), telemetry::formatTime(before), name)};
      return false;
    }
    last[c] = t;
    return true;
  };
  const std::size_t start = accepted.size();
  if (w.kind == Work::Samples) {
    // A client's samples pass the analysis commands' guard (telemetry_guard.hpp): channels no
    // sensor has are set aside and named; none matching, or one implausible value, refuses the
    // batch. The scenario feed is the server's own simulator and skips it.
    std::vector<std::string> unmatched;
    std::size_t unmatchedSamples = 0;
    for (std::size_t i = 0; i < w.incoming.size(); ++i) {
      const IncomingSample& s = w.incoming[i];
      const int c = m_catalog.find(s.channel);
      if (c < 0) {
        if (std::find(unmatched.begin(), unmatched.end(), s.channel) == unmatched.end())
          unmatched.push_back(s.channel);
        ++unmatchedSamples;
        continue;
      }
      // The channel's first value ever is compared with the cabin's (a file in mmHg).
      const bool first = m_lastTime[static_cast<std::size_t>(c)] < -1e299 && !last.contains(c);
      if (!check(i, c, s.time_s, s.channel)) {
        accepted.resize(start);
        return false;
      }
      if (auto refused = m_guard.checkValue(s.channel, s.value, first)) {
        w.outcome = {422, fmt::format("samples[{}]: {}", i, *refused)};
        accepted.resize(start);
        return false;
      }
      accepted.push_back({s.time_s, c, s.value});
    }
    if (accepted.size() == start && !unmatched.empty()) {
      w.outcome = {422, m_guard.noChannelMatches(unmatched).message};
      return false;
    }
    if (!unmatched.empty())
      w.outcome.warnings.push_back(
          telemetry::TelemetryGuard::unmatchedWarning(unmatched, unmatchedSamples));
  } else {
    for (std::size_t i = 0; i < w.resolved.size(); ++i) {
      const telemetry::Sample& s = w.resolved[i];
      if (!check(i, s.channel, s.time_s, m_catalog.info(s.channel).name)) {
        accepted.resize(start);
        return false;
      }
      accepted.push_back(s);
    }
  }
  for (const auto& [c, t] : last) m_lastTime[static_cast<std::size_t>(c)] = t;
  if (accepted.size() > start) {
    const auto [first, latest] =
        std::minmax_element(accepted.begin() + static_cast<std::ptrdiff_t>(start), accepted.end(),
                            [](const auto& a, const auto& b) { return a.time_s < b.time_s; });
    m_clock.admitted(first->time_s, latest->time_s, w.kind == Work::Resolved);
  }
  return true;
}

namespace {

Result<bool> checkActionRefs(const Action& a, const model::Station& s, double stationAir_kg) {
  auto crewIndex = [&](const std::string& id) {
    for (std::size_t i = 0; i < s.crew.size(); ++i)
      if (s.crew[i].id == id) return static_cast<int>(i);
    return -1;
  };
  switch (a.kind) {
    case ActionKind::Hatch:
      if (s.hatchIndex(a.hatch) < 0) return Error{"unknown hatch '" + a.hatch + "'"};
      break;
    case ActionKind::Repress:
      if (s.moduleIndex(a.module) < 0) return Error{"unknown module '" + a.module + "'"};
      if (a.mass_kg > stationAir_kg)
        return Error{fmt::format(
            "\"mass_kg\": {:.6g} kg is outside {:g} .. {:.4g} kg: more than the whole station "
            "holds at its nominal pressure",
            a.mass_kg, kMinRepressMass_kg, stationAir_kg)};
      break;
    case ActionKind::CrewMove:
      if (crewIndex(a.crew) < 0) return Error{"unknown crew member '" + a.crew + "'"};
      if (s.moduleIndex(a.module) < 0) return Error{"unknown module '" + a.module + "'"};
      break;
    case ActionKind::Patch:
      if (!a.module.empty() && s.moduleIndex(a.module) < 0)
        return Error{"unknown module '" + a.module + "'"};
      break;
    default:
      break;
  }
  return true;
}

json actionJson(const Action& a, const Identity& who, double time_s) {
  json j{{"kind", toString(a.kind)},
         {"time", time_s},
         {"by", who.name},
         {"role", toString(who.role)},
         {"received", wallNow()}};
  switch (a.kind) {
    case ActionKind::AckAlarm:
      j["alarm"] = a.alarm;
      break;
    case ActionKind::Hatch:
      j["hatch"] = a.hatch;
      j["state"] = a.open ? "open" : "closed";
      break;
    case ActionKind::Patch:
      j["leak"] = a.leak;
      if (!a.module.empty()) j["module"] = a.module;
      break;
    case ActionKind::Confirm:
      j["step"] = a.step;
      break;
    case ActionKind::Repress:
      j["module"] = a.module;
      j["mass_kg"] = a.mass_kg;
      j["duration_s"] = a.duration_s;
      break;
    case ActionKind::CrewMove:
      j["crew"] = a.crew;
      j["module"] = a.module;
      break;
  }
  if (!a.note.empty()) j["note"] = a.note;
  return j;
}

}  // namespace

void Core::round(std::vector<Work>& work) {
  // An action is judged against the operations core's state (a confirmation names the step
  // proposed now): the core first reads everything committed before it.
  for (const Work& w : work)
    if (w.kind == Work::ActionItem) {
      runOperations(std::numeric_limits<std::size_t>::max());
      break;
    }
  std::vector<archive::Record> records;
  std::vector<int> owner;  // record -> work index, -1 for the server's own records
  std::vector<telemetry::Sample> all;
  std::vector<double> actionTimes(work.size(), 0.0);
  std::vector<std::optional<ops::ProposedStep>> confirmed(work.size());
  for (std::size_t i = 0; i < work.size(); ++i) {
    Work& w = work[i];
    if (w.kind == Work::Task) continue;
    if (w.kind == Work::Notice) {
      emitEvent(m_clock.now(), w.severity, w.message, "leakhunt serve");
      continue;
    }
    if (w.kind == Work::ActionItem) {
      Result<bool> refs = checkActionRefs(w.action, m_station, m_stationAir_kg);
      if (refs && w.action.time_s) refs = m_clock.checkAction(*w.action.time_s);
      if (!refs) {
        w.outcome = {422, refs.error().message};
        continue;
      }
      if (w.action.kind == ActionKind::AckAlarm) {
        std::lock_guard lock(m_statusMutex);
        if (w.action.alarm < 1 || static_cast<std::size_t>(w.action.alarm) > m_alarms.size()) {
          w.outcome = {422, fmt::format("no alarm {}", w.action.alarm)};
          continue;
        }
      }
      json payload;
      if (w.action.kind == ActionKind::Confirm) {
        // Only the step proposed now, and only before it is under way: a confirmation of a
        // step the core has since dropped would send the crew to do the wrong thing.
        const ops::OperationsStatus st = m_ops->status();
        if (st.proposed.empty() || st.proposed.front().step != w.action.step) {
          w.outcome = {409, st.proposed.empty()
                                ? fmt::format("no step is proposed now (status {}); step {} "
                                              "cannot be confirmed",
                                              ops::toString(st.phase), w.action.step)
                                : fmt::format("step {} is not the step proposed now (step {} is: "
                                              "GET /api/plan)",
                                              w.action.step, st.proposed.front().step)};
          continue;
        }
        if (st.readingDue_s || m_record.confirmedStep == w.action.step) {
          w.outcome = {409,
                       fmt::format("step {} is already confirmed or under way", w.action.step)};
          continue;
        }
        confirmed[i] = st.proposed.front();
        payload = actionJson(w.action, w.who, w.action.time_s.value_or(m_latest_s));
        payload["operations"] = stepJson(*confirmed[i])["operations"];
      }
      const double t = w.action.time_s.value_or(m_latest_s);
      actionTimes[i] = t;
      if (payload.is_null()) payload = actionJson(w.action, w.who, t);
      records.push_back({archive::RecordKind::Action, t, w.actor, payload.dump(), {}});
      owner.push_back(static_cast<int>(i));
      continue;
    }
    const std::size_t before = all.size();
    if (!admit(w, all)) continue;
    records.push_back(
        {archive::RecordKind::Ingest, wallNow(), w.actor, "",
         std::vector<telemetry::Sample>(all.begin() + static_cast<long>(before), all.end())});
    owner.push_back(static_cast<int>(i));
    w.outcome.samples = all.size() - before;
  }

  // The operations core's output so far goes with this transaction (group commit).
  if (!m_derived.empty()) {
    records.push_back({archive::RecordKind::Ingest, wallNow(), "detector", "", m_derived});
    owner.push_back(-1);
  }
  for (archive::Record& e : m_events) {
    records.push_back(std::move(e));
    owner.push_back(-1);
  }
  std::vector<Published> events;
  for (const archive::Record& r : records)
    if (r.kind == archive::RecordKind::Event) {
      json e = json::parse(r.payload);
      e["id"] = derived::kEvents;
      e["timestamp"] = r.time_s * 1000.0;
      events.push_back({nullptr, e.dump()});
    }
  m_events.clear();

  try {
    const std::vector<std::int64_t> seqs = m_writer.append(records, m_catalog.table());
    for (std::size_t r = 0; r < records.size(); ++r)
      if (owner[r] >= 0) work[static_cast<std::size_t>(owner[r])].outcome.seq = seqs[r];
  } catch (const std::exception& e) {
    for (Work& w : work)
      if (w.outcome.status == 200) w.outcome = {503, std::string("archive: ") + e.what()};
    m_derived.clear();
    // The archive cannot take the event either: it goes to the log and to who listens now.
    const std::string message = std::string("the archive refused a write: ") + e.what();
    fmt::print(stderr, "leakhunt serve: {}\n", message);
    json ev{{"severity", "CRITICAL"},
            {"message", message},
            {"id", derived::kEvents},
            {"timestamp", m_clock.now() * 1000.0}};
    m_hub.publish({}, {{nullptr, ev.dump()}});
    return;
  }

  std::vector<Published> datums;
  datums.reserve(all.size() + m_derived.size());
  std::vector<char> wanted(m_catalog.size());
  for (std::size_t c = 0; c < wanted.size(); ++c)
    wanted[c] = m_hub.wanted(m_catalog.info(static_cast<int>(c)).name);
  for (const auto* list : {&all, &m_derived})
    for (const telemetry::Sample& s : *list)
      if (wanted[static_cast<std::size_t>(s.channel)])
        datums.push_back(
            {&m_catalog.info(s.channel).name, datumJson(s.channel, s.time_s, s.value)});
  m_derived.clear();
  for (Published& e : events) e.channel = nullptr;
  m_hub.publish(datums, events);

  double latest = -1e300;
  for (const telemetry::Sample& s : all) latest = std::max(latest, s.time_s);
  {
    std::lock_guard lock(m_statusMutex);
    m_latest_s = std::max(m_latest_s, latest);
    m_visibleAlarms = m_alarms.size();
  }
  // What the crew should hear of: steps proposed before this round, now durable.
  std::vector<ops::ProposedStep> proposals = std::move(m_newProposals);
  m_newProposals.clear();
  // The operations core reads the round after it is acknowledged: the samples in time order
  // (the detector wants it across channels; batches are ordered per channel only), then the
  // actions, as before.
  if (!all.empty()) {
    std::stable_sort(all.begin(), all.end(),
                     [](const auto& a, const auto& b) { return a.time_s < b.time_s; });
    m_operationsDueSamples += all.size();
    m_operationsDue.push_back({std::move(all), {}, 0.0});
  }
  for (std::size_t i = 0; i < work.size(); ++i) {
    Work& w = work[i];
    if (w.kind != Work::ActionItem || w.outcome.status != 200) continue;
    const Action& a = w.action;
    const double t = actionTimes[i];
    // The simulated crew's own log entries come back as "simulator" (a name no token can
    // take): they happened there already.
    const bool fromCrew = w.who.name == "simulator";
    switch (a.kind) {
      case ActionKind::AckAlarm: {
        std::lock_guard lock(m_statusMutex);
        json& alarm = m_alarms[static_cast<std::size_t>(a.alarm - 1)];
        alarm["acknowledged"] = true;
        alarm["acknowledged_by"] = w.who.name;
        break;
      }
      case ActionKind::Confirm:
        m_record.confirmedStep = a.step;
        m_record.confirmedBy = w.who.name;
        m_record.confirmedAt_s = t;
        if (m_crew != nullptr && confirmed[i]) m_crew->confirmed(*confirmed[i]);
        break;
      default:
        // On a simulated station the operator's action is an order: the station's log gets it
        // when the crew reports it done (fromCrew), at the time it was done there.
        if (m_crew != nullptr && !fromCrew) m_crew->logged(a, t);
        if (m_crew == nullptr || fromCrew || !m_crew->carriesOutActions())
          m_operationsDue.push_back({{}, a, t});
        break;
    }
  }
  if (m_crew != nullptr)
    for (const ops::ProposedStep& p : proposals) m_crew->proposed(p);
  m_operationsBehind = m_operationsDueSamples + m_operationsDue.size();
  for (Work& w : work)
    if (w.kind == Work::Task) {
      try {
        w.outcome = w.task(m_writer);
      } catch (const std::exception& e) {
        w.outcome = {503, std::string("archive: ") + e.what()};
      }
    }
}

void Core::emitDerived(double time_s, int channel, double value) {
  if (channel < 0 || !std::isfinite(value)) return;
  double& last = m_lastTime[static_cast<std::size_t>(channel)];
  if (!(time_s > last)) return;
  last = time_s;
  m_derived.push_back({time_s, channel, value});
}

void Core::emitEvent(double time_s, const std::string& severity, const std::string& message,
                     const std::string& actor) {
  m_events.push_back({archive::RecordKind::Event,
                      time_s,
                      actor,
                      json{{"severity", severity}, {"message", message}}.dump(),
                      {}});
}

std::string Core::datumJson(int channel, double time_s, double value) const {
  std::string s;
  m_catalog.appendDatum(s, channel, time_s, value);
  return s;
}

}  // namespace leakhunt::server
