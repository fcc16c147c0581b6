// One detector for every consumer (issue 12): the operations loop (through
// locate::SegmentRecorder), the harness's scored runs, `detect`, `serve`, `demo` and drills hold
// a LeakDetector (detector.hpp) made here from DetectorOptions::model, so that one option picks
// the books everywhere: the slope-change test (detector.hpp) or the state-space books
// (books_detector.hpp). No I/O.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "detect/detector.hpp"

namespace leakhunt::detect {

// "slope-change" or "state-space", as the CLI and campaign specs spell them.
const char* toString(DetectorModel model);
std::optional<DetectorModel> detectorModelNamed(std::string_view name);

// The detector `options.model` names, with Detector's constructor's arguments.
std::unique_ptr<LeakDetector> makeLeakDetector(const model::Station& station,
                                               const std::vector<std::string>& channelNames,
                                               LoggedEvents log, const DetectorOptions& options,
                                               DetectionObserver* observer);

}  // namespace leakhunt::detect
