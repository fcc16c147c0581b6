// Verify watched until it decides (physics.md 7). One verify call states its verdict at a
// one-sided confidence; calling it again and again until a bound crosses the target spends that
// error once per call. At 95 % every ten minutes, a patch that held was called "not met" in 2 of
// 16 console runs, and on the detector tests' synthetic noise 17.5 % of patches leaking at the
// target were called "met" (bench/verify_looks.cpp, docs/after-the-hole.md).
//
// So each verdict gets planned looks and its own error budget, 1 - confidence, spent as
// (1 - confidence) 6 / (pi^2 k^2) at its look k: these sum to the budget over every look however
// long the watch (Bonferroni), so each verdict is wrong in at most 1 - confidence of repairs.
// - "Not met" looks start after `firstLook_s` and double the watch each time: a failed patch,
//   far above the target, is called within the first few.
// - "Met" looks start when the noise model says a patch that holds can first be shown to meet
//   the target (VerifyResult::modelWatch_s at the first look's level), then double. Looks before
//   that would spend the budget on verdicts the noise cannot give.
#pragma once

#include <optional>
#include <span>

#include "verify/verify.hpp"

namespace leakhunt::verify {

class SequentialVerify {
 public:
  SequentialVerify(const VerifyOptions& options, double firstLook_s);

  // The one-sided confidence of a verdict's look k (1-based).
  double confidenceAt(int k) const;
  // Watch since the patch [s] at which the next look of either verdict is due.
  double nextLook_s() const;

  // At `since_s` of watch since the patch: verify at each look that is due. Returns the first
  // result whose verdict is that look's own ("not met" at a "not met" look, "met" at a "met"
  // look), else the last result with its verdict cleared to Undecided, else nothing.
  std::optional<VerifyResult> lookIfDue(double since_s, std::span<const ResidualPoint> points,
                                        const SegmentNoise& noise);

 private:
  struct Looks {
    double next_s;
    int done = 0;
  };
  VerifyOptions m_options;
  double m_firstLook_s;
  Looks m_notMet, m_met;
  bool m_metPlanned = false;
};

}  // namespace leakhunt::verify
