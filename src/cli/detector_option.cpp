#include "cli/detector_option.hpp"

#include "detect/leak_detector.hpp"

namespace leakhunt::cli {

void addDetectorOption(CLI::App* cmd, std::string* name) {
  const detect::DetectorModel fallback = detect::DetectorOptions{}.model;
  *name = detect::toString(fallback);
  const std::string slope = fallback == detect::DetectorModel::SlopeChange ? " (default)" : "";
  const std::string books = fallback == detect::DetectorModel::StateSpace ? " (default)" : "";
  cmd->add_option("--detector", *name,
                  "slope-change" + slope +
                      ": a change of slope in each segment's inventory; state-space" + books +
                      ": the Kalman filter and GLR on the station's books (docs/detection.md)")
      ->check(CLI::IsMember({"slope-change", "state-space"}));
}

detect::DetectorModel detectorModelOf(const std::string& name) {
  return detect::detectorModelNamed(name).value_or(detect::DetectorOptions{}.model);
}

}  // namespace leakhunt::cli
