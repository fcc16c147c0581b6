#include "story/recorder.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "story/wording.hpp"

namespace leakhunt::story {

Recorder::Recorder(const model::Scenario& world, double fine_s, double coarse_s, Timeline* timeline)
    : m_world(world),
      m_fine(static_cast<double>(world.startUnix_s), fine_s, 0),
      m_coarse(static_cast<double>(world.startUnix_s), coarse_s, 0),
      m_fineLeak(static_cast<double>(world.startUnix_s), fine_s, 1),
      m_coarseLeak(static_cast<double>(world.startUnix_s), coarse_s, 1),
      m_inventory(static_cast<double>(world.startUnix_s), coarse_s, 1),
      m_fine_s(fine_s),
      m_coarse_s(coarse_s),
      m_timeline(timeline) {
  m_incidents.reserve(8);
}

void Recorder::begin(const telemetry::ChannelTable& telemetry,
                     const telemetry::ChannelTable& truth) {
  const model::Station& st = m_world.station;
  for (std::size_t c = 0; c < telemetry.size(); ++c) {
    const std::string& name = telemetry.name(static_cast<int>(c));
    int series = -1;
    for (const model::Sensor& s : st.sensors)
      if (s.channel == name && s.quantity == model::Quantity::Pressure) {
        series = static_cast<int>(m_pressureModules.size());
        m_pressureModules.push_back(st.moduleIndex(s.module));
      }
    m_seriesOfChannel.push_back(series);
  }
  const auto start = static_cast<double>(m_world.startUnix_s);
  m_fine = BinnedSeries(start, m_fine_s, m_pressureModules.size());
  m_coarse = BinnedSeries(start, m_coarse_s, m_pressureModules.size());
  for (std::size_t c = 0; c < truth.size(); ++c) {
    const std::string& n = truth.name(static_cast<int>(c));
    m_leakOfTruth.push_back(n.size() > 10 && n.ends_with(".mass_flow") ? 0 : -1);
  }
  m_nextInventory_s = start;
}

void Recorder::telemetry(const telemetry::Sample& s) {
  const int series = m_seriesOfChannel[static_cast<std::size_t>(s.channel)];
  if (series >= 0) {
    m_fine.add(static_cast<std::size_t>(series), s.time_s, s.value);
    m_coarse.add(static_cast<std::size_t>(series), s.time_s, s.value);
  }
  if (m_core != nullptr && s.time_s >= m_nextInventory_s) {
    m_nextInventory_s += m_inventoryPeriod_s;
    double total = 0.0;
    for (const detect::SegmentStatus& seg : m_core->segments()) total += seg.inventory_kg;
    if (total > 0.0) m_inventory.add(0, s.time_s, total);
  }
}

void Recorder::truth(const telemetry::Sample& s) {
  if (m_leakOfTruth[static_cast<std::size_t>(s.channel)] < 0) return;
  // Several leaks: their flows at one time add up.
  if (s.time_s != m_lastLeakTime_s) {
    if (m_lastLeakTime_s >= 0.0) {
      m_fineLeak.add(0, m_lastLeakTime_s, m_leakSum_kg_s);
      m_coarseLeak.add(0, m_lastLeakTime_s, m_leakSum_kg_s);
    }
    m_lastLeakTime_s = s.time_s;
    m_leakSum_kg_s = 0.0;
  }
  m_leakSum_kg_s += s.value;
}

void Recorder::finish() {
  if (m_lastLeakTime_s >= 0.0) {
    m_fineLeak.add(0, m_lastLeakTime_s, m_leakSum_kg_s);
    m_coarseLeak.add(0, m_lastLeakTime_s, m_leakSum_kg_s);
  }
}

Alarm* Recorder::alarmOf(int detection) {
  for (Alarm& a : m_alarms)
    if (a.first.detection == detection) return &a;
  return nullptr;
}

void Recorder::onDetectorAlarm(const ops::Alarm& a) {
  const model::Station& st = m_world.station;
  std::vector<int> modules;
  for (const std::string& id : a.segment) modules.push_back(st.moduleIndex(id));
  m_alarms.push_back({a.report, a.report, modules, -1});
  m_hourTold.push_back(false);
  m_rates.push_back(
      {a.report.time_s, a.report.rate_kg_s, a.report.rateSigma_kg_s, a.report.detection});
  m_timeline->tellAlarm({a.report.alarmTime_s, "detect",
                         "LEAK ALARM in segment [" + segmentText(st, modules) + "]",
                         describeEstimate(a.report)});
}

void Recorder::onAlarm(const ops::Alarm& a) {
  // A new incident: the drill's record of its localisation, from its events.
  m_incidents.push_back({});
  Incident& in = m_incidents.back();
  in.localisation.scenario = m_world.name;
  for (const model::Module& m : m_world.station.modules) in.localisation.moduleIds.push_back(m.id);
  in.decided_s = std::numeric_limits<double>::quiet_NaN();
  m_record.emplace(in.localisation, nullptr);
  m_record->onAlarm(a);
  if (Alarm* mine = alarmOf(a.report.detection))
    mine->incident = static_cast<int>(m_incidents.size()) - 1;
  if (m_incidents.size() > 1)
    m_timeline->tell({a.report.alarmTime_s, "locate",
                      "a new incident: the repair was judged, and this alarm opens a new "
                      "localisation",
                      ""});
}

void Recorder::onEstimate(const ops::Estimate& e) {
  m_rates.push_back(
      {e.report.time_s, e.report.rate_kg_s, e.report.rateSigma_kg_s, e.report.detection});
  Alarm* a = alarmOf(e.report.detection);
  if (a == nullptr) return;
  a->last = e.report;
  const std::size_t i = static_cast<std::size_t>(a - m_alarms.data());
  if (!m_hourTold[i] && e.report.time_s >= a->first.alarmTime_s + 3600.0) {
    m_hourTold[i] = true;
    m_timeline->tell({e.report.time_s, "detect", "an hour after the alarm, the estimate firms up",
                      describeEstimate(e.report)});
  }
}

void Recorder::onProposedStep(const ops::ProposedStep& p) {
  if (m_record) m_record->onProposedStep(p);
}

void Recorder::onStepOutcome(const ops::StepOutcome& o) {
  if (m_record) m_record->onStepOutcome(o);
}

void Recorder::onPosterior(const ops::Posterior& p) {
  if (m_record) m_record->onPosterior(p);
}

void Recorder::onCornered(const ops::Cornered& c) {
  if (!m_record) return;
  m_record->onCornered(c);
  m_incidents.back().localisation.suspects.clear();  // a stop on the first numbers, replanned
  m_incidents.back().decided = true;
  m_incidents.back().decided_s = c.time_s;
}

void Recorder::onNoSafeTest(const ops::NoSafeTest& n) {
  if (!m_record) return;
  m_record->onNoSafeTest(n);
  Incident& in = m_incidents.back();
  in.decided = true;
  in.decided_s = n.time_s;
  // The latest stop's suspects: a provisional stop and the final one after it are one list.
  in.localisation.suspects.clear();
  for (const ops::ModuleProbability& m : n.suspects) in.localisation.suspects.push_back(m.module);
}

void Recorder::onRepairVerdict(const ops::RepairVerdict& v) { m_verdicts.push_back(v); }

void Recorder::onTrendChange(const ops::TrendChange& t) { m_trend.push_back(t); }

}  // namespace leakhunt::story
