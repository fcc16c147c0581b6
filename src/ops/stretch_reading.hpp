// Reading a stretch (a run of time under one configuration and crew placing) from the
// detector's per-segment inventories: each segment's loss rate over the stretch, for the belief
// and for the step's outcome. The same reading the drill makes (locate/drill.cpp keeps its own
// copy until the drill runs on the operations core).
#pragma once

#include <vector>

#include "locate/segment_recorder.hpp"
#include "locate/stretch.hpp"
#include "ops/events.hpp"

namespace leakhunt::ops {

struct StretchReading {
  std::vector<locate::SegmentReading> readings;  // segments with enough data
  std::vector<SegmentOutcome> outcome;           // every segment of the stretch
};

// `stretch` times are Unix time. `reference_pa` is the pressure the alarm's rate holds at.
StretchReading readStretch(const model::Station& station, const locate::StationFacts& facts,
                           const std::vector<locate::SegmentSeries>& series,
                           const locate::Stretch& stretch, const locate::NoiseOptions& noise,
                           double reference_pa);

// The rate to plan with: the sum of the segments clearly seen losing gas (more than 3 sd), once
// there are any, with an sd of at least 30 %; `before` otherwise.
locate::LeakRate refinedRate(const std::vector<SegmentOutcome>& outcome,
                             const locate::LeakRate& before);

}  // namespace leakhunt::ops
