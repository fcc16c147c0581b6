#include "locate/segment_recorder.hpp"

#include <algorithm>
#include <cmath>

namespace leakhunt::locate {

SegmentRecorder::SegmentRecorder(const model::Station& station,
                                 const std::vector<std::string>& channelNames,
                                 detect::LoggedEvents log, const detect::DetectorOptions& options,
                                 double recordFrom_s)
    : m_recordFrom_s(recordFrom_s) {
  m_detector = detect::makeLeakDetector(station, channelNames, std::move(log), options, this);
}

void SegmentRecorder::onSample(const telemetry::Sample& s) { m_detector->onSample(s); }

void SegmentRecorder::finish() { m_detector->finish(); }

// A point per block at the block's end, for every segment with data behind it.
void SegmentRecorder::onResidual(const detect::SegmentResidual& r) {
  if (m_also != nullptr) m_also->onResidual(r);
  if (r.blockEnd_s < m_recordFrom_s) return;
  if (r.tau_s <= 0.0 && r.inventory_kg <= 0.0) return;
  SegmentSeries* into = nullptr;
  for (auto s = m_series.rbegin(); s != m_series.rend() && into == nullptr; ++s)
    if (s->since_s == r.since_s && s->modules.size() == r.modules.size() &&
        std::equal(s->modules.begin(), s->modules.end(), r.modules.begin()))
      into = &*s;
  if (into == nullptr) {
    m_series.push_back({{r.modules.begin(), r.modules.end()}, r.since_s, {}, r.noise});
    into = &m_series.back();
  }
  if (!into->points.empty() && into->points.back().time_s >= r.blockEnd_s) return;
  into->points.push_back({r.blockEnd_s, r.residual_kg, r.pressure_pa, r.tau_s});
  into->noise = r.noise;
}

void SegmentRecorder::onAlarm(const detect::LeakReport& r) {
  m_alarms.push_back(r);
  m_alarmSegments.emplace_back(r.modules.begin(), r.modules.end());
  m_alarms.back().modules = {};
  m_estimates.push_back(m_alarms.back());
}

void SegmentRecorder::onEstimate(const detect::LeakReport& r) {
  for (detect::LeakReport& e : m_estimates)
    if (e.detection == r.detection) {
      e = r;
      e.modules = {};
    }
}

std::optional<SegmentReading> readWindow(const SegmentSeries& series, double from_s, double to_s,
                                         const NoiseOptions& noise, double referencePressure_pa) {
  double n = 0.0, st = 0.0, sy = 0.0, sp = 0.0;
  for (const InventoryPoint& p : series.points)
    if (p.time_s >= from_s && p.time_s <= to_s) {
      n += 1.0;
      st += p.time_s;
      sy += p.residual_kg;
      sp += p.pressure_pa;
    }
  if (n < 3.0) return std::nullopt;
  const double tm = st / n, ym = sy / n;
  double sxx = 0.0, sxy = 0.0;
  for (const InventoryPoint& p : series.points)
    if (p.time_s >= from_s && p.time_s <= to_s) {
      sxx += (p.time_s - tm) * (p.time_s - tm);
      sxy += (p.time_s - tm) * (p.residual_kg - ym);
    }
  const double slope = sxy / sxx;
  double rss = 0.0;
  for (const InventoryPoint& p : series.points)
    if (p.time_s >= from_s && p.time_s <= to_s) {
      const double r = p.residual_kg - ym - slope * (p.time_s - tm);
      rss += r * r;
    }
  const double fitSigma = n > 2.0 ? std::sqrt(rss / (n - 2.0) / sxx) : 0.0;
  const detect::SegmentNoise& sn = series.noise;
  detect::SlopeChangeOptions o = noise;
  o.wanderPeriod_s = sn.wanderPeriod_s;
  const double model = detect::slopeSigma(sn.white_kg, sn.wanderRate_kg_s, sn.wanderLevel_kg, n, o);
  if (!std::isfinite(model)) return std::nullopt;
  SegmentReading r{series.modules, -slope, std::max(fitSigma, model), 1.0};
  if (referencePressure_pa > 0.0 && sp > 0.0) r.rateScale = sp / n / referencePressure_pa;
  return r;
}

}  // namespace leakhunt::locate
