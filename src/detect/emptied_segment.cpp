#include "detect/emptied_segment.hpp"

#include <algorithm>

#include "base/confidence.hpp"
#include "detect/report_sizing.hpp"

namespace leakhunt::detect {

void EmptyingRecord::observe(const PressureRateTrack& track, double pressure_pa,
                             double temperature_k, double volume_m3, double cabin_pa,
                             double r_j_kgk) {
  if (!(pressure_pa < kDrawnDownFraction * cabin_pa)) {
    // Back at its working pressure after a drawdown (repressed): a later decay is a new hole's.
    // Before any drawdown the reports' least stands: the hole's rate where it was opened.
    if (m_drawnDown) *this = EmptyingRecord{};
    return;
  }
  m_drawnDown = true;
  if (isEmptied(pressure_pa, cabin_pa)) return;
  PressureRate fast = track.estimate();
  if (!fast.valid || fast.openAbove || !(fast.low_kg_s > 0.0) || !(fast.airEnd_kg > 0.0)) return;
  const double width = (fast.high_kg_s - fast.low_kg_s) / fast.rate_kg_s;
  if (m_decay.valid && width >= (m_decay.high_kg_s - m_decay.low_kg_s) / m_decay.rate_kg_s) return;
  // A fixed hole to vacuum is choked at any pressure: its rate is proportional to the air behind
  // it, so the rate scales by the air the segment holds at the cabin's pressure.
  const double cabinAir_kg = cabin_pa * volume_m3 / (r_j_kgk * temperature_k);
  const double scale = cabinAir_kg / fast.airEnd_kg;
  fast.rate_kg_s *= scale;
  fast.low_kg_s *= scale;
  fast.high_kg_s *= scale;
  fast.airEnd_kg = cabinAir_kg;
  m_decay = fast;
  m_scale = scale;
}

void EmptyingRecord::noteReport(const LeakReport& r, double pressure_pa, double cabin_pa) {
  if (pressure_pa > 0.0)
    m_least_kg_s =
        std::max(m_least_kg_s, (r.rate_kg_s - kZ95 * r.rateSigma_kg_s) * cabin_pa / pressure_pa);
}

void EmptyingRecord::size(LeakReport& r, SizingInput& in, double fitRate_kg_s,
                          double guardFloor_kg_s, double cabin_pa) {
  // The average since an onset that drifts into the vacuum reads less and less: the lower bound
  // only rises.
  m_least_kg_s = std::max({m_least_kg_s, fitRate_kg_s, 0.0});
  chooseRate(r, m_least_kg_s, 0.0, m_decay, guardFloor_kg_s * m_scale);
  in.rate_kg_s = r.rate_kg_s;
  in.rateSigma_kg_s = r.rateSigma_kg_s;
  in.rateHighest_kg_s = r.rateHighest_kg_s;
  in.pressure_pa = cabin_pa;
  applySizing(r, in);  // past the limits: no reserve
  r.holeRate_kg_s = r.rate_kg_s;
  r.holeRateSigma_kg_s = r.rateSigma_kg_s;
  const double nowHighest_kg_s = kVacuumFraction * r.rateHighest_kg_s;
  r.rate_kg_s = 0.5 * nowHighest_kg_s;
  r.rateSigma_kg_s = 0.5 * nowHighest_kg_s / kZ95;
  r.rateHighest_kg_s = nowHighest_kg_s;
  r.rateBasis = m_decay.valid ? RateBasis::EmptiedDecay : RateBasis::EmptiedAtLeast;
}

}  // namespace leakhunt::detect
