#include "detect/pressure_rate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "base/confidence.hpp"

namespace leakhunt::detect {

namespace {

constexpr double kOnsetStep_s = 2.0;
// An onset in the last seconds of a block barely moves its mean: the upper end of an open
// interval is the rate of an onset this long before the block's end.
constexpr double kMinSeen_s = 10.0;

// The block average over [b, b + T] of (t - t0)+: the hinge as a block mean sees it.
double blockHinge(double b, double T, double t0) {
  if (t0 <= b) return b + 0.5 * T - t0;
  if (t0 >= b + T) return 0.0;
  const double d = b + T - t0;
  return d * d / (2.0 * T);
}

struct HingeFit {
  double a = 0.0, s = 0.0, sxx = 0.0, rss = 0.0;
};

HingeFit fitHinge(const double* y, const double* b, int n, double T, double t0) {
  double hMean = 0.0, yMean = 0.0;
  double h[PressureRateTrack::kWindow];
  for (int j = 0; j < n; ++j) {
    h[j] = blockHinge(b[j], T, t0);
    hMean += h[j];
    yMean += y[j];
  }
  hMean /= n;
  yMean /= n;
  HingeFit f;
  double sxy = 0.0;
  for (int j = 0; j < n; ++j) {
    f.sxx += (h[j] - hMean) * (h[j] - hMean);
    sxy += (h[j] - hMean) * (y[j] - yMean);
  }
  if (f.sxx <= 0.0) return f;
  f.s = -sxy / f.sxx;  // y = a - s h: a loss is s > 0
  f.a = yMean + f.s * hMean;
  for (int j = 0; j < n; ++j) {
    const double e = y[j] - (f.a - f.s * h[j]);
    f.rss += e * e;
  }
  return f;
}

}  // namespace

void PressureRateTrack::push(double blockStart_s, double block_s, double inventory_kg,
                             double known_kg, bool continuous) {
  if (!continuous) m_count = 0;
  if (m_count == 0) m_known_kg = 0.0;
  m_block_s = block_s;
  m_known_kg += known_kg;
  const double air = inventory_kg - m_known_kg;
  if (!(air > 0.0) || !std::isfinite(air)) {
    m_count = 0;  // no gas to take a logarithm of: nothing to fit until it returns
    return;
  }
  m_lnAir[std::size_t(m_head)] = std::log(air);
  m_start[std::size_t(m_head)] = blockStart_s;
  m_head = (m_head + 1) % kNoiseSpan;
  m_count = std::min(m_count + 1, kNoiseSpan);
}

PressureRate PressureRateTrack::estimate() const {
  PressureRate out;
  if (m_count < kMinBlocks) return out;
  // Oldest first; fixed arrays: the detectors allocate nothing per block.
  std::array<double, kNoiseSpan> y{}, b{}, d2{};
  for (int k = 0; k < m_count; ++k) {
    const std::size_t i = std::size_t((m_head - m_count + k + kNoiseSpan) % kNoiseSpan);
    y[std::size_t(k)] = m_lnAir[i];
    b[std::size_t(k)] = m_start[i];
  }
  // The block noise from the median second difference: a straight ln N (before the onset, and
  // after it for a fixed hole) has none, and the one kink at the onset cannot move a median.
  int nd = 0;
  for (int k = 2; k < m_count; ++k)
    d2[std::size_t(nd++)] =
        std::abs(y[std::size_t(k)] - 2.0 * y[std::size_t(k - 1)] + y[std::size_t(k - 2)]);
  std::nth_element(d2.begin(), d2.begin() + nd / 2, d2.begin() + nd);
  const double noiseD2 = d2[std::size_t(nd / 2)] / (0.6745 * std::sqrt(6.0));

  const int n = std::min(m_count, kWindow);
  const double* yw = y.data() + (m_count - n);
  const double* bw = b.data() + (m_count - n);
  const double T = m_block_s;
  const double first = bw[0], end = bw[n - 1] + T, lastStart = bw[n - 1];
  const int steps = int(std::floor((end - kMinSeen_s - first) / kOnsetStep_s));
  // Onsets at or before the window's start all fit the same straight line: the grid starts there.
  double bestRss = std::numeric_limits<double>::infinity(), bestOnset = first;
  HingeFit best;
  for (int k = 0; k <= steps; ++k) {
    const double t0 = first + k * kOnsetStep_s;
    const HingeFit f = fitHinge(yw, bw, n, T, t0);
    if (f.sxx > 0.0 && f.rss < bestRss) {
      bestRss = f.rss;
      bestOnset = t0;
      best = f;
    }
  }
  if (!std::isfinite(bestRss) || best.s <= 0.0) return out;  // the air is not falling
  const double sigma = std::max(noiseD2, n > 3 ? std::sqrt(bestRss / (n - 3)) : 0.0);
  if (!(sigma > 0.0)) return out;
  const double airEnd = std::exp(best.a - best.s * std::max(end - bestOnset, 0.0));
  double sLow = std::numeric_limits<double>::infinity(), sHigh = 0.0;
  const double cut = bestRss + kChi2_95 * sigma * sigma;
  for (int k = 0; k <= steps; ++k) {
    const double t0 = first + k * kOnsetStep_s;
    const HingeFit f = fitHinge(yw, bw, n, T, t0);
    if (f.sxx <= 0.0 || f.rss > cut) continue;
    const double sd = sigma / std::sqrt(f.sxx);
    sLow = std::min(sLow, f.s - kZ95 * sd);
    sHigh = std::max(sHigh, f.s + kZ95 * sd);
    if (t0 > lastStart - T) out.openAbove = true;  // only the last two blocks saw it
  }
  // An alarm tends to come when the noise adds to the signal, so the block before it often holds
  // a dip that draws the best onset there and puts every onset in the last block outside the
  // cut: the interval then closed on a sixth of a 5 cm^2 breach's rate (docs/detection.md, "A dip
  // before the alarm"). While the best onsets lie in the last two blocks, the upper end
  // is that of an onset kMinSeen_s before the end, as the header says.
  if (out.openAbove) {
    const HingeFit f = fitHinge(yw, bw, n, T, end - kMinSeen_s);
    if (f.sxx > 0.0) sHigh = std::max(sHigh, f.s + kZ95 * sigma / std::sqrt(f.sxx));
  }
  out.valid = true;
  out.onset_s = bestOnset;
  out.airEnd_kg = airEnd;
  out.rate_kg_s = best.s * airEnd;
  out.low_kg_s = std::max(sLow, 0.0) * airEnd;
  out.high_kg_s = sHigh * airEnd;
  return out;
}

}  // namespace leakhunt::detect
