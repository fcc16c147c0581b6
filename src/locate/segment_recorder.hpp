// Reads what the detector sees per segment: the cumulative inventory residual (gas lost after
// the known sources, docs/detection.md 4) at every block, for every segment it has watched,
// and turns a window of it into a leak-rate reading. The detector does the estimating work
// (sensors, temperatures, sources, logged events); this layer only fits a slope to its output.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "detect/detector.hpp"
#include "locate/belief.hpp"
#include "locate/reading_noise.hpp"
#include "locate/station_facts.hpp"

namespace leakhunt::locate {

struct InventoryPoint {
  double time_s = 0.0;  // Unix time of the block's end
  double residual_kg = 0.0;
  double pressure_pa = 0.0;  // the segment's pressure, from its sensors
};

// One segment over one stretch of unchanged hatches.
struct SegmentSeries {
  std::vector<int> modules;
  double since_s = 0.0;
  std::vector<InventoryPoint> points;
};

class SegmentRecorder final : public detect::DetectionObserver {
 public:
  SegmentRecorder(const model::Station& station, const std::vector<std::string>& channelNames,
                  detect::LoggedEvents log, const detect::DetectorOptions& options,
                  double recordFrom_s);
  void onSample(const telemetry::Sample& s);
  void finish();

  const std::vector<SegmentSeries>& series() const { return m_series; }
  const std::vector<detect::LeakReport>& alarms() const { return m_alarms; }
  const std::vector<detect::LeakReport>& estimates() const { return m_estimates; }
  // The segment of each alarm (LeakReport::modules is cleared: it points into the detector).
  const std::vector<std::vector<int>>& alarmSegments() const { return m_alarmSegments; }
  // The detector's segments now, and every sensor fault it reported (start and end entries):
  // for a server's status and events, so that it runs no second detector.
  const detect::Detector& detector() const { return *m_detector; }
  const std::vector<detect::SensorFault>& sensorFaults() const { return m_faults; }

  void onAlarm(const detect::LeakReport& r) override;
  void onEstimate(const detect::LeakReport& r) override;
  void onSensorFault(const detect::SensorFault& f) override { m_faults.push_back(f); }

 private:
  void poll(double time_s);
  std::unique_ptr<detect::Detector> m_detector;
  double m_block_s = 60.0;
  double m_recordFrom_s = 0.0;
  long m_lastBlock = -1;
  std::vector<SegmentSeries> m_series;
  std::vector<detect::LeakReport> m_alarms;
  std::vector<detect::LeakReport> m_estimates;  // the latest per alarm
  std::vector<std::vector<int>> m_alarmSegments;
  std::vector<detect::SensorFault> m_faults;
};

// The loss rate of `series` over [from_s, to_s] by least squares, with the larger of its sd
// from the fit's own scatter and the model's (readingSigma). Nothing when fewer than three
// blocks fall in the window. `referencePressure_pa` is the pressure the leak rate was
// estimated at (0: do not scale), for SegmentReading::rateScale.
std::optional<SegmentReading> readWindow(const SegmentSeries& series, double from_s, double to_s,
                                         const StationFacts& facts, int crew,
                                         const NoiseOptions& noise, double referencePressure_pa);

}  // namespace leakhunt::locate
