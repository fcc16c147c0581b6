#include "detect/slope_change.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace leakhunt::detect {

SlopeChangeWindow::SlopeChangeWindow(std::size_t capacity)
    : m_capacity(std::max<std::size_t>(capacity, 8)),
      m_tau(m_capacity),
      m_value(m_capacity),
      m_time(m_capacity),
      m_clock(m_capacity),
      m_su(m_capacity + 1),
      m_suu(m_capacity + 1),
      m_sy(m_capacity + 1),
      m_suy(m_capacity + 1),
      m_sc(m_capacity + 1),
      m_scc(m_capacity + 1),
      m_scu(m_capacity + 1),
      m_scy(m_capacity + 1) {}

void SlopeChangeWindow::clear() {
  m_firstSeq += m_count;
  m_count = 0;
  m_prepared = 0;
}

void SlopeChangeWindow::push(double tau_s, double value, double time_s, double clock) {
  assert(m_count == 0 || tau_s > m_tau[m_count - 1]);
  if (m_count == m_capacity) {
    const std::size_t drop = m_capacity / 2;
    std::copy(m_tau.begin() + drop, m_tau.end(), m_tau.begin());
    std::copy(m_value.begin() + drop, m_value.end(), m_value.begin());
    std::copy(m_time.begin() + drop, m_time.end(), m_time.begin());
    std::copy(m_clock.begin() + drop, m_clock.end(), m_clock.begin());
    m_count -= drop;
    m_firstSeq += drop;
    m_prepared = 0;
  }
  m_tau[m_count] = tau_s;
  m_value[m_count] = value;
  m_time[m_count] = time_s;
  m_clock[m_count] = clock;
  ++m_count;
}

uint64_t SlopeChangeWindow::firstAtOrAfter(double tau_s) const {
  const auto begin = m_tau.begin();
  const auto it = std::lower_bound(begin, begin + static_cast<std::ptrdiff_t>(m_count), tau_s);
  return m_firstSeq + static_cast<uint64_t>(it - begin);
}

void SlopeChangeWindow::prepare() {
  m_su[0] = m_suu[0] = m_sy[0] = m_suy[0] = 0.0;
  m_sc[0] = m_scc[0] = m_scu[0] = m_scy[0] = 0.0;
  if (m_count == 0) return;
  const double tau0 = m_tau[0];
  const double y0 = m_value[0];
  const double c0 = m_clock[0];
  for (std::size_t i = m_prepared; i < m_count; ++i) {
    const double u = m_tau[i] - tau0;
    const double y = m_value[i] - y0;
    const double c = m_clock[i] - c0;
    m_su[i + 1] = m_su[i] + u;
    m_suu[i + 1] = m_suu[i] + u * u;
    m_sy[i + 1] = m_sy[i] + y;
    m_suy[i + 1] = m_suy[i] + u * y;
    m_sc[i + 1] = m_sc[i] + c;
    m_scc[i + 1] = m_scc[i] + c * c;
    m_scu[i + 1] = m_scu[i] + c * u;
    m_scy[i + 1] = m_scy[i] + c * y;
  }
  m_prepared = m_count;
}

// Frisch-Waugh: residualise the slope-change regressor w = -(u - u_j)+ and y on the line
// (1, u) over [from, to]; then L = <w~,y~>/<w~,w~> and var(L) = sigma^2/<w~,w~>.
// The fit from the projections onto the step-free slope-change regressor (both models).
SlopeChangeFit SlopeChangeWindow::result(double ww, double wy, std::size_t f, std::size_t j,
                                         std::size_t l) const {
  SlopeChangeFit r;
  if (!(ww > 0.0)) return r;
  r.rate = wy / ww;
  r.whiteVariance = 1.0 / ww;
  r.projection = wy;
  r.testLength_s = m_tau[l - 1] - m_tau[j];
  r.referenceLength_s = m_tau[j] - m_tau[f];
  return r;
}

SlopeChangeFit SlopeChangeWindow::fit(uint64_t from, uint64_t onset, uint64_t to,
                                      double following) const {
  return fitWith(from, onset, to, false, following);
}

SlopeChangeFit SlopeChangeWindow::fitFlat(uint64_t from, uint64_t onset, uint64_t to,
                                          double following) const {
  return fitWith(from, onset, to, true, following);
}

// The regressor after the onset is x - x_j, with x = u (a constant rate) or x = s c (following
// the clock); its sums over the test range come from x's own prefix sums, as u's do.
SlopeChangeFit SlopeChangeWindow::fitWith(uint64_t from, uint64_t onset, uint64_t to, bool flat,
                                          double following) const {
  assert(from >= m_firstSeq && to <= last() && from < onset && onset < to);
  const std::size_t f = index(from), j = index(onset), l = index(to) + 1;
  const bool clocked = following > 0.0;
  const double s = clocked ? following : 1.0;
  const std::vector<double>& sx = clocked ? m_sc : m_su;
  const std::vector<double>& sxx = clocked ? m_scc : m_suu;
  const std::vector<double>& sxu = clocked ? m_scu : m_suu;
  const std::vector<double>& sxy = clocked ? m_scy : m_suy;
  const double xj = s * (clocked ? m_clock[j] - m_clock[0] : m_tau[j] - m_tau[0]);
  // Whole range [f, l).
  const double n = static_cast<double>(l - f);
  const double by = m_sy[l] - m_sy[f];
  // Test range [j, l): v = x - xj >= 0, w = -v.
  const double a0 = static_cast<double>(l - j);
  const double a1 = s * (sx[l] - sx[j]), a2 = s * s * (sxx[l] - sxx[j]);
  const double ay = m_sy[l] - m_sy[j], axy = s * (sxy[l] - sxy[j]);
  const double sv = a1 - xj * a0;
  const double svv = a2 - 2.0 * xj * a1 + xj * xj * a0;
  const double svy = axy - xj * ay;
  if (flat) {
    const double ww = svv - sv * sv / n;
    const double wy = -(svy - sv * by / n);
    return result(ww, wy, f, j, l);
  }
  const double b1 = m_su[l] - m_su[f], b2 = m_suu[l] - m_suu[f];
  const double buy = m_suy[l] - m_suy[f];
  const double uMean = b1 / n;
  const double suuC = b2 - b1 * uMean;
  const double suyC = buy - uMean * by;
  // sum over the test range of v u, then centred on u's mean.
  const double svu = s * (sxu[l] - sxu[j]) - xj * (m_su[l] - m_su[j]);
  const double svuC = svu - uMean * sv;
  // With w = -v the signs cancel in <w~,w~> and flip in <w~,y~>.
  const double ww = svv - sv * sv / n - svuC * svuC / suuC;
  const double wy = -(svy - sv * by / n - svuC * suyC / suuC);
  return result(ww, wy, f, j, l);
}

double normalUpperQuantile(double p) {
  assert(p > 0.0 && p < 0.5);
  double lo = 0.0, hi = 40.0;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (0.5 * std::erfc(mid / std::sqrt(2.0)) > p)
      lo = mid;
    else
      hi = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace leakhunt::detect
