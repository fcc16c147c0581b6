#include "locate/segment_outcome.hpp"

#include <algorithm>
#include <cmath>

namespace leakhunt::locate {

LeakRate refinedRate(const std::vector<SegmentOutcome>& outcome, const LeakRate& before) {
  double total = 0.0, var = 0.0;
  for (const SegmentOutcome& o : outcome)
    if (o.read && o.sigma_kg_s > 0.0 && o.rate_kg_s > 3.0 * o.sigma_kg_s) {
      total += o.rate_kg_s;
      var += o.sigma_kg_s * o.sigma_kg_s;
    }
  if (total <= 0.0) return before;
  return {total, std::max(std::sqrt(var), 0.3 * total)};
}

}  // namespace leakhunt::locate
