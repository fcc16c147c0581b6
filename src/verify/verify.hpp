// Repair verification (physics.md 7): after a patch, the residual leak rate of a segment with
// its one-sided upper bound, whether a target is met, and if not yet, how long to keep watching.
//
// The rate is the slope of the detector's residual inventory since the patch, by batch means
// (verify/batch_line_fit.hpp), so the bound carries the noise the data show with Student-t
// quantiles. Batch means cannot see a wander slower than a batch, so the detector's model of
// the slope wander is added: var = s_batch^2 + sigma_r^2 g(T), g(T) = 1/(1 + (T/(0.44 P))^2)
// (docs/detection.md). The watch time solves q sd(T) = |target - L| with s_batch falling as
// T^(-3/2), the white-noise law of the Cramer-Rao bound var(L) >= 12 sigma^2 / (f T^3); the
// Cramer-Rao figure itself (white noise alone) is reported beside it, and so is the same figure
// with the wander term (`modelWatch_s`). The quantile is Student's t with the Welch-Satterthwaite
// degrees of freedom of that sum: s_batch^2 is estimated with nb - 2 of them, the wander term
// comes from the detector's model (as good as known), so when the wander dominates the quantile
// is nearly the normal one, not the t of 8 degrees of freedom that would double the watch at
// small errors (verify/sequential_verify.hpp).
#pragma once

#include <span>
#include <vector>

#include "verify/residual_tap.hpp"

namespace leakhunt::verify {

enum class Verdict { Met, NotMet, Undecided };
const char* toString(Verdict v);

struct VerifyOptions {
  double target_kg_s = 0.05 / 86400.0;
  double stepSigmas = 10.0;  // a jump beyond this many robust sd of the increments is a step
  double confidence = 0.95;  // one-sided
  int batches = 10;
  double blockPeriod_s = 60.0;  // spacing of the points (f = 1 / this)
};

struct VerifyResult {
  bool valid = false;      // false: too little data since the patch
  double watched_s = 0.0;  // effective time of valid data since the patch
  int points = 0;
  double rate_kg_s = 0.0;  // residual loss, > 0 is a leak
  double rateSigma_kg_s = 0.0;
  int dof = 0;                // of the batch-means part
  double effectiveDof = 0.0;  // of the whole sigma (Welch-Satterthwaite), the quantile's
  double upper_kg_s = 0.0;    // one-sided upper bound at `confidence`
  double lower_kg_s = 0.0;    // one-sided lower bound at `confidence`
  double target_kg_s = 0.0;
  Verdict verdict = Verdict::Undecided;
  // Total effective watch (since the patch) for a verdict at the noise seen so far, and what is
  // left of it; 0 left once decided, infinite when the estimate sits on the target.
  double watchTotal_s = 0.0, watchMore_s = 0.0;
  // Cramer-Rao figure: effective time for a zero-rate estimate's bound z sigma_L to reach the
  // target with white noise `whiteSigma_kg` per block, sigma_L^2 = 12 sigma^2 / (f T^3).
  double cramerRaoWatch_s = 0.0;
  double modelWatch_s = 0.0;  // the same with the wander term: z sd(T) = target
  double whiteSigma_kg = 0.0;
  double wanderSigma_kg_s = 0.0;  // the wander part of rateSigma at this watch
  // Steps left out: block-to-block jumps far outside the noise (an unlogged repress, a vent),
  // which would otherwise pass for a change of rate. Each is replaced by the median increment.
  int stepsRemoved = 0;
  double stepsRemoved_kg = 0.0;  // their sum (gas gained > 0)
};

// `points` of one segment, from the patch on (tau ascending); `noise` the detector's model.
VerifyResult verifyRepair(std::span<const ResidualPoint> points, const SegmentNoise& noise,
                          const VerifyOptions& options);

// One segment's verdict since the patch, over the points it has from then on (`from_s` to
// `to_s`): what `verify` and the Python module report per segment.
struct SegmentVerdict {
  std::vector<int> modules;
  double from_s = 0.0, to_s = 0.0;
  VerifyResult result;
};

// Each segment of `series` with points at or after `since_s`, in their order.
std::vector<SegmentVerdict> verifySince(std::span<const SegmentSeries> series, double since_s,
                                        const VerifyOptions& options);

// Effective watch [s] for a zero-rate estimate's bound z sd(T) to reach the target, with white
// noise `white_kg` per block and the model's wander (`modelWatch_s` at z = the normal quantile).
// Infinite when not within ten years.
double modelWatchTime(const SegmentNoise& noise, double blockPeriod_s, double target_kg_s,
                      double z);

// The Cramer-Rao watch time alone [s].
double cramerRaoWatchTime(double whiteSigma_kg, double blockPeriod_s, double target_kg_s,
                          double confidence);

}  // namespace leakhunt::verify
