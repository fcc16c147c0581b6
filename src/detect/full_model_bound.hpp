// The Cramer-Rao bound of a leak's rate under the books' full noise model (white reading noise,
// unmeasured gas-temperature wander, source wander, an unseen orbital cycle), and the oracle
// delay under it (physics.md 5, "Bounds when the noise is not white"). The Fisher information
// of the rate for a known onset is the GLR's c (leak_glr.hpp): the same matrices as the filter,
// no data. No I/O.
#pragma once

#include <vector>

#include "detect/books_model.hpp"

namespace leakhunt::detect {

struct FullModelBound {
  double block_s = 60.0;
  // information[k]: the Fisher information of the rate [1/(kg/s)^2] from the k+1 blocks from
  // the onset through block onset+k.
  std::vector<double> information;

  // sd bound of the rate estimated `after_s` after the onset (infinite before the first block).
  double crbSigma_kg_s(double after_s) const;
  // The oracle delay (Lorden): the first time at which rate^2 J(t) / 2 >= h, with a known
  // onset; infinite if not within the horizon.
  double oracleDelay_s(double rate_kg_s, double h) const;
};

// ln(1 yr / 1 s): the threshold of the oracle delay the campaign reports (docs/detection.md).
double defaultOracleThreshold();

// A leak from `leakModules` on a fixed `topology`, after `warmUp_s` of filtering (the filter
// at its steady state), followed for `horizon_s`.
FullModelBound fullModelBound(const BooksModel& model, const BooksTopology& topology,
                              const std::vector<int>& leakModules, double warmUp_s,
                              double horizon_s);

}  // namespace leakhunt::detect
