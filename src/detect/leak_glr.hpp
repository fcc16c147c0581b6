// Willsky and Jones' generalised likelihood ratio for a jump in a state-space model (1976),
// on the books' Kalman filter (books_filter.hpp): a leak of unknown rate nu from an unknown
// block in an unknown set of modules.
//
// For each hypothesis (modules, onset) a leak of unit rate moves the filter's innovations by a
// known signature G_k (it depends on the filter's gains, not on the data), so the innovations
// are g_k = G_k nu + white. Then d = sum G' S^-1 g and c = sum G' S^-1 G give the rate
// nu = d / c, its sd 1 / sqrt(c) (the Cramer-Rao bound for that onset: c is the Fisher
// information) and the statistic z = d / sqrt(c). A hatch operation splits a hypothesis's
// module set along the new segments, each part keeping d, c and its signature state: the
// history is never dropped. The parts compete: one leak cannot be in both, so a part is tested
// against its segment's threshold only while it explains the data better than every other
// part (docs/detection.md, "A split that coincides with an onset"). No I/O.
#pragma once

#include <Eigen/Dense>
#include <vector>

#include "detect/books_filter.hpp"
#include "detect/detector.hpp"

namespace leakhunt::detect {

struct LeakGlrOptions {
  double falseAlarmRate_per_s = 1.0 / (365.25 * 86400.0);  // per segment
  double block_s = 60.0;
  // Effective independent tests per block and segment (as SlopeChangeOptions): the onsets
  // tested each block are strongly correlated. Tuned on the calibration seeds (28 leak-free
  // ISS weeks, scenario seeds 100,001-100,028): the rate of upcrossings of z was 3 to 5 times
  // the one-test tail from z 3 to 4.5, rising slowly with z (about 6 extrapolated to the
  // threshold); 10 sets the expected rate at about 0.6 of the stated one, room for that
  // extrapolation. docs/detection.md, "effectiveTests".
  double effectiveTests = 10.0;
  int denseOnsets = 16;          // every block this far back, then a doubling grid
  double maxWindow_s = 86400.0;  // onsets older than this are dropped
};

LeakGlrOptions leakGlrOptionsFrom(const DetectorOptions& options);

// A leak of constant rate from block `onset` (inclusive), drawn from `modules`.
struct LeakHypothesis {
  std::vector<int> modules;  // ascending; always inside one segment of the current topology
  long onset = 0;
  // The hypothesis it was split from, shared by all its parts (its own number if never split).
  long lineage = 0;
  // A part of a split that does not beat each sibling in another segment by the chi2(1) 95 %
  // point in z^2: the data do not prefer it to that part, so it may not raise its own
  // segment's alarm.
  bool outranked = false;
  Eigen::VectorXd effect;  // the leak's effect on the state less the filter's estimate of it
  double d = 0.0, c = 0.0;
  double rate_kg_s() const { return c > 0.0 ? d / c : 0.0; }
  double rateSigma_kg_s() const;
  double z() const;
};

// Whether a split part with evidence `za` (z of its hypothesis) beats a sibling part in another
// segment with `zb`: its z^2 exceeds the sibling's by the chi2(1) 95 % point (a loss only: a
// negative z counts as none). A part that does not beat every sibling is outranked.
bool splitPartBeats(double za, double zb);

// The leak input per module for a unit rate over one block: -block_s, spread over `modules`
// by their share of the air (where a leak is inside a segment does not change the books).
Eigen::VectorXd leakInput(const BooksModel& model, const std::vector<int>& modules);

// One block of the signature recursion (after the filter's step). The evidence d and c comes
// from the innovation of the segment that holds the hypothesis's modules only: after a split,
// the signature state still has a share in the other part (the air the leak took from it while
// they were one segment), and through it an unexplained leak in the other part would be read
// as evidence for this one. Where the segments were never joined the other rows' signature is
// zero, so this changes nothing there.
void advance(LeakHypothesis& h, const BooksModel& model, const BooksStep& step);

// The rate when the onset is not known (docs/detection.md, "The onset's uncertainty"): the
// mixture over the candidate hypotheses, each weighted by its marginal likelihood under a flat
// prior on the rate, exp(z^2 / 2) / sqrt(c), and by the span of onsets it stands for on the
// grid (the doubling grid keeps one onset of every few; hypotheses sharing an onset share its
// span). The sd holds both the rate's sd at each onset and the spread of the rates over onsets:
// the sd of one onset's rate, 1 / sqrt(c), leaves out the onset's own uncertainty.
struct RateOverOnsets {
  double rate_kg_s = 0.0;
  double rateSigma_kg_s = 0.0;
};
RateOverOnsets rateOverOnsets(const std::vector<const LeakHypothesis*>& candidates);

struct SegmentLeakTest {
  double z = 0.0;  // the largest over the segment's hypotheses
  const LeakHypothesis* best = nullptr;
  bool alarm = false;
};

class LeakGlr {
 public:
  explicit LeakGlr(LeakGlrOptions options);
  // After the filter's step for block `block` on `topology`.
  void step(const BooksModel& model, const BooksStep& step, const BooksTopology& topology,
            long block);
  double threshold() const { return m_threshold; }
  const std::vector<LeakHypothesis>& hypotheses() const { return m_hypotheses; }
  // Per segment of the last topology.
  const std::vector<SegmentLeakTest>& segments() const { return m_segments; }

 private:
  bool keep(long onset, long block) const;
  void split(const BooksTopology& topology);

  LeakGlrOptions m_options;
  double m_threshold = 0.0;
  void rankSplitParts();

  BooksTopology m_topology;
  long m_nextLineage = 0;
  std::vector<LeakHypothesis> m_hypotheses;
  std::vector<SegmentLeakTest> m_segments;
};

}  // namespace leakhunt::detect
