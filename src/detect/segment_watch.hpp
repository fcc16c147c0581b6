// Whether a segment's silence means "no leak" (issue 16): a segment no pressure sensor saw, or
// one with too little valid data behind its test, can hide a leak, so nobody may read "no leak"
// there. The rule lived in the detect command; here the CLI, the server and the Python Detector
// share it. Pure.
#pragma once

#include "detect/detector.hpp"

namespace leakhunt::detect {

enum class SegmentWatch {
  Watched,
  NoPressureData,  // no pressure sensor of its modules gave a sample
  TooShort,        // less than SegmentStatus::needed_s of valid data behind the test
};

// The valid history a segment needs before its silence means "no leak" (SegmentStatus::needed_s):
// the test's reference and its shortest window, for either detector.
double neededHistory_s(const DetectorOptions& options);

// An alarmed segment is watched however short its history: the alarm is the conclusion.
SegmentWatch watchOf(const SegmentStatus& s);

}  // namespace leakhunt::detect
