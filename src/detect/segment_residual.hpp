// The detector's per-block residual stream (issue 12): at the close of every block, each
// segment's cumulative inventory residual (gas lost after the known sources, physics.md 5)
// with the detector's noise model of it. Verification, trending, onset forensics and the
// localisation's readings all read this one stream (verify::ResidualTap, locate::SegmentRecorder
// are adapters over it), so they share one timestamp rule and one noise model.
#pragma once

#include <span>

namespace leakhunt::detect {

// The detector's noise model of a segment's residual (detect/slope_change_test.hpp): white
// noise per block, and the sd of the slope's and the level's wander on time scales of
// `wanderPeriod_s`.
struct SegmentNoise {
  double white_kg = 0.0;
  double wanderRate_kg_s = 0.0;
  double wanderLevel_kg = 0.0;
  double wanderPeriod_s = 3.0 * 3600.0;
};

// One segment at the close of one block. Times are Unix time.
struct SegmentResidual {
  int life = -1;                 // numbers the segment's life: new after each topology change
  std::span<const int> modules;  // ascending; valid for the detector's lifetime
  double since_s = 0.0;          // when this life began
  double blockEnd_s = 0.0;       // the block just closed ends here
  double time_s = 0.0;           // the block's middle: the time a block mean holds for
  // Effective time: valid data behind the residual [s]. The increments near a logged repress
  // are left out of tau and the residual (a free step in the level), though the detector's own
  // test sees through them with an allowance for the logged mass's error (docs/detection.md).
  double tau_s = 0.0;
  bool advanced = false;     // tau advanced in this block: a new valid point
  double residual_kg = 0.0;  // cumulative residual; a loss makes it fall
  double pressure_pa = 0.0, inventory_kg = 0.0;
  SegmentNoise noise;
  // The leak test's statistic after this block (z, the quantity the threshold is set on: the
  // slope-change test's hinge, whose threshold holds three quarters of the budget, or the books'
  // GLR), and whether the segment has alarmed. The campaign counts its excursions to check the
  // threshold's false-alarm rate far below it, where they are many (docs/detection.md).
  double statistic = 0.0;
  bool alarmed = false;
};

}  // namespace leakhunt::detect
