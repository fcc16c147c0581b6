// Reading a stretch (a run of time under one configuration and crew placing) from the
// detector's per-segment inventories: each segment's loss rate over the stretch, for the belief
// and for the step's outcome. The drill and `locate infer` run the core, so this is the one
// reading of a stretch.
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
StretchReading readStretch(const model::Station& station,
                           const std::vector<locate::SegmentSeries>& series,
                           const locate::Stretch& stretch, const locate::NoiseOptions& noise,
                           double reference_pa);

}  // namespace leakhunt::ops
