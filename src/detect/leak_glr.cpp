#include "detect/leak_glr.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "detect/slope_change.hpp"

namespace leakhunt::detect {

LeakGlrOptions leakGlrOptionsFrom(const DetectorOptions& options) {
  LeakGlrOptions o;
  o.falseAlarmRate_per_s = options.falseAlarmRate_per_s;
  o.block_s = options.blockPeriod_s;
  return o;
}

double LeakHypothesis::rateSigma_kg_s() const {
  return c > 0.0 ? 1.0 / std::sqrt(c) : std::numeric_limits<double>::infinity();
}

double LeakHypothesis::z() const { return c > 0.0 ? d / std::sqrt(c) : 0.0; }

RateOverOnsets rateOverOnsets(const std::vector<const LeakHypothesis*>& candidates) {
  std::vector<const LeakHypothesis*> hs;
  for (const LeakHypothesis* h : candidates)
    if (h != nullptr && h->c > 0.0) hs.push_back(h);
  if (hs.empty()) return {0.0, std::numeric_limits<double>::infinity()};
  std::sort(hs.begin(), hs.end(),
            [](const LeakHypothesis* a, const LeakHypothesis* b) { return a->onset < b->onset; });
  std::vector<long> onsets;
  for (const LeakHypothesis* h : hs)
    if (onsets.empty() || onsets.back() != h->onset) onsets.push_back(h->onset);
  // Each distinct onset stands for half the gaps to its neighbours (one block at the ends).
  const auto span = [&](long onset) {
    const auto it = std::lower_bound(onsets.begin(), onsets.end(), onset);
    const auto i = static_cast<std::size_t>(it - onsets.begin());
    const double before = i > 0 ? double(onsets[i] - onsets[i - 1]) : 1.0;
    const double after = i + 1 < onsets.size() ? double(onsets[i + 1] - onsets[i]) : 1.0;
    return 0.5 * (before + after);
  };
  std::vector<double> logWeight;
  double top = -std::numeric_limits<double>::infinity();
  for (const LeakHypothesis* h : hs) {
    const long shared = std::count_if(
        hs.begin(), hs.end(), [&](const LeakHypothesis* o) { return o->onset == h->onset; });
    const double lw =
        0.5 * h->d * h->d / h->c - 0.5 * std::log(h->c) + std::log(span(h->onset) / double(shared));
    logWeight.push_back(lw);
    top = std::max(top, lw);
  }
  double total = 0.0, mean = 0.0, second = 0.0;
  for (std::size_t k = 0; k < hs.size(); ++k) {
    const double w = std::exp(logWeight[k] - top);
    const double rate = hs[k]->rate_kg_s();
    total += w;
    mean += w * rate;
    second += w * (rate * rate + 1.0 / hs[k]->c);
  }
  mean /= total;
  const double variance = std::max(second / total - mean * mean, 0.0);
  return {mean, std::sqrt(variance)};
}

Eigen::VectorXd leakInput(const BooksModel& model, const std::vector<int>& modules) {
  Eigen::VectorXd u = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(model.modules.size()));
  double total = 0.0;
  for (int m : modules) total += model.modules[static_cast<std::size_t>(m)].inventory_kg;
  for (int m : modules)
    u(m) = -model.options.block_s * model.modules[static_cast<std::size_t>(m)].inventory_kg / total;
  return u;
}

void advance(LeakHypothesis& h, const BooksModel& model, const BooksStep& step) {
  const BooksMatrices& mx = *step.matrices;
  if (h.effect.size() == 0) h.effect = Eigen::VectorXd::Zero(model.stateCount);
  // The true state's shift less the filter's predicted estimate of it. A reset repress factor
  // is shifted in neither (the filter starts it afresh, the leak does not touch it).
  for (int f : step.resets) h.effect(f) = 0.0;
  const Eigen::SparseMatrix<double>& a = step.transition != nullptr ? *step.transition : mx.sparseA;
  h.effect = a * h.effect + mx.sparseB * leakInput(model, h.modules);
  if (!step.valid) return;
  const Eigen::VectorXd g = step.H * h.effect;
  // The row read for the segment holding the hypothesis (it sums that segment's inventories):
  // the evidence is its innovation alone, a valid marginal test, since each block's innovations
  // are independent of every other block's. The filter's reaction to the whole signature still
  // moves the signature state (below).
  const int inventory = model.offset[static_cast<std::size_t>(h.modules.front())];
  for (Eigen::Index r = 0; r < step.H.rows(); ++r) {
    if (step.H(r, inventory) == 0.0) continue;
    const double s = step.innovationCovariance(r, r);
    h.d += g(r) * step.innovation(r) / s;
    h.c += g(r) * g(r) / s;
  }
  h.effect -= step.gain * g;
}

LeakGlr::LeakGlr(LeakGlrOptions options) : m_options(options) {
  m_threshold = normalUpperQuantile(m_options.falseAlarmRate_per_s * m_options.block_s /
                                    m_options.effectiveTests);
}

// Onsets younger than denseOnsets blocks are all kept; older ones on a grid whose spacing
// doubles with age, so the grid of an older age is a subset of a younger one's.
bool LeakGlr::keep(long onset, long block) const {
  const long age = block - onset;
  if (static_cast<double>(age) * m_options.block_s > m_options.maxWindow_s) return false;
  long spacing = 1;
  while (age >= 2 * spacing * m_options.denseOnsets) spacing *= 2;
  return onset % spacing == 0;
}

// Each hypothesis whose modules now lie in several segments becomes one per segment, each
// with the whole history: before the split the books could not tell where in the old segment
// the leak was, so each part's signature so far is the same. The parts keep one lineage: they
// are competing places of one leak (rankSplitParts).
void LeakGlr::split(const BooksTopology& topology) {
  std::vector<LeakHypothesis> out;
  out.reserve(m_hypotheses.size());
  for (LeakHypothesis& h : m_hypotheses) {
    std::vector<int> segments;
    for (int m : h.modules) segments.push_back(topology.segmentOf[static_cast<std::size_t>(m)]);
    std::sort(segments.begin(), segments.end());
    segments.erase(std::unique(segments.begin(), segments.end()), segments.end());
    if (segments.size() == 1) {
      out.push_back(std::move(h));
      continue;
    }
    for (int g : segments) {
      LeakHypothesis part = h;
      part.modules.clear();
      for (int m : h.modules)
        if (topology.segmentOf[static_cast<std::size_t>(m)] == g) part.modules.push_back(m);
      out.push_back(std::move(part));
    }
  }
  m_hypotheses = std::move(out);
}

// The parts of a split hypothesis stand for one leak in one of the parts: the data cannot say
// it is in both. Each part is outranked unless its z^2 beats every part in another segment by
// the chi2(1) 95 % point, so only a place the data prefer may alarm; where they are equal or
// nearly (no reading since the split: the blocks while the hatch moves, then the first reading,
// which moves each part by a hair), none may, until the readings tell them apart. A hole opening
// in one part as the hatch closes once alarmed in the other too: the part without it kept the
// joint history and was credited with the other part's fall; and in the MS-09 story the first
// reading after three closures let [destiny, ...] win by 8.36 against 8.35 and alarm
// (docs/detection.md).
bool splitPartBeats(double za, double zb) {
  constexpr double kMargin = 3.841;  // chi2(1) at 95 %
  za = std::max(za, 0.0);
  zb = std::max(zb, 0.0);
  return za > zb && za * za - zb * zb >= kMargin;
}

void LeakGlr::rankSplitParts() {
  std::sort(m_hypotheses.begin(), m_hypotheses.end(),
            [](const LeakHypothesis& a, const LeakHypothesis& b) {
              return a.onset != b.onset ? a.onset < b.onset : a.lineage < b.lineage;
            });
  for (std::size_t i = 0; i < m_hypotheses.size();) {
    std::size_t end = i;
    while (end < m_hypotheses.size() && m_hypotheses[end].lineage == m_hypotheses[i].lineage) ++end;
    for (std::size_t a = i; a < end; ++a) {
      LeakHypothesis& h = m_hypotheses[a];
      h.outranked = false;
      for (std::size_t b = i; b < end && !h.outranked; ++b)
        if (b != a && m_topology.segmentOf[static_cast<std::size_t>(m_hypotheses[b].modules[0])] !=
                          m_topology.segmentOf[static_cast<std::size_t>(h.modules[0])])
          h.outranked = !splitPartBeats(h.z(), m_hypotheses[b].z());
    }
    i = end;
  }
}

void LeakGlr::step(const BooksModel& model, const BooksStep& step, const BooksTopology& topology,
                   long block) {
  if (!(topology == m_topology)) {
    split(topology);
    m_topology = topology;
  }
  std::erase_if(m_hypotheses, [&](const LeakHypothesis& h) { return !keep(h.onset, block); });
  // A leak starting in this block, in each segment.
  for (int g = 0; g < topology.segmentCount; ++g) {
    LeakHypothesis h;
    h.onset = block;
    h.lineage = m_nextLineage++;
    for (std::size_t m = 0; m < topology.segmentOf.size(); ++m)
      if (topology.segmentOf[m] == g) h.modules.push_back(static_cast<int>(m));
    if (!h.modules.empty()) m_hypotheses.push_back(std::move(h));
  }
  for (LeakHypothesis& h : m_hypotheses) advance(h, model, step);
  rankSplitParts();
  m_segments.assign(static_cast<std::size_t>(topology.segmentCount), SegmentLeakTest{});
  for (LeakHypothesis& h : m_hypotheses) {
    SegmentLeakTest& s = m_segments[static_cast<std::size_t>(
        topology.segmentOf[static_cast<std::size_t>(h.modules[0])])];
    if (h.c > 0.0 && !h.outranked && (s.best == nullptr || h.z() > s.z)) {
      s.z = h.z();
      s.best = &h;
    }
  }
  for (SegmentLeakTest& s : m_segments) s.alarm = s.best != nullptr && s.z >= m_threshold;
}

}  // namespace leakhunt::detect
