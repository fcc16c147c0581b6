#include "verify/sequential_verify.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "verify/batch_line_fit.hpp"

namespace leakhunt::verify {

SequentialVerify::SequentialVerify(const VerifyOptions& options, double firstLook_s)
    : m_options(options), m_firstLook_s(firstLook_s), m_notMet{firstLook_s}, m_met{firstLook_s} {}

double SequentialVerify::confidenceAt(int k) const {
  const double kk = static_cast<double>(k);
  return 1.0 - (1.0 - m_options.confidence) * 6.0 / (std::numbers::pi * std::numbers::pi * kk * kk);
}

double SequentialVerify::nextLook_s() const { return std::min(m_notMet.next_s, m_met.next_s); }

std::optional<VerifyResult> SequentialVerify::lookIfDue(double since_s,
                                                        std::span<const ResidualPoint> points,
                                                        const SegmentNoise& noise) {
  std::optional<VerifyResult> last;
  auto look = [&](Looks& looks, Verdict own) -> bool {
    if (since_s < looks.next_s) return false;
    ++looks.done;
    looks.next_s = 2.0 * std::max(looks.next_s, since_s);
    VerifyOptions o = m_options;
    o.confidence = confidenceAt(looks.done);
    last = verifyRepair(points, noise, o);
    if (last->valid && last->verdict == own) return true;
    last->verdict = Verdict::Undecided;
    return false;
  };
  if (!m_metPlanned && since_s >= m_firstLook_s) {
    // The noise model's watch for a patch that holds to pass the first "met" look even when
    // read one sd high (z + 1); never reachable (a wander that never falls below the target):
    // from the first look anyway.
    const double planned = modelWatchTime(noise, m_options.blockPeriod_s, m_options.target_kg_s,
                                          normalQuantile(confidenceAt(1)) + 1.0);
    m_met.next_s = std::isfinite(planned) ? std::max(m_firstLook_s, planned) : m_firstLook_s;
    m_metPlanned = true;
  }
  if (!look(m_notMet, Verdict::NotMet) && m_metPlanned) look(m_met, Verdict::Met);
  return last;
}

}  // namespace leakhunt::verify
