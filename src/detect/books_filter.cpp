#include "detect/books_filter.hpp"

#include <cmath>

namespace leakhunt::detect {

namespace {

// Prior sd of a segment's first inventory, as a multiple of the inventory: diffuse, so the
// first reading sets the level and nothing else does.
constexpr double kDiffuseLevel = 0.1;

}  // namespace

BooksFilter::BooksFilter(BooksModel model) : m_model(std::move(model)) {}

void BooksFilter::useTopology(const BooksTopology& topology) {
  if (m_started && topology == m_topology) return;
  if (m_started) addSplitUncertainty(topology);
  m_topology = topology;
  m_matrices = booksMatrices(m_model, m_topology);
}

// Each segment of `next` that is only part of an old one starts with its level uncertain by
// splitLevelFraction of its air (BooksModelOptions): the split shares the gas as the set points
// do, the gas shares it as the real temperatures do.
//
// And the parts' books become independent: every covariance between states of modules now in
// different segments is dropped. While joined, the reading saw only the parts' sum, so their
// wanders' estimates are anticorrelated; kept, a leak in one part (unexplained by the null
// model, innovation after innovation) pushes the other part's wander estimates through them,
// and the other part reads as leaking. A hole opening in module-b as its hatch closed once
// alarmed module-a at z 10 an hour later. Each part keeps its own covariance, so its readings
// are still predicted with the right variance; what is lost is what one part's readings said
// of the other's wander, little once the hatch is shut.
void BooksFilter::addSplitUncertainty(const BooksTopology& next) {
  const auto n = static_cast<Eigen::Index>(m_model.stateCount);
  std::vector<int> segmentOfState(static_cast<std::size_t>(n), -1);
  for (std::size_t i = 0; i < m_model.modules.size(); ++i) {
    for (int k = 0; k < m_model.width[i]; ++k)
      segmentOfState[static_cast<std::size_t>(m_model.offset[i] + k)] = next.segmentOf[i];
    if (m_model.factor[i] >= 0)
      segmentOfState[static_cast<std::size_t>(m_model.factor[i])] = next.segmentOf[i];
    for (int t : m_model.trace[i])
      if (t >= 0) segmentOfState[static_cast<std::size_t>(t)] = next.segmentOf[i];
  }
  for (Eigen::Index r = 0; r < n; ++r)
    for (Eigen::Index c = 0; c < n; ++c)
      if (segmentOfState[static_cast<std::size_t>(r)] !=
          segmentOfState[static_cast<std::size_t>(c)])
        m_p(r, c) = 0.0;
  for (int g = 0; g < next.segmentCount; ++g) {
    int old = -1;
    bool part = false;
    for (std::size_t i = 0; i < m_model.modules.size(); ++i)
      if (next.segmentOf[i] == g) old = m_topology.segmentOf[i];
    for (std::size_t i = 0; i < m_model.modules.size(); ++i)
      if (m_topology.segmentOf[i] == old && next.segmentOf[i] != g) part = true;
    if (!part) continue;
    Eigen::VectorXd level = Eigen::VectorXd::Zero(n);
    for (std::size_t i = 0; i < m_model.modules.size(); ++i)
      if (next.segmentOf[i] == g)
        level(m_model.offset[i]) =
            m_model.options.splitLevelFraction * m_model.modules[i].inventory_kg;
    m_p += level * level.transpose();
  }
}

void BooksFilter::start(const BooksTopology& topology, const Eigen::VectorXd& measured_kg) {
  useTopology(topology);
  const auto n = static_cast<Eigen::Index>(m_model.stateCount);
  m_x = Eigen::VectorXd::Zero(n);
  m_p = stationaryWanderCovariance(m_model);
  const Eigen::VectorXd balance = traceBalancePrior(m_model);
  m_p += balance * balance.transpose();
  // Each segment's level from its reading (or its nominal inventory), shared as the gas
  // shares it; its prior variance diffuse and fully correlated within the segment.
  std::vector<double> total(static_cast<std::size_t>(topology.segmentCount), 0.0);
  for (std::size_t i = 0; i < m_model.modules.size(); ++i)
    total[static_cast<std::size_t>(topology.segmentOf[i])] += m_model.modules[i].inventory_kg;
  Eigen::MatrixXd spread = Eigen::MatrixXd::Zero(n, topology.segmentCount);
  for (std::size_t i = 0; i < m_model.modules.size(); ++i) {
    const int g = topology.segmentOf[i];
    const double share = m_model.modules[i].inventory_kg / total[static_cast<std::size_t>(g)];
    const double level =
        std::isfinite(measured_kg(g)) ? measured_kg(g) : total[static_cast<std::size_t>(g)];
    m_x(m_model.offset[i]) = share * level;
    spread(m_model.offset[i], g) = share * kDiffuseLevel * total[static_cast<std::size_t>(g)];
  }
  m_p += spread * spread.transpose();
  m_started = true;
}

const BooksStep& BooksFilter::step(const BooksTopology& topology, const Eigen::VectorXd& known_kg,
                                   const Eigen::VectorXd& inputVariance_kg2,
                                   const Eigen::VectorXd& measured_kg,
                                   const RepressInputs& represses) {
  const bool first = !m_started;
  m_step.resets.clear();
  if (first) {
    start(topology, measured_kg);
    m_step.transition = &m_matrices.sparseA;
  } else {
    useTopology(topology);
    const BooksMatrices& mx = m_matrices;
    // A repress starting here: its factor is a fresh draw, known to nothing before.
    for (int m : represses.startedIn) {
      const int f =
          m >= 0 && std::size_t(m) < m_model.factor.size() ? m_model.factor[std::size_t(m)] : -1;
      if (f < 0) continue;
      m_x(f) = 0.0;
      m_p.row(f).setZero();
      m_p.col(f).setZero();
      m_p(f, f) = 1.0;
      m_step.resets.push_back(f);
    }
    // Each running repress's factor lets in its air as the logged gas does: the column of its
    // factor in the transition is the module's input direction (B) times the block's gain.
    const Eigen::SparseMatrix<double>* a = &mx.sparseA;
    if (represses.factorGain_kg.size() > 0 && (represses.factorGain_kg.array() != 0.0).any()) {
      std::vector<Eigen::Triplet<double>> extra;
      for (Eigen::Index m = 0; m < represses.factorGain_kg.size(); ++m) {
        const int f = m_model.factor[std::size_t(m)];
        const double g = represses.factorGain_kg(m);
        if (f < 0 || g == 0.0) continue;
        for (Eigen::SparseMatrix<double>::InnerIterator it(mx.sparseB, m); it; ++it)
          extra.emplace_back(static_cast<int>(it.row()), f, it.value() * g);
      }
      Eigen::SparseMatrix<double> added(mx.sparseA.rows(), mx.sparseA.cols());
      added.setFromTriplets(extra.begin(), extra.end());
      m_transition = mx.sparseA + added;
      a = &m_transition;
    }
    m_step.transition = a;
    m_x = *a * m_x + mx.sparseB * known_kg;
    const Eigen::MatrixXd ap = *a * m_p;
    m_p = (ap * a->transpose()) + mx.Q;
    if (inputVariance_kg2.size() > 0 && (inputVariance_kg2.array() != 0.0).any())
      m_p += mx.B * inputVariance_kg2.asDiagonal() * mx.B.transpose();
  }
  // Update with the segments read this block.
  BooksStep& st = m_step;
  st.segments.clear();
  for (int g = 0; g < topology.segmentCount; ++g)
    if (std::isfinite(measured_kg(g))) st.segments.push_back(g);
  const auto rows = static_cast<Eigen::Index>(st.segments.size());
  const auto n = static_cast<Eigen::Index>(m_model.stateCount);
  st.H.resize(rows, n);
  Eigen::MatrixXd r(rows, rows);
  Eigen::VectorXd y(rows);
  for (Eigen::Index a = 0; a < rows; ++a) {
    const int g = st.segments[static_cast<std::size_t>(a)];
    st.H.row(a) = m_matrices.H.row(g);
    y(a) = measured_kg(g);
    for (Eigen::Index b = 0; b < rows; ++b)
      r(a, b) = m_matrices.R(g, st.segments[static_cast<std::size_t>(b)]);
  }
  st.matrices = &m_matrices;
  st.valid = !first && rows > 0;
  st.innovation = y - st.H * m_x;
  const Eigen::MatrixXd ph = m_p * st.H.transpose();
  st.innovationCovariance = st.H * ph + r;
  const Eigen::LLT<Eigen::MatrixXd> llt(st.innovationCovariance);
  st.innovationInverse = llt.solve(Eigen::MatrixXd::Identity(rows, rows));
  st.whitened = llt.matrixL().solve(st.innovation);
  st.gain = ph * st.innovationInverse;
  m_x += st.gain * st.innovation;
  // P - K H P, made symmetric again: O(n^2) per segment read, where the Joseph form costs
  // two dense n^3 products (a 23-module station has 130 states).
  m_p.noalias() -= st.gain * ph.transpose();
  m_p = 0.5 * (m_p + m_p.transpose()).eval();
  return st;
}

}  // namespace leakhunt::detect
