#include "detect/full_model_bound.hpp"

#include <cmath>
#include <limits>

#include "detect/books_filter.hpp"
#include "detect/leak_glr.hpp"

namespace leakhunt::detect {

double FullModelBound::crbSigma_kg_s(double after_s) const {
  const long k = std::lround(after_s / block_s) - 1;
  if (k < 0 || information.empty()) return std::numeric_limits<double>::infinity();
  const double j = information[static_cast<std::size_t>(
      std::min<long>(k, static_cast<long>(information.size()) - 1))];
  return j > 0.0 ? 1.0 / std::sqrt(j) : std::numeric_limits<double>::infinity();
}

double FullModelBound::oracleDelay_s(double rate_kg_s, double h) const {
  for (std::size_t k = 0; k < information.size(); ++k)
    if (rate_kg_s * rate_kg_s * information[k] / 2.0 >= h)
      return static_cast<double>(k + 1) * block_s;
  return std::numeric_limits<double>::infinity();
}

double defaultOracleThreshold() { return std::log(365.25 * 86400.0); }

FullModelBound fullModelBound(const BooksModel& model, const BooksTopology& topology,
                              const std::vector<int>& leakModules, double warmUp_s,
                              double horizon_s) {
  // The covariances, gains and so the information do not depend on the readings: run the
  // filter on zeros.
  BooksFilter filter(model);
  const auto nm = static_cast<Eigen::Index>(model.modules.size());
  const Eigen::VectorXd none = Eigen::VectorXd::Zero(nm);
  const Eigen::VectorXd readings = Eigen::VectorXd::Zero(topology.segmentCount);
  const double dt = model.options.block_s;
  const long warm = std::max(1L, std::lround(warmUp_s / dt));
  for (long k = 0; k < warm; ++k) filter.step(topology, none, none, readings);
  FullModelBound out;
  out.block_s = dt;
  LeakHypothesis h;
  h.modules = leakModules;
  const long blocks = std::lround(horizon_s / dt);
  for (long k = 0; k < blocks; ++k) {
    advance(h, model, filter.step(topology, none, none, readings));
    out.information.push_back(h.c);
  }
  return out;
}

}  // namespace leakhunt::detect
