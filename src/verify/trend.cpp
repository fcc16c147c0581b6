#include "verify/trend.hpp"

#include <algorithm>
#include <cmath>

#include "base/confidence.hpp"
#include "verify/batch_line_fit.hpp"

namespace leakhunt::verify {

namespace {

constexpr double kScaleFloor_kg_s = 1e-15;  // 1e-10 kg/day: no leak is measured this finely

void setInterval(TrendPoint& p) {
  p.low_kg_s = p.rate_kg_s - kZ95 * p.rateSigma_kg_s;
  p.high_kg_s = p.rate_kg_s + kZ95 * p.rateSigma_kg_s;
}

}  // namespace

// ---------------------------------------------------------------------------- period rates

void PeriodRates::add(int segment, const ResidualPoint& p, double whiteSigma_kg) {
  const double periodStart = std::floor(p.time_s / m_options.period_s) * m_options.period_s;
  if (m_open && periodStart != m_start_s) close();
  if (!m_open) {
    m_open = true;
    m_start_s = periodStart;
    m_n = m_su = m_suu = m_sy = m_suy = m_syy = 0.0;
    m_u0 = m_u;
    m_y0 = m_y;
    m_steps = 0;
  }
  if (segment != m_segment) {  // a new segment life: a free step in the level
    m_segment = segment;
    m_lastTau = p.tau_s;
    m_lastY = p.residual_kg;
    return;
  }
  const double du = p.tau_s - m_lastTau;
  double dy = p.residual_kg - m_lastY;
  const double limit = m_options.stepSigmas * std::sqrt(2.0) * whiteSigma_kg;
  const bool offMean =
      m_haveMean && whiteSigma_kg > 0.0 && std::abs(dy - m_meanIncrement * du) > limit;
  // A step (an unlogged repress or vent) is one increment off the mean. Two off it in a row
  // that agree with each other are the rate itself changing (a leak stopped, or grew): the mean
  // follows, or every later increment would be "a step" and the trend would freeze at the old
  // rate (seen on a patched hole in a small, quiet segment).
  const bool rateChanged =
      offMean && m_previousOffMean && du > 0.0 && std::abs(dy - m_previousOffRate * du) <= limit;
  m_previousOffMean = offMean && !rateChanged;
  if (offMean && du > 0.0) m_previousOffRate = dy / du;
  if (rateChanged) {
    m_meanIncrement = dy / du;
    --m_steps;  // the first of the two was the change, not a step
  } else if (offMean) {
    dy = m_meanIncrement * du;
    ++m_steps;
  } else if (du > 0.0) {
    const double w = m_haveMean ? std::min(1.0, du / 3600.0) : 1.0;
    m_meanIncrement += w * (dy / du - m_meanIncrement);
    m_haveMean = true;
  }
  m_u += du;
  m_y += dy;
  m_lastTau = p.tau_s;
  m_lastY = p.residual_kg;
  const double u = m_u - m_u0, y = m_y - m_y0;
  m_n += 1.0;
  m_su += u;
  m_suu += u * u;
  m_sy += y;
  m_suy += u * y;
  m_syy += y * y;
}

void PeriodRates::close() {
  m_open = false;
  TrendPoint t;
  t.start_s = m_start_s;
  t.end_s = m_start_s + m_options.period_s;
  t.stepsRemoved = m_steps;
  if (m_n >= 3.0) {
    const double cu = m_su / m_n, cy = m_sy / m_n;
    const double suu = m_suu - m_n * cu * cu, suy = m_suy - m_n * cu * cy,
                 syy = m_syy - m_n * cy * cy;
    t.coverage_s = std::sqrt(12.0 * suu / m_n);  // span of evenly spread points
    if (suu > 0.0) {
      const double slope = suy / suu;
      const double rss = std::max(0.0, syy - slope * suy);
      t.rate_kg_s = -slope;
      t.rateSigma_kg_s = std::sqrt(rss / (m_n - 2.0) / suu);
      t.usable = t.coverage_s >= m_options.minCoverage * m_options.period_s;
    }
  }
  setInterval(t);
  m_closed.push_back(t);
}

void PeriodRates::finish() {
  if (m_open) close();
}

std::vector<TrendPoint> PeriodRates::takeClosed() {
  std::vector<TrendPoint> out;
  out.swap(m_closed);
  return out;
}

// ------------------------------------------------------------------------- change detector

ChangeDetector::ChangeDetector(const TrendOptions& options) : m_options(options) {}

double ChangeDetector::threshold() const {
  const int diffs = static_cast<int>(m_usable.size()) - 1;
  const double alpha = m_options.falseChangeRate_per_s * m_options.period_s /
                       (m_options.effectiveTests * static_cast<double>(m_splits));
  // The MAD has about 37 % of the efficiency of a standard deviation for normal data: its
  // degrees of freedom are counted accordingly.
  const double dof = std::max(2.0, 0.37 * (diffs - 1));
  return studentQuantile(1.0 - 0.5 * alpha, dof);
}

void ChangeDetector::updateScatter() {
  if (m_usable.size() < 2) return;
  std::vector<double> d;
  d.reserve(m_usable.size() - 1);
  for (std::size_t i = 1; i < m_usable.size(); ++i)
    d.push_back(std::abs(m_usable[i].rate_kg_s - m_usable[i - 1].rate_kg_s));
  std::nth_element(d.begin(), d.begin() + d.size() / 2, d.end());
  // A step between regimes is one large difference: the median ignores it.
  m_scatter = 1.4826 * d[d.size() / 2] / std::sqrt(2.0);
}

bool ChangeDetector::push(const TrendPoint& in) {
  if (!in.usable || !std::isfinite(in.rate_kg_s)) return false;
  m_usable.push_back(in);
  updateScatter();
  const int diffs = static_cast<int>(m_usable.size()) - 1;
  if (diffs < m_options.minScatterDiffs) return false;
  const double scale = testScale();
  const std::size_t end = m_usable.size();
  const std::size_t first = m_baseline + static_cast<std::size_t>(m_options.minBaseline);
  if (first >= end) return false;
  m_splits = end - first;
  // Prefix sums of the regime's rates.
  std::vector<double> prefix(end - m_baseline + 1, 0.0);
  for (std::size_t i = m_baseline; i < end; ++i)
    prefix[i - m_baseline + 1] = prefix[i - m_baseline] + m_usable[i].rate_kg_s;
  auto zAt = [&](std::size_t c) {
    const double nb = static_cast<double>(c - m_baseline), na = static_cast<double>(end - c);
    const double mb = prefix[c - m_baseline] / nb;
    const double ma = (prefix[end - m_baseline] - prefix[c - m_baseline]) / na;
    return (ma - mb) / (scale * std::sqrt(1.0 / na + 1.0 / nb));
  };
  std::size_t best = first;
  double bestZ = 0.0;
  for (std::size_t c = first; c < end; ++c) {
    const double z = zAt(c);
    if (std::abs(z) > std::abs(bestZ)) {
      bestZ = z;
      best = c;
    }
  }
  const double th = threshold();
  if (std::abs(bestZ) < th) return false;
  {
    const double nb0 = static_cast<double>(best - m_baseline),
                 na0 = static_cast<double>(end - best);
    const double change = (prefix[end - m_baseline] - prefix[best - m_baseline]) / na0 -
                          prefix[best - m_baseline] / nb0;
    if (std::abs(change) < m_options.minChange_kg_s) return false;
  }
  TrendChange ch;
  ch.z = bestZ;
  ch.threshold = th;
  std::size_t lo = best, hi = best;
  for (std::size_t c = first; c < end; ++c) {
    const double z = zAt(c);
    if (z * bestZ > 0.0 && bestZ * bestZ - z * z <= kChi2_95) {
      lo = std::min(lo, c);
      hi = std::max(hi, c);
    }
  }
  const double nb = static_cast<double>(best - m_baseline), na = static_cast<double>(end - best);
  ch.before_kg_s = prefix[best - m_baseline] / nb;
  ch.after_kg_s = (prefix[end - m_baseline] - prefix[best - m_baseline]) / na;
  ch.change_kg_s = ch.after_kg_s - ch.before_kg_s;
  const double sd = m_scatter * std::sqrt(1.0 / na + 1.0 / nb);  // 0 for a clean step
  ch.changeLow_kg_s = ch.change_kg_s - kZ95 * sd;
  ch.changeHigh_kg_s = ch.change_kg_s + kZ95 * sd;
  ch.time_s = m_usable[best].start_s;
  // The change may fall inside the period before the first one after it.
  ch.timeLow_s = m_usable[lo - 1].start_s;
  ch.timeHigh_s = m_usable[hi].start_s;
  ch.reportedAt_s = m_usable.back().end_s;
  m_changes.push_back(ch);
  m_baseline = best;
  return true;
}

// The spread the mean-shift test divides by: the series' own scatter; where that is zero (a
// series with no scatter, e.g. a clean step in a daily summary, has a MAD of zero), the
// periods' own sd; where that is zero too, a floor far below any leak, so that a clean step is
// a change (it used to be "no change": the test gave up on a zero scatter). --min-change still
// keeps small ones out.
double ChangeDetector::testScale() const {
  if (m_scatter > 0.0) return m_scatter;
  std::vector<double> sigmas;
  for (std::size_t i = m_baseline; i < m_usable.size(); ++i)
    if (std::isfinite(m_usable[i].rateSigma_kg_s)) sigmas.push_back(m_usable[i].rateSigma_kg_s);
  double median = 0.0;
  if (!sigmas.empty()) {
    std::nth_element(sigmas.begin(), sigmas.begin() + sigmas.size() / 2, sigmas.end());
    median = sigmas[sigmas.size() / 2];
  }
  return median > 0.0 ? median : kScaleFloor_kg_s;
}

// ---------------------------------------------------------------------------- the builder

void TrendBuilder::drain(Entry& e) {
  for (TrendPoint& p : e.rates.takeClosed()) {
    e.changes.push(p);
    // The series' own scatter is part of every period's uncertainty.
    p.rateSigma_kg_s = std::max(p.rateSigma_kg_s, e.changes.scatterSigma());
    setInterval(p);
    e.points.push_back(p);
  }
}

void TrendBuilder::onPoint(int segment, std::span<const int> modules, const ResidualPoint& point,
                           const SegmentNoise& noise) {
  auto it = std::find_if(m_entries.begin(), m_entries.end(), [&](const Entry& e) {
    return std::equal(e.modules.begin(), e.modules.end(), modules.begin(), modules.end());
  });
  if (it == m_entries.end()) {
    m_entries.push_back(Entry{
        {modules.begin(), modules.end()}, PeriodRates(m_options), ChangeDetector(m_options), {}});
    it = m_entries.end() - 1;
  }
  it->rates.add(segment, point, noise.white_kg);
  drain(*it);
}

void TrendBuilder::finish() {
  for (Entry& e : m_entries) {
    e.rates.finish();
    drain(e);
  }
}

std::vector<SegmentTrend> TrendBuilder::trends() const {
  std::vector<SegmentTrend> out;
  for (const Entry& e : m_entries)
    out.push_back(SegmentTrend{e.modules, e.points, e.changes.changes(), e.changes.scatterSigma()});
  return out;
}

SegmentTrend trendOfSummary(std::span<const TrendPoint> points, const TrendOptions& options) {
  ChangeDetector changes(options);
  SegmentTrend out;
  for (TrendPoint p : points) {
    changes.push(p);
    p.rateSigma_kg_s = std::max(p.rateSigma_kg_s, changes.scatterSigma());
    setInterval(p);
    out.points.push_back(p);
  }
  out.changes = changes.changes();
  out.scatterSigma_kg_s = changes.scatterSigma();
  return out;
}

}  // namespace leakhunt::verify
