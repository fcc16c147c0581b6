// The state-space detector (issue 13; docs/detection.md, "The books as a state-space model"):
// the same interface as Detector (detector.hpp), with the books' Kalman filter and the
// Willsky-Jones GLR (books_filter.hpp, leak_glr.hpp) in place of the windowed slope test. It
// runs beside the current detector until it beats it on calibration seeds.
//
// Per block it reads each segment's inventory from its pressures and temperatures, gives the
// filter the known sources per module (O2 generation, vents, crew O2, and the crew's CO2 and
// water where no remover takes them) and every logged repress as an input with its error,
// and alarms when a segment's GLR passes the threshold of the stated false-alarm rate.
// Not yet: sensor-fault checks (dropout, stuck, bias jump), the trace-gas bookkeeping of
// detector.cpp, crew moves in the wander model. No I/O.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "detect/books_filter.hpp"
#include "detect/detector.hpp"

namespace leakhunt::detect {

class BooksDetector {
 public:
  BooksDetector(const model::Station& station, const std::vector<std::string>& channelNames,
                LoggedEvents log, DetectorOptions options, DetectionObserver* observer);
  ~BooksDetector();
  BooksDetector(const BooksDetector&) = delete;
  BooksDetector& operator=(const BooksDetector&) = delete;

  void onSample(const telemetry::Sample& sample);
  void finish();
  std::vector<SegmentStatus> segments() const;
  double threshold() const;

  // Called after each block's filter step with the step and the block's topology: the
  // innovations, for a check of their whiteness on simulated days (tests/detect).
  using StepListener = std::function<void(const BooksStep&, const BooksTopology&)>;
  void onStep(StepListener listener);

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace leakhunt::detect
