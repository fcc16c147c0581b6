#include "verify/verify.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "verify/batch_line_fit.hpp"

namespace leakhunt::verify {

const char* toString(Verdict v) {
  switch (v) {
    case Verdict::Met:
      return "met";
    case Verdict::NotMet:
      return "not_met";
    case Verdict::Undecided:
      return "undecided";
  }
  return "?";
}

double cramerRaoWatchTime(double whiteSigma_kg, double blockPeriod_s, double target_kg_s,
                          double confidence) {
  // z sqrt(12 sigma^2 / (f T^3)) = target  =>  T^3 = 12 sigma^2 z^2 / (f target^2).
  const double z = normalQuantile(confidence);
  const double f = 1.0 / blockPeriod_s;
  return std::cbrt(12.0 * whiteSigma_kg * whiteSigma_kg * z * z / (f * target_kg_s * target_kg_s));
}

namespace {

// The series with its outlying increments replaced by the median increment; robust scale
// 1.4826 MAD. Returns the count and the sum of what was removed.
std::vector<ResidualPoint> withoutSteps(std::span<const ResidualPoint> points, double sigmas,
                                        int& count, double& removed_kg) {
  std::vector<ResidualPoint> out(points.begin(), points.end());
  count = 0;
  removed_kg = 0.0;
  if (points.size() < 10) return out;
  std::vector<double> d;
  for (std::size_t i = 1; i < points.size(); ++i)
    d.push_back(points[i].residual_kg - points[i - 1].residual_kg);
  std::vector<double> work = d;
  std::nth_element(work.begin(), work.begin() + work.size() / 2, work.end());
  const double median = work[work.size() / 2];
  for (double& x : work) x = std::abs(x - median);
  std::nth_element(work.begin(), work.begin() + work.size() / 2, work.end());
  const double limit = sigmas * 1.4826 * work[work.size() / 2];
  double y = points.front().residual_kg;
  for (std::size_t i = 1; i < points.size(); ++i) {
    double step = d[i - 1];
    if (limit > 0.0 && std::abs(step - median) > limit) {
      ++count;
      removed_kg += step - median;
      step = median;
    }
    y += step;
    out[i].residual_kg = y;
  }
  return out;
}

}  // namespace

double wanderVariance(const SegmentNoise& n, double t_s) {
  const double x = t_s / (0.44 * n.wanderPeriod_s);
  return n.wanderRate_kg_s * n.wanderRate_kg_s / (1.0 + x * x);
}

// Smallest T with q sqrt(white(T) + wander(T)) <= gap, white(T) = white0 (T0/T)^3; bisection
// on log T (both terms fall with T). Infinite when not reached within ten years.
double watchFor(double q, double white0_var, double t0_s, const SegmentNoise& n, double gap) {
  auto sd = [&](double t) {
    return q * std::sqrt(white0_var * std::pow(t0_s / t, 3.0) + wanderVariance(n, t));
  };
  double lo = std::max(t0_s, 1.0), hi = 10.0 * 365.25 * 86400.0;
  if (sd(lo) <= gap) return lo;
  if (sd(hi) > gap) return std::numeric_limits<double>::infinity();
  for (int i = 0; i < 60; ++i) {
    const double mid = std::sqrt(lo * hi);
    (sd(mid) <= gap ? hi : lo) = mid;
  }
  return hi;
}

double modelWatchTime(const SegmentNoise& noise, double blockPeriod_s, double target_kg_s,
                      double z) {
  const double white0 = 12.0 * noise.white_kg * noise.white_kg * blockPeriod_s;  // x T^-3
  return watchFor(z, white0, 1.0, noise, target_kg_s);
}

VerifyResult verifyRepair(std::span<const ResidualPoint> raw, const SegmentNoise& noise,
                          const VerifyOptions& o) {
  VerifyResult r;
  const double whiteSigma_kg = noise.white_kg;
  r.target_kg_s = o.target_kg_s;
  r.whiteSigma_kg = whiteSigma_kg;
  r.points = static_cast<int>(raw.size());
  r.cramerRaoWatch_s =
      cramerRaoWatchTime(whiteSigma_kg, o.blockPeriod_s, o.target_kg_s, o.confidence);
  r.modelWatch_s =
      modelWatchTime(noise, o.blockPeriod_s, o.target_kg_s, normalQuantile(o.confidence));
  const std::vector<ResidualPoint> points =
      withoutSteps(raw, o.stepSigmas, r.stepsRemoved, r.stepsRemoved_kg);
  const LineFit fit = fitBatchedLine(points, o.batches);
  if (!fit.valid) return r;
  r.valid = true;
  r.watched_s = fit.span_s;
  r.rate_kg_s = -fit.slope;
  r.wanderSigma_kg_s = std::sqrt(wanderVariance(noise, fit.span_s));
  r.rateSigma_kg_s = std::hypot(fit.slopeSigma, r.wanderSigma_kg_s);
  r.dof = fit.dof;
  {
    const double b2 = fit.slopeSigma * fit.slopeSigma;
    const double w2 = r.wanderSigma_kg_s * r.wanderSigma_kg_s;
    r.effectiveDof = b2 > 0.0 ? std::min(1e6, fit.dof * (b2 + w2) * (b2 + w2) / (b2 * b2)) : 1e6;
  }
  const double q = studentQuantile(o.confidence, r.effectiveDof);
  r.upper_kg_s = r.rate_kg_s + q * r.rateSigma_kg_s;
  r.lower_kg_s = r.rate_kg_s - q * r.rateSigma_kg_s;
  if (r.upper_kg_s < o.target_kg_s)
    r.verdict = Verdict::Met;
  else if (r.lower_kg_s > o.target_kg_s)
    r.verdict = Verdict::NotMet;
  if (r.verdict != Verdict::Undecided) {
    r.watchTotal_s = r.watched_s;
    return r;
  }
  // Undecided: the bound must shrink to the gap between the estimate and the target.
  const double gap = std::abs(o.target_kg_s - r.rate_kg_s);
  if (!(gap > 0.0)) {
    r.watchTotal_s = r.watchMore_s = std::numeric_limits<double>::infinity();
    return r;
  }
  r.watchTotal_s = watchFor(q, fit.slopeSigma * fit.slopeSigma, r.watched_s, noise, gap);
  r.watchMore_s = std::max(0.0, r.watchTotal_s - r.watched_s);
  return r;
}

std::vector<SegmentVerdict> verifySince(std::span<const SegmentSeries> series, double since_s,
                                        const VerifyOptions& options) {
  std::vector<SegmentVerdict> out;
  for (const SegmentSeries& s : series) {
    std::vector<ResidualPoint> after;
    for (const ResidualPoint& p : s.points)
      if (p.time_s >= since_s) after.push_back(p);
    if (after.empty()) continue;
    out.push_back({s.modules, after.front().time_s, after.back().time_s,
                   verifyRepair(after, s.noise, options)});
  }
  return out;
}

}  // namespace leakhunt::verify
