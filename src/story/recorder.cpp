#include "story/recorder.hpp"

#include <algorithm>
#include <string>

#include "story/wording.hpp"

namespace leakhunt::story {

namespace {
verify::TrendOptions trendOptions(double period_s) {
  verify::TrendOptions o;
  o.period_s = period_s;
  return o;
}
}  // namespace

Recorder::Recorder(const model::Scenario& scenario, detect::LoggedEvents log, double fine_s,
                   double coarse_s, Timeline* timeline, double trendPeriod_s)
    : m_scenario(scenario),
      m_log(std::move(log)),
      m_trend(trendOptions(trendPeriod_s)),
      m_fine(static_cast<double>(scenario.startUnix_s), fine_s, 0),
      m_coarse(static_cast<double>(scenario.startUnix_s), coarse_s, 0),
      m_fineLeak(static_cast<double>(scenario.startUnix_s), fine_s, 1),
      m_coarseLeak(static_cast<double>(scenario.startUnix_s), coarse_s, 1),
      m_inventory(static_cast<double>(scenario.startUnix_s), coarse_s, 1),
      m_fine_s(fine_s),
      m_coarse_s(coarse_s),
      m_timeline(timeline) {
  m_sinks.a = &m_residuals;
  m_sinks.b = &m_trend;
}

void Recorder::begin(const telemetry::ChannelTable& telemetry,
                     const telemetry::ChannelTable& truth) {
  const model::Station& st = m_scenario.station;
  std::vector<std::string> names;
  for (std::size_t c = 0; c < telemetry.size(); ++c) {
    names.push_back(telemetry.name(static_cast<int>(c)));
    int series = -1;
    for (const model::Sensor& s : st.sensors)
      if (s.channel == names.back() && s.quantity == model::Quantity::Pressure) {
        series = static_cast<int>(m_pressureModules.size());
        m_pressureModules.push_back(st.moduleIndex(s.module));
      }
    m_seriesOfChannel.push_back(series);
  }
  const auto start = static_cast<double>(m_scenario.startUnix_s);
  m_fine = BinnedSeries(start, m_fine_s, m_pressureModules.size());
  m_coarse = BinnedSeries(start, m_coarse_s, m_pressureModules.size());
  for (std::size_t c = 0; c < truth.size(); ++c) {
    const std::string& n = truth.name(static_cast<int>(c));
    m_leakOfTruth.push_back(n.size() > 10 && n.ends_with(".mass_flow") ? 0 : -1);
  }
  m_detector = std::make_unique<verify::ResidualTap>(st, names, m_log, m_sinks,
                                                     detect::DetectorOptions{}, this);
  m_nextInventory_s = static_cast<double>(m_scenario.startUnix_s);
}

void Recorder::telemetry(const telemetry::Sample& s) {
  m_detector->onSample(s);
  const int series = m_seriesOfChannel[static_cast<std::size_t>(s.channel)];
  if (series >= 0) {
    m_fine.add(static_cast<std::size_t>(series), s.time_s, s.value);
    m_coarse.add(static_cast<std::size_t>(series), s.time_s, s.value);
  }
  if (s.time_s >= m_nextInventory_s) {
    m_nextInventory_s += m_inventoryPeriod_s;
    double total = 0.0;
    for (const detect::SegmentStatus& seg : m_detector->segments()) total += seg.inventory_kg;
    m_inventory.add(0, s.time_s, total);
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

void Recorder::onAlarm(const detect::LeakReport& r) {
  m_alarms.push_back({r, r, r.time_s, std::vector<int>(r.modules.begin(), r.modules.end())});
  m_hourTold.push_back(false);
  m_rates.push_back({r.time_s, r.rate_kg_s, r.rateSigma_kg_s, r.detection});
  m_timeline->tellAlarm(
      {r.alarmTime_s, "detect",
       "LEAK ALARM in segment [" + segmentText(m_scenario.station, r.modules) + "]",
       describeEstimate(r)});
}

void Recorder::onEstimate(const detect::LeakReport& r) {
  for (std::size_t i = 0; i < m_alarms.size(); ++i) {
    Alarm& a = m_alarms[i];
    if (a.first.detection != r.detection) continue;
    a.last = r;
    if (!m_hourTold[i] && r.time_s >= a.first.alarmTime_s + 3600.0) {
      m_hourTold[i] = true;
      a.lastTold_s = r.time_s;
      m_timeline->tell({r.time_s, "detect", "an hour after the alarm, the estimate firms up",
                        describeEstimate(r)});
    }
  }
  m_rates.push_back({r.time_s, r.rate_kg_s, r.rateSigma_kg_s, r.detection});
}

void Recorder::onSegmentsChanged(double time_s) {
  // A hatch moved: an alarm whose segment is gone gets its last estimate told.
  const std::vector<detect::SegmentStatus> now = m_detector->segments();
  for (Alarm& a : m_alarms) {
    if (a.ended) continue;
    bool stillThere = false;
    for (const detect::SegmentStatus& seg : now)
      stillThere = stillThere || std::equal(seg.modules.begin(), seg.modules.end(),
                                            a.modules.begin(), a.modules.end());
    if (stillThere) continue;
    a.ended = true;
    if (a.last.time_s > a.lastTold_s + 600.0)
      m_timeline->tell({time_s, "detect",
                        "the segments change; last estimate for [" +
                            segmentText(m_scenario.station, a.modules) + "]",
                        describeEstimate(a.last)});
  }
}

void Recorder::finish() {
  if (m_detector) m_detector->finish();
  m_trend.finish();
  if (m_lastLeakTime_s >= 0.0) {
    m_fineLeak.add(0, m_lastLeakTime_s, m_leakSum_kg_s);
    m_coarseLeak.add(0, m_lastLeakTime_s, m_leakSum_kg_s);
  }
}

}  // namespace leakhunt::story
