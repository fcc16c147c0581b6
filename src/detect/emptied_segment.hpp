// A segment its hole has emptied (issue 20), the same in both detectors. Once a segment is
// under 1 % of the cabin's pressure nothing is left to measure: its loss now is near zero, and
// the hole must come from what was seen while it held gas. While a segment is drawn well below
// the cabin's pressure, its decay is timed from its pressure rate (pressure_rate.hpp): a fixed
// hole to vacuum is choked at any pressure, so `ln N` falls at `1 / tau` and the rate, scaled
// by the air behind it, carries over to the cabin's pressure. docs/detection.md, "An emptied
// segment: its loss now, and its hole from its decay".
#pragma once

#include "detect/detector.hpp"
#include "detect/pressure_rate.hpp"
#include "detect/sizing.hpp"

namespace leakhunt::detect {

// Below this fraction of the nominal cabin pressure a segment has emptied: 7.6 mmHg in a 1 atm
// cabin, far under any crew limit, far over the noise of a cabin sensor at vacuum.
inline constexpr double kVacuumFraction = 0.01;
// Below this fraction a segment is being drawn down and its decay is timed: above it no fit is
// spent on a segment at its working pressure.
inline constexpr double kDrawnDownFraction = 0.9;

inline bool isEmptied(double pressure_pa, double cabin_pa) {
  return pressure_pa < kVacuumFraction * cabin_pa;
}

// What one segment's life has shown of its hole while it held gas.
class EmptyingRecord {
 public:
  // Each block: `track` is the segment's pressure rate; its pressure, gas temperature and
  // volume; the cabin's pressure and the cabin air's gas constant. Keeps the narrowest decay
  // (relative to its rate), scaled to the cabin's pressure; forgets it once the segment is back
  // at its working pressure.
  void observe(const PressureRateTrack& track, double pressure_pa, double temperature_k,
               double volume_m3, double cabin_pa, double r_j_kgk);
  // Each report while the segment holds gas: its rate's lower end, scaled to the cabin's
  // pressure, is the least the hole lets out there.
  void noteReport(const LeakReport& r, double pressure_pa, double cabin_pa);
  // The report of the emptied segment: the hole at the cabin's pressure from the timed decay
  // (RateBasis::EmptiedDecay) or, none timed, at least the larger of `fitRate_kg_s` (the fit's
  // average loss since the onset, no more than the hole's rate where it started) and the
  // reports' least (EmptiedAtLeast); the loss now between zero and 1 % of the hole's fastest
  // rate. `in` holds the segment's state; its rate and pressure are set here. `guardFloor_kg_s`
  // is the segment's floor (pressureRateFloor_kg_s) at its pressure when the decay was timed.
  void size(LeakReport& r, SizingInput& in, double fitRate_kg_s, double guardFloor_kg_s,
            double cabin_pa);

 private:
  PressureRate m_decay;  // at the cabin's pressure
  double m_scale = 1.0;  // the cabin's air over the segment's when m_decay was timed
  double m_least_kg_s = 0.0;
  bool m_drawnDown = false;  // below kDrawnDownFraction since the record began
};

}  // namespace leakhunt::detect
