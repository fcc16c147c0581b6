// The server's core and its operations core (core.hpp): feeding it, logging actions into it,
// and reading what it has to show (plan, segments, hatches, pressures, sensor faults).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "report/result_json.hpp"
#include "server/core.hpp"
#include "server/core_observer.hpp"
#include "server/telemetry_source.hpp"
#include "server/wall_clock.hpp"

namespace leakhunt::server {

using nlohmann::json;

void Core::logToOperations(const Action& a, double t) {
  switch (a.kind) {
    case ActionKind::Hatch:
      m_log.hatches.push_back({t, m_station.hatchIndex(a.hatch), a.open});
      m_ops->log(detect::LoggedHatch{t, m_station.hatchIndex(a.hatch), a.open});
      break;
    case ActionKind::Patch:
      m_log.patches.push_back({t, a.leak});
      m_ops->log(detect::LoggedPatch{t, a.leak});
      break;
    case ActionKind::Repress: {
      const detect::LoggedRepress r{t, t + a.duration_s, m_station.moduleIndex(a.module),
                                    a.mass_kg};
      m_log.represses.push_back(r);
      m_ops->log(r);
      break;
    }
    case ActionKind::CrewMove: {
      int crew = 0;
      for (std::size_t k = 0; k < m_station.crew.size(); ++k)
        if (m_station.crew[k].id == a.crew) crew = static_cast<int>(k);
      const detect::LoggedCrewMove c{t, crew, m_station.moduleIndex(a.module)};
      m_log.crewMoves.push_back(c);
      m_ops->log(c);
      break;
    }
    default:
      break;
  }
}

void Core::runOperations(std::size_t samples) {
  const int alarmChannel = m_catalog.find(derived::kLeakAlarm);
  bool fed = false;
  while (!m_operationsDue.empty() && samples > 0) {
    OperationsDue& due = m_operationsDue.front();
    if (due.action) {
      logToOperations(*due.action, due.time_s);
      m_operationsDue.pop_front();
      continue;
    }
    for (; due.next < due.samples.size() && samples > 0; ++due.next, --samples) {
      const telemetry::Sample& s = due.samples[due.next];
      --m_operationsDueSamples;
      if (static_cast<std::size_t>(s.channel) >= m_catalog.sensorCount()) continue;
      if (m_lastTime[static_cast<std::size_t>(alarmChannel)] < -1e299)
        emitDerived(s.time_s, alarmChannel, 0.0);  // the alarm channel starts NOMINAL
      feed(s);
      fed = true;
      m_latestValue[static_cast<std::size_t>(s.channel)] = s.value;
      m_highWater_s = std::max(m_highWater_s, s.time_s);
    }
    if (due.next == due.samples.size()) m_operationsDue.pop_front();
  }
  if (fed) reportSensorFaults();
}

void Core::commitOwnOutput() {
  if (m_derived.empty() && m_events.empty()) return;
  std::vector<archive::Record> records;
  if (!m_derived.empty())
    records.push_back({archive::RecordKind::Ingest, wallNow(), "detector", "", m_derived});
  std::vector<Published> events;
  for (archive::Record& e : m_events) {
    json ev = json::parse(e.payload);
    ev["id"] = derived::kEvents;
    ev["timestamp"] = e.time_s * 1000.0;
    events.push_back({nullptr, ev.dump()});
    records.push_back(std::move(e));
  }
  m_events.clear();
  try {
    m_writer.append(records, m_catalog.table());
  } catch (const std::exception& e) {
    m_derived.clear();
    fmt::print(stderr, "leakhunt serve: the archive refused a write: {}\n", e.what());
    return;
  }
  std::vector<Published> datums;
  for (const telemetry::Sample& d : m_derived)
    if (m_hub.wanted(m_catalog.info(d.channel).name))
      datums.push_back({&m_catalog.info(d.channel).name, datumJson(d.channel, d.time_s, d.value)});
  m_derived.clear();
  m_hub.publish(datums, events);
  {
    std::lock_guard lock(m_statusMutex);
    m_visibleAlarms = m_alarms.size();
  }
  // Steps proposed, now durable: the crew hears of them.
  std::vector<ops::ProposedStep> proposals = std::move(m_newProposals);
  m_newProposals.clear();
  if (m_crew != nullptr)
    for (const ops::ProposedStep& p : proposals) m_crew->proposed(p);
}

void Core::feed(const telemetry::Sample& s) {
  if (m_opsFrom_s > 1e299) m_opsFrom_s = s.time_s;
  m_ops->addSample(s);
}

void Core::reportSensorFaults() {
  for (const detect::SensorFault& f : m_ops->sensorFaults()) {
    const double t = f.ongoing ? f.start_s : f.end_s;
    // The list is made again from the start whenever the core rebuilds its detector.
    if (!m_faultsSeen.insert({f.channel, static_cast<int>(f.kind), f.ongoing, t}).second) continue;
    if (m_replaying && t <= m_highWater_s) continue;
    int active = 0;
    {
      std::lock_guard lock(m_statusMutex);  // /api/status reads it on an I/O thread
      active = m_activeFaults = std::max(0, m_activeFaults + (f.ongoing ? 1 : -1));
    }
    emitDerived(t, m_catalog.find(derived::kSensorFaults), active);
    const std::string channel = f.channel >= 0 ? m_catalog.info(f.channel).name : std::string("?");
    emitEvent(t, f.ongoing ? "WARNING" : "INFO",
              fmt::format("sensor fault {} on {} {}", detect::toString(f.kind), channel,
                          f.ongoing ? "started" : "ended"));
  }
}

void Core::refreshPlan() {
  json doc = planDocument(m_ops->status(), m_record);
  std::lock_guard lock(m_statusMutex);
  m_planJson = std::move(doc);
}

json Core::plan() const {
  std::lock_guard lock(m_statusMutex);
  return m_planJson;
}

void Core::refreshSegments() {
  const auto now = std::chrono::steady_clock::now();
  if (now - m_segmentsAt < std::chrono::milliseconds(250)) return;
  m_segmentsAt = now;
  json segments = json::array();
  for (const detect::SegmentStatus& s : m_ops->segments()) {
    std::vector<std::string> modules;
    for (int m : s.modules) modules.push_back(m_station.modules[static_cast<std::size_t>(m)].id);
    segments.push_back(json(report::segmentStatusJson(s, modules)));
  }
  std::lock_guard lock(m_statusMutex);
  m_segmentsJson = std::move(segments);
}

void Core::refreshStation() {
  // The hatches as the log says they are now (the declared states, then each logged operation
  // in time order), and each module's latest pressure reading.
  std::vector<bool> open;
  for (const model::Hatch& h : m_station.hatches) open.push_back(h.open);
  std::vector<detect::LoggedHatch> log = m_log.hatches;
  std::stable_sort(log.begin(), log.end(),
                   [](const auto& a, const auto& b) { return a.time_s < b.time_s; });
  for (const detect::LoggedHatch& h : log)
    if (h.hatch >= 0 && static_cast<std::size_t>(h.hatch) < open.size() && h.time_s <= m_latest_s)
      open[static_cast<std::size_t>(h.hatch)] = h.open;
  json hatches = json::object();
  for (std::size_t h = 0; h < open.size(); ++h) hatches[m_station.hatches[h].id] = open[h];
  json pressures = json::object();
  for (std::size_t c = 0; c < m_catalog.sensorCount(); ++c) {
    const ChannelInfo& info = m_catalog.info(static_cast<int>(c));
    const std::string suffix = ".pressure";
    if (std::isfinite(m_latestValue[c]) && !info.module.empty() &&
        info.name.size() > suffix.size() &&
        info.name.compare(info.name.size() - suffix.size(), suffix.size(), suffix) == 0 &&
        !pressures.contains(info.module))
      pressures[info.module] = m_latestValue[c];
  }
  std::lock_guard lock(m_statusMutex);
  m_hatchesJson = std::move(hatches);
  m_pressuresJson = std::move(pressures);
  m_opsSince_s = m_opsFrom_s;
}

void Core::restartOperations(double from_s) {
  // The operations core orders (and bounds) its own copy of the log: detect::boundedLog.
  m_ops = std::make_unique<ops::OperationsCore>(m_station, m_catalog.sensorNames(),
                                                m_options.operations, m_observer.get(), m_log);
  m_opsFrom_s = 1e300;
  m_record = {};
  if (m_highWater_s < -1e299) return;
  Result<std::unique_ptr<archive::ArchiveReader>> reader =
      archive::ArchiveReader::open(m_archivePath);
  if (!reader) return;
  m_replaying = true;
  const int faults = m_activeFaults;
  (*reader)->replay(from_s, [&](const std::string& name, double t, double v) {
    const int c = m_catalog.find(name);
    if (c >= 0 && static_cast<std::size_t>(c) < m_catalog.sensorCount()) feed({t, c, v});
  });
  reportSensorFaults();
  {
    std::lock_guard lock(m_statusMutex);
    m_activeFaults = faults;
  }
  m_replaying = false;
  m_newProposals.clear();
}

}  // namespace leakhunt::server
