#include "ops/stretch_reading.hpp"

#include <algorithm>
#include <cmath>

#include "ops/step_proposal.hpp"

namespace leakhunt::ops {

StretchReading readStretch(const model::Station& st,
                           const std::vector<locate::SegmentSeries>& series,
                           const locate::Stretch& s, const locate::NoiseOptions& noise,
                           double reference_pa) {
  StretchReading out;
  for (const std::vector<int>& modules : locate::segmentsOf(st, s.open).members) {
    // The segment's latest life that began no later than the stretch.
    const locate::SegmentSeries* best = nullptr;
    for (const locate::SegmentSeries& x : series)
      if (x.modules == modules && x.since_s <= s.from_s && (!best || x.since_s > best->since_s))
        best = &x;
    SegmentOutcome so;
    so.segment = idsOf(st, modules);
    if (best != nullptr)
      if (auto r = locate::readWindow(*best, s.from_s, s.to_s, noise, reference_pa)) {
        out.readings.push_back(*r);
        so.read = true;
        so.rate_kg_s = r->rate_kg_s;
        so.sigma_kg_s = r->sigma_kg_s;
        so.losing = r->rate_kg_s > 3.0 * r->sigma_kg_s;
      }
    out.outcome.push_back(std::move(so));
  }
  return out;
}

}  // namespace leakhunt::ops
