// The state of knowledge: a probability over where the leak is (physics.md section 6).
// Hypotheses are one leak in a module, or two leaks in two modules sharing the total rate in a
// few fixed proportions. Evidence is a set of per-segment leak-rate estimates from one dwell;
// the leak's total rate is a nuisance with a Gaussian prior and is integrated out exactly.
#pragma once

#include <string>
#include <vector>

#include "model/station.hpp"

namespace leakhunt::locate {

enum class PriorKind { Uniform, Volume, WallArea, Table };

struct PriorSpec {
  PriorKind kind = PriorKind::Uniform;
  std::vector<double> table;  // per module, for PriorKind::Table
  double twoLeaks = 0.02;     // prior mass of "two leaks"; 0 leaves pairs out
};

struct Hypothesis {
  int a = -1;
  int b = -1;           // -1 for one leak
  double shareA = 1.0;  // share of the total rate in module a
};

// One segment's reading over one dwell: its loss rate (positive = losing) and its sd.
struct SegmentReading {
  std::vector<int> modules;
  double rate_kg_s = 0.0;
  double sigma_kg_s = 0.0;
  // A hole to space is choked: its rate scales with the segment's pressure. This is the
  // segment's mean pressure over the dwell over the pressure the rate was estimated at.
  double rateScale = 1.0;
};

struct LeakRate {
  double mean_kg_s = 0.0;
  double sigma_kg_s = 0.0;  // the prior's sd on the total rate
};

class Belief {
 public:
  // `candidates`: modules that may hold the leak (the alarmed segment); others get zero.
  Belief(const model::Station& station, const std::vector<int>& candidates, const PriorSpec& prior);

  const std::vector<Hypothesis>& hypotheses() const { return m_hyps; }
  const std::vector<double>& probabilities() const { return m_p; }
  std::size_t moduleCount() const { return m_moduleCount; }

  // Bayes' rule with the readings of one dwell (segments without a reading are left out).
  void update(const std::vector<SegmentReading>& readings, const LeakRate& rate);

  // P(one leak, in module m).
  std::vector<double> singleLeak() const;
  // P(module m holds a leak), over one- and two-leak hypotheses.
  std::vector<double> moduleMarginal() const;
  double twoLeakMass() const;
  int mostLikely() const;  // index into hypotheses()

  // Replace the probabilities (same hypotheses), e.g. to branch a plan on an outcome.
  void setProbabilities(std::vector<double> p);

 private:
  std::vector<Hypothesis> m_hyps;
  std::vector<double> m_p;
  std::size_t m_moduleCount = 0;
};

// When to stop: the modules found, or nothing yet. Two leaks are found when one pair holds
// `stop`, or two modules each hold a leak with `stop`. One leak is found when one module holds
// a leak with `stop` and the chance of a second leak anywhere is below `secondLeak` (a second,
// much smaller leak in a segment that cannot resolve it would otherwise hold the search).
struct Verdict {
  std::vector<int> modules;  // empty: not yet
  double probability = 0.0;
};
Verdict verdictOf(const Belief& belief, double stop, double secondLeak = 0.05);

// Log-likelihood of readings under a leak pattern: `expected[g]` is the share of the total rate
// segment g would lose. Exact Gaussian marginal over the rate (Sherman-Morrison).
double logLikelihood(const std::vector<SegmentReading>& readings,
                     const std::vector<double>& expectedShare, const LeakRate& rate);

}  // namespace leakhunt::locate
