#include "detect/leak_detector.hpp"

#include "detect/books_detector.hpp"

namespace leakhunt::detect {

const char* toString(DetectorModel model) {
  switch (model) {
    case DetectorModel::SlopeChange:
      return "slope-change";
    case DetectorModel::StateSpace:
      return "state-space";
  }
  return "?";
}

std::optional<DetectorModel> detectorModelNamed(std::string_view name) {
  if (name == "slope-change") return DetectorModel::SlopeChange;
  if (name == "state-space") return DetectorModel::StateSpace;
  return std::nullopt;
}

std::unique_ptr<LeakDetector> makeLeakDetector(const model::Station& station,
                                               const std::vector<std::string>& channelNames,
                                               LoggedEvents log, const DetectorOptions& options,
                                               DetectionObserver* observer) {
  if (options.model == DetectorModel::StateSpace)
    return std::make_unique<BooksDetector>(station, channelNames, std::move(log), options,
                                           observer);
  return std::make_unique<Detector>(station, channelNames, std::move(log), options, observer);
}

}  // namespace leakhunt::detect
