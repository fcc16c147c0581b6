#include "locate/belief.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>

namespace leakhunt::locate {
namespace {

// Shares of the total rate in the first module of a pair: both ways round are listed, so the
// pair is unordered overall.
constexpr double kShares[] = {0.2, 0.35, 0.5};

double weightOf(const model::Station& st, const PriorSpec& prior, std::size_t m) {
  switch (prior.kind) {
    case PriorKind::Uniform:
      return 1.0;
    case PriorKind::Volume:
      return st.modules[m].volume_m3;
    case PriorKind::WallArea:
      return st.modules[m].wallArea_m2 > 0.0 ? st.modules[m].wallArea_m2
                                             : std::pow(st.modules[m].volume_m3, 2.0 / 3.0);
    case PriorKind::Table:
      return m < prior.table.size() ? prior.table[m] : 0.0;
  }
  return 1.0;
}

}  // namespace

Belief::Belief(const model::Station& st, const std::vector<int>& candidates, const PriorSpec& prior)
    : m_moduleCount(st.modules.size()) {
  std::vector<double> w;
  double total = 0.0;
  for (int m : candidates) {
    w.push_back(std::max(0.0, weightOf(st, prior, static_cast<std::size_t>(m))));
    total += w.back();
  }
  if (total <= 0.0) return;
  const double single = prior.twoLeaks > 0.0 && candidates.size() > 1 ? 1.0 - prior.twoLeaks : 1.0;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    m_hyps.push_back({candidates[i], -1, 1.0});
    m_p.push_back(single * w[i] / total);
  }
  if (single >= 1.0) return;
  double pairTotal = 0.0;
  const std::size_t first = m_hyps.size();
  for (std::size_t i = 0; i < candidates.size(); ++i)
    for (std::size_t j = i + 1; j < candidates.size(); ++j)
      for (double s : kShares)
        for (int flip = 0; flip < (s == 0.5 ? 1 : 2); ++flip) {
          const bool f = flip == 1;
          m_hyps.push_back(
              {f ? candidates[j] : candidates[i], f ? candidates[i] : candidates[j], s});
          m_p.push_back(w[i] * w[j]);
          pairTotal += w[i] * w[j];
        }
  if (pairTotal <= 0.0) return;
  for (std::size_t k = first; k < m_p.size(); ++k) m_p[k] *= prior.twoLeaks / pairTotal;
}

double logLikelihood(const std::vector<SegmentReading>& readings, const std::vector<double>& share,
                     const LeakRate& rate) {
  // y_g = r e_g + noise_g, r ~ N(R, s_R^2): marginal N(R e, D + s_R^2 e e^T).
  double quad = 0.0, cross = 0.0, ee = 0.0, logDet = 0.0;
  const double sR2 = rate.sigma_kg_s * rate.sigma_kg_s;
  for (std::size_t g = 0; g < readings.size(); ++g) {
    const double s2 = readings[g].sigma_kg_s * readings[g].sigma_kg_s;
    const double e = share[g] * readings[g].rateScale;
    const double d = readings[g].rate_kg_s - rate.mean_kg_s * e;
    quad += d * d / s2;
    cross += e * d / s2;
    ee += e * e / s2;
    logDet += std::log(s2);
  }
  const double denom = 1.0 + sR2 * ee;
  quad -= sR2 * cross * cross / denom;
  logDet += std::log(denom);
  return -0.5 * (quad + logDet);
}

void Belief::update(const std::vector<SegmentReading>& readings, const LeakRate& rate) {
  std::vector<SegmentReading> used;
  for (const SegmentReading& r : readings)
    if (std::isfinite(r.sigma_kg_s) && r.sigma_kg_s > 0.0) used.push_back(r);
  if (used.empty() || m_p.empty()) return;
  std::vector<int> segmentOf(m_moduleCount, -1);
  for (std::size_t g = 0; g < used.size(); ++g)
    for (int m : used[g].modules) segmentOf[static_cast<std::size_t>(m)] = static_cast<int>(g);
  std::vector<double> logPost(m_p.size(), -std::numeric_limits<double>::infinity());
  std::vector<double> share(used.size());
  double best = -std::numeric_limits<double>::infinity();
  for (std::size_t k = 0; k < m_hyps.size(); ++k) {
    if (m_p[k] <= 0.0) continue;
    std::fill(share.begin(), share.end(), 0.0);
    const Hypothesis& h = m_hyps[k];
    const int ga = segmentOf[static_cast<std::size_t>(h.a)];
    if (ga >= 0) share[static_cast<std::size_t>(ga)] += h.shareA;
    if (h.b >= 0) {
      const int gb = segmentOf[static_cast<std::size_t>(h.b)];
      if (gb >= 0) share[static_cast<std::size_t>(gb)] += 1.0 - h.shareA;
    }
    logPost[k] = std::log(m_p[k]) + logLikelihood(used, share, rate);
    best = std::max(best, logPost[k]);
  }
  double total = 0.0;
  for (std::size_t k = 0; k < m_p.size(); ++k) {
    m_p[k] = std::isfinite(logPost[k]) ? std::exp(logPost[k] - best) : 0.0;
    total += m_p[k];
  }
  for (double& p : m_p) p /= total;
}

std::vector<double> Belief::singleLeak() const {
  std::vector<double> out(m_moduleCount, 0.0);
  for (std::size_t k = 0; k < m_hyps.size(); ++k)
    if (m_hyps[k].b < 0) out[static_cast<std::size_t>(m_hyps[k].a)] += m_p[k];
  return out;
}

std::vector<double> Belief::moduleMarginal() const {
  std::vector<double> out(m_moduleCount, 0.0);
  for (std::size_t k = 0; k < m_hyps.size(); ++k) {
    out[static_cast<std::size_t>(m_hyps[k].a)] += m_p[k];
    if (m_hyps[k].b >= 0) out[static_cast<std::size_t>(m_hyps[k].b)] += m_p[k];
  }
  return out;
}

double Belief::twoLeakMass() const {
  double s = 0.0;
  for (std::size_t k = 0; k < m_hyps.size(); ++k)
    if (m_hyps[k].b >= 0) s += m_p[k];
  return s;
}

int Belief::mostLikely() const {
  if (m_p.empty()) return -1;
  return static_cast<int>(std::max_element(m_p.begin(), m_p.end()) - m_p.begin());
}

Verdict verdictOf(const Belief& b, double stop, double secondLeak) {
  std::map<std::pair<int, int>, double> pairs;
  for (std::size_t k = 0; k < b.hypotheses().size(); ++k) {
    const Hypothesis& h = b.hypotheses()[k];
    if (h.b >= 0) pairs[{std::min(h.a, h.b), std::max(h.a, h.b)}] += b.probabilities()[k];
  }
  for (const auto& [pair, p] : pairs)
    if (p >= stop) return {{pair.first, pair.second}, p};
  const std::vector<double> m = b.moduleMarginal();
  std::vector<int> holding;
  for (std::size_t i = 0; i < m.size(); ++i)
    if (m[i] >= stop) holding.push_back(static_cast<int>(i));
  if (holding.size() >= 2) {
    holding.resize(2);
    return {holding, std::min(m[static_cast<std::size_t>(holding[0])],
                              m[static_cast<std::size_t>(holding[1])])};
  }
  if (holding.size() == 1 && b.twoLeakMass() < secondLeak)
    return {holding, m[static_cast<std::size_t>(holding[0])]};
  return {};
}

void Belief::setProbabilities(std::vector<double> p) { m_p = std::move(p); }

}  // namespace leakhunt::locate
