#include "detect/segment_watch.hpp"

namespace leakhunt::detect {

double neededHistory_s(const DetectorOptions& options) {
  return options.test.minReference_s + options.test.minTest_s;
}

SegmentWatch watchOf(const SegmentStatus& s) {
  if (!s.pressureSeen) return SegmentWatch::NoPressureData;
  // Increments across hatch changes, represses and dropouts are not in history_s: 10,000 hatch
  // toggles once left none, and "no leak found" was said over a 66 mmHg drop.
  if (!s.alarmed && s.history_s < s.needed_s) return SegmentWatch::TooShort;
  return SegmentWatch::Watched;
}

}  // namespace leakhunt::detect
