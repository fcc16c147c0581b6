// The detector's residual inventory, per segment, one point per block (physics.md 5).
//
// The after-the-hole tools work on what the detector already computes: the cumulative residual
// C (inventory minus known sources) against the effective time tau, which does not advance over
// dropped increments (represses, hatch changes, sensor swaps: free steps in the level). The tap
// runs a detect::Detector and hands each segment's new (time, tau, C) point of the detector's
// residual stream (detect/segment_residual.hpp) to a sink, so the tools stream months of 1 Hz
// telemetry with the detector's bounded memory. `toSink` does the same for a stream a caller
// already has (the operations core's one detector).
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "detect/detector.hpp"
#include "model/station.hpp"
#include "telemetry/sample.hpp"

namespace leakhunt::verify {

struct ResidualPoint {
  double time_s = 0.0;       // Unix time the value holds for (a block's middle)
  double tau_s = 0.0;        // effective time: valid data behind the point [s]
  double residual_kg = 0.0;  // cumulative residual; a loss makes it fall
};

// The detector's noise model of a segment's residual: one type with the detector's stream.
using SegmentNoise = detect::SegmentNoise;

// Receives the points. `segment` numbers a segment's life (a new number after every topology
// change); `modules` are its module indices, ascending.

class ResidualSink {
 public:
  virtual ~ResidualSink() = default;
  virtual void onPoint(int segment, std::span<const int> modules, const ResidualPoint& point,
                       const SegmentNoise& noise) = 0;
};

// A point of the detector's stream to `sink`, when it is a new valid point (tau advanced).
void toSink(const detect::SegmentResidual& r, ResidualSink& sink);

class ResidualTap {
 public:
  ResidualTap(const model::Station& station, const std::vector<std::string>& channelNames,
              detect::LoggedEvents log, ResidualSink& sink,
              detect::DetectorOptions options = detect::DetectorOptions{},
              detect::DetectionObserver* observer = nullptr);
  ~ResidualTap();
  void onSample(const telemetry::Sample& sample);
  void finish();
  // The detector's segments now (the demo draws their inventory).
  std::vector<detect::SegmentStatus> segments() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

// The points of one segment life, as a sink that keeps them (for verify and onset, whose
// windows are hours to days: one point per minute).
struct SegmentSeries {
  int segment = -1;
  std::vector<int> modules;
  std::vector<ResidualPoint> points;
  SegmentNoise noise;  // the detector's latest estimate
};

class SeriesCollector : public ResidualSink {
 public:
  void onPoint(int segment, std::span<const int> modules, const ResidualPoint& point,
               const SegmentNoise& noise) override;
  const std::vector<SegmentSeries>& series() const { return m_series; }

 private:
  std::vector<SegmentSeries> m_series;
};

}  // namespace leakhunt::verify
