// The state-space detector (issue 13; docs/detection.md, "The books as a state-space model"):
// the same interface as Detector (detector.hpp), with the books' Kalman filter and the
// Willsky-Jones GLR (books_filter.hpp, leak_glr.hpp) in place of the windowed slope test. It
// runs beside the current detector until it beats it on calibration seeds.
//
// Per block it reads each segment's inventory from its pressures and temperatures, gives the
// filter the known sources per module (O2 generation, vents, crew O2, and the crew's CO2 and
// water where no remover takes them) and every logged repress as an input with its error,
// and alarms when a segment's GLR passes the threshold of the stated false-alarm rate.
// What the operations loop reads of a detector it has as Detector has it, from the shared
// parts (issue 12): the sensor-fault checks (sensor_health.hpp: a faulty sensor is reported and
// left out of the readings), log entries taken while it runs (addLogged), and the per-block
// residual stream (segment_residual.hpp) with the trace-gas bookkeeping (trace_gases.hpp) and
// the residual's noise model (residual_noise.hpp), from which the loop reads its steps and
// verifies a repair. Not yet: the trace-gas bookkeeping in the filter's own inputs (it takes
// removers at their steady state), crew moves in the wander model. No I/O.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "detect/books_filter.hpp"
#include "detect/detector.hpp"

namespace leakhunt::detect {

class BooksDetector final : public LeakDetector {
 public:
  BooksDetector(const model::Station& station, const std::vector<std::string>& channelNames,
                LoggedEvents log, DetectorOptions options, DetectionObserver* observer);
  ~BooksDetector();
  BooksDetector(const BooksDetector&) = delete;
  BooksDetector& operator=(const BooksDetector&) = delete;

  void onSample(const telemetry::Sample& sample) override;
  // Close the block in progress (end of data).
  void finish() override;
  // Each segment's residual stream as it stands (history_s: valid data behind it), with the
  // GLR's statistic and threshold.
  std::vector<SegmentStatus> segments() const override;
  double threshold() const override;

  // A log entry taken while the detector runs, as if the log had held it from the start: for
  // the block in progress or later, else refused (false) and nothing changes (Detector's rule).
  bool addLogged(const LoggedHatch& entry) override;
  bool addLogged(const LoggedCrewMove& entry) override;
  bool addLogged(const LoggedPatch& entry) override;
  bool addLogged(const LoggedRepress& entry) override;

  // Called after each block's filter step with the step and the block's topology: the
  // innovations, for a check of their whiteness on simulated days (tests/detect).
  using StepListener = std::function<void(const BooksStep&, const BooksTopology&)>;
  void onStep(StepListener listener);

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace leakhunt::detect
