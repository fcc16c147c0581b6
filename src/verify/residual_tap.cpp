#include "verify/residual_tap.hpp"

#include <algorithm>
#include <cmath>

namespace leakhunt::verify {

struct ResidualTap::Impl {
  struct Known {
    std::vector<int> modules;
    double since_s = 0.0;
    double lastTau_s = 0.0;
    int id = -1;
  };
  detect::Detector detector;
  ResidualSink& sink;
  double period_s;
  double wanderPeriod_s;
  bool started = false;
  double nextPoll_s = 0.0;
  std::vector<Known> known;
  int nextId = 0;

  Impl(const model::Station& station, const std::vector<std::string>& names,
       detect::LoggedEvents log, ResidualSink& s, detect::DetectorOptions o,
       detect::DetectionObserver* observer)
      : detector(station, names, std::move(log), o, observer),
        sink(s),
        period_s(o.blockPeriod_s),
        wanderPeriod_s(o.test.wanderPeriod_s) {}

  Known& knownFor(const detect::SegmentStatus& s) {
    for (Known& k : known)
      if (k.since_s == s.since_s &&
          std::equal(k.modules.begin(), k.modules.end(), s.modules.begin(), s.modules.end()))
        return k;
    // Segments that no longer exist are forgotten, so the list stays as short as the station.
    known.push_back(Known{{s.modules.begin(), s.modules.end()}, s.since_s, 0.0, nextId++});
    return known.back();
  }

  // Called once per block: a segment whose effective time advanced has a new valid point.
  void poll(double blockEnd_s) {
    const std::vector<detect::SegmentStatus> now = detector.segments();
    std::erase_if(known, [&](const Known& k) {
      return std::none_of(now.begin(), now.end(), [&](const detect::SegmentStatus& s) {
        return s.since_s == k.since_s &&
               std::equal(k.modules.begin(), k.modules.end(), s.modules.begin(), s.modules.end());
      });
    });
    for (const detect::SegmentStatus& s : now) {
      Known& k = knownFor(s);
      if (!(s.history_s > k.lastTau_s)) continue;
      k.lastTau_s = s.history_s;
      // The inventory is a block mean: its time is the block's middle.
      sink.onPoint(k.id, s.modules,
                   ResidualPoint{blockEnd_s - 0.5 * period_s, s.history_s, s.residual_kg},
                   SegmentNoise{s.whiteSigma_kg, s.wanderRateSigma_kg_s, wanderPeriod_s});
    }
  }
};

ResidualTap::ResidualTap(const model::Station& station,
                         const std::vector<std::string>& channelNames, detect::LoggedEvents log,
                         ResidualSink& sink, detect::DetectorOptions options,
                         detect::DetectionObserver* observer)
    : m_impl(
          std::make_unique<Impl>(station, channelNames, std::move(log), sink, options, observer)) {}

ResidualTap::~ResidualTap() = default;

void ResidualTap::onSample(const telemetry::Sample& sample) {
  Impl& m = *m_impl;
  if (!m.started) {
    m.started = true;
    // The detector's block grid: multiples of the period.
    m.nextPoll_s = std::floor(sample.time_s / m.period_s) * m.period_s + m.period_s;
  }
  m.detector.onSample(sample);
  // The detector closes a block on the first sample at or past its end: poll after it.
  if (sample.time_s >= m.nextPoll_s) {
    const double blockEnd_s =
        m.nextPoll_s + std::floor((sample.time_s - m.nextPoll_s) / m.period_s) * m.period_s;
    m.poll(blockEnd_s);
    m.nextPoll_s = blockEnd_s + m.period_s;
  }
}

void ResidualTap::finish() {
  Impl& m = *m_impl;
  m.detector.finish();
  if (m.started) m.poll(m.nextPoll_s);
}

void SeriesCollector::onPoint(int segment, std::span<const int> modules, const ResidualPoint& point,
                              const SegmentNoise& noise) {
  auto it = std::find_if(m_series.begin(), m_series.end(),
                         [&](const SegmentSeries& s) { return s.segment == segment; });
  if (it == m_series.end()) {
    m_series.push_back(SegmentSeries{segment, {modules.begin(), modules.end()}, {}, {}});
    it = m_series.end() - 1;
  }
  it->points.push_back(point);
  it->noise = noise;
}

std::vector<detect::SegmentStatus> ResidualTap::segments() const {
  return m_impl->detector.segments();
}

}  // namespace leakhunt::verify
