#include "verify/residual_tap.hpp"

#include <algorithm>

namespace leakhunt::verify {

void toSink(const detect::SegmentResidual& r, ResidualSink& sink) {
  if (!r.advanced) return;
  sink.onPoint(r.life, r.modules, ResidualPoint{r.time_s, r.tau_s, r.residual_kg}, r.noise);
}

// The detector's observer: its residual stream goes to the sink, everything else on to the
// caller's observer.
struct ResidualTap::Impl final : detect::DetectionObserver {
  ResidualSink& sink;
  detect::DetectionObserver* also;
  detect::Detector detector;

  Impl(const model::Station& station, const std::vector<std::string>& names,
       detect::LoggedEvents log, ResidualSink& s, detect::DetectorOptions o,
       detect::DetectionObserver* observer)
      : sink(s), also(observer), detector(station, names, std::move(log), o, this) {}

  void onAlarm(const detect::LeakReport& r) override {
    if (also) also->onAlarm(r);
  }
  void onEstimate(const detect::LeakReport& r) override {
    if (also) also->onEstimate(r);
  }
  void onSensorFault(const detect::SensorFault& f) override {
    if (also) also->onSensorFault(f);
  }
  void onSegmentsChanged(double time_s) override {
    if (also) also->onSegmentsChanged(time_s);
  }
  void onResidual(const detect::SegmentResidual& r) override {
    toSink(r, sink);
    if (also) also->onResidual(r);
  }
};

ResidualTap::ResidualTap(const model::Station& station,
                         const std::vector<std::string>& channelNames, detect::LoggedEvents log,
                         ResidualSink& sink, detect::DetectorOptions options,
                         detect::DetectionObserver* observer)
    : m_impl(
          std::make_unique<Impl>(station, channelNames, std::move(log), sink, options, observer)) {}

ResidualTap::~ResidualTap() = default;

void ResidualTap::onSample(const telemetry::Sample& sample) { m_impl->detector.onSample(sample); }

void ResidualTap::finish() { m_impl->detector.finish(); }

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
