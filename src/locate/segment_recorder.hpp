// Reads what the detector sees per segment: the cumulative inventory residual (gas lost after
// the known sources, docs/detection.md 4) at every block, for every segment it has watched,
// and turns a window of it into a leak-rate reading. The detector does the estimating work
// (sensors, temperatures, sources, logged events); this layer keeps its per-block residual
// stream (detect/segment_residual.hpp) and only fits a slope to it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "detect/detector.hpp"
#include "detect/leak_detector.hpp"
#include "locate/belief.hpp"
#include "locate/reading_noise.hpp"
#include "locate/station_facts.hpp"

namespace leakhunt::locate {

struct InventoryPoint {
  double time_s = 0.0;  // Unix time of the block's end
  double residual_kg = 0.0;
  double pressure_pa = 0.0;  // the segment's pressure, from its sensors
  double tau_s = 0.0;        // the detector's effective time (advances over valid blocks only)
};

// One segment over one stretch of unchanged hatches.
struct SegmentSeries {
  std::vector<int> modules;
  double since_s = 0.0;
  std::vector<InventoryPoint> points;
  detect::SegmentNoise noise;  // the detector's noise model of it, as of the last point
};

class SegmentRecorder final : public detect::DetectionObserver {
 public:
  SegmentRecorder(const model::Station& station, const std::vector<std::string>& channelNames,
                  detect::LoggedEvents log, const detect::DetectorOptions& options,
                  double recordFrom_s);
  void onSample(const telemetry::Sample& s);
  void finish();
  // A log entry for the detector while it runs (detect::LeakDetector::addLogged): false when it
  // falls in a block already closed.
  template <class Entry>
  bool addLogged(const Entry& entry) {
    return m_detector->addLogged(entry);
  }
  // Residuals are kept from this time on (Unix time); earlier ones are not.
  void recordFrom(double time_s) { m_recordFrom_s = time_s; }
  // Every point of the stream is also passed on to `also` (may be null), kept or not.
  void passResidualsTo(detect::DetectionObserver* also) { m_also = also; }

  const std::vector<SegmentSeries>& series() const { return m_series; }
  const std::vector<detect::LeakReport>& alarms() const { return m_alarms; }
  const std::vector<detect::LeakReport>& estimates() const { return m_estimates; }
  // The segment of each alarm (LeakReport::modules is cleared: it points into the detector).
  const std::vector<std::vector<int>>& alarmSegments() const { return m_alarmSegments; }
  // The detector's segments now, and every sensor fault it reported (start and end entries):
  // for a server's status and events, so that it runs no second detector.
  const detect::LeakDetector& detector() const { return *m_detector; }
  const std::vector<detect::SensorFault>& sensorFaults() const { return m_faults; }

  void onAlarm(const detect::LeakReport& r) override;
  void onEstimate(const detect::LeakReport& r) override;
  void onSensorFault(const detect::SensorFault& f) override { m_faults.push_back(f); }
  void onResidual(const detect::SegmentResidual& r) override;

 private:
  std::unique_ptr<detect::LeakDetector> m_detector;  // options.model's (leak_detector.hpp)
  detect::DetectionObserver* m_also = nullptr;
  double m_recordFrom_s = 0.0;
  std::vector<SegmentSeries> m_series;
  std::vector<detect::LeakReport> m_alarms;
  std::vector<detect::LeakReport> m_estimates;  // the latest per alarm
  std::vector<std::vector<int>> m_alarmSegments;
  std::vector<detect::SensorFault> m_faults;
};

// The loss rate of `series` over [from_s, to_s] by least squares, with the larger of its sd
// from the fit's own scatter and the detector's noise model of the series (detect::slopeSigma,
// the formula the planner expected it from). Nothing when fewer than three blocks fall in the
// window. `referencePressure_pa` is the pressure the leak rate was estimated at (0: do not
// scale), for SegmentReading::rateScale.
std::optional<SegmentReading> readWindow(const SegmentSeries& series, double from_s, double to_s,
                                         const NoiseOptions& noise, double referencePressure_pa);

}  // namespace leakhunt::locate
