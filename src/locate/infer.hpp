// Inference from telemetry that already holds hatch closures (`leakhunt locate infer`): the
// detector reads the telemetry and the log; each stretch of unchanged hatches after the leak's
// onset is one test, read per segment, and the belief over modules is updated with each.
#pragma once

#include <string>
#include <vector>

#include "detect/detector.hpp"
#include "locate/belief.hpp"
#include "locate/reading_noise.hpp"
#include "locate/segment_outcome.hpp"
#include "telemetry/sample.hpp"

namespace leakhunt::locate {

struct InferOptions {
  PriorSpec prior;
  detect::DetectorOptions detector;
  double leakRate_kg_s = 0.0;  // 0: the detector's estimate
  double rateSigmaFraction = 1.0;
  double minWindow_s = 600.0;
  NoiseOptions noise;
};

struct InferWindow {
  double from_s = 0.0, to_s = 0.0;  // Unix time
  std::vector<SegmentOutcome> outcome;
  std::vector<double> posterior;  // per module, after this window
};

struct InferResult {
  bool alarmed = false;
  double alarm_s = 0.0, onset_s = 0.0;
  double rate_kg_s = 0.0;
  std::vector<std::string> moduleIds;
  std::vector<std::string> suspects;  // the alarmed segment
  std::vector<InferWindow> windows;
  std::vector<double> posterior;  // per module (marginal over one and two leaks)
  std::string best;               // most likely module
  double bestProbability = 0.0;
};

InferResult infer(const model::Station& station, const std::vector<std::string>& channelNames,
                  const std::vector<telemetry::Sample>& samples, const detect::LoggedEvents& log,
                  const InferOptions& options);

}  // namespace leakhunt::locate
