// The Kalman filter on the books' state-space model (books_model.hpp). Under the model its
// innovations are white, each with the variance the filter states, so every block adds an
// independent piece of evidence to the leak test (leak_glr.hpp) and the bound
// (full_model_bound.hpp). No I/O; matrices are rebuilt only when the topology changes.
#pragma once

#include <Eigen/Dense>
#include <Eigen/SparseCore>
#include <vector>

#include "detect/books_model.hpp"

namespace leakhunt::detect {

// What one block gave: the innovation of each segment read, its covariance and the gain. The
// leak test needs exactly these (Willsky and Jones' signature recursion).
struct BooksStep {
  bool valid = false;                    // false for the first block, which only sets the levels
  Eigen::VectorXd innovation;            // y - H x(k|k-1), over the segments read this block
  Eigen::MatrixXd innovationCovariance;  // S = H P(k|k-1) H' + R
  Eigen::MatrixXd innovationInverse;     // S^-1
  Eigen::VectorXd whitened;              // L^-1 innovation, S = L L': iid N(0, 1) under the model
  Eigen::MatrixXd gain;                  // K = P H' S^-1
  Eigen::MatrixXd H;                     // the rows of H read this block
  std::vector<int> segments;             // which segment each row is
  const BooksMatrices* matrices = nullptr;  // A and B used to reach this block
  // The transition used to reach this block: matrices->sparseA, plus the running represses'
  // factors (RepressInputs); and the factor states reset at this block's start.
  const Eigen::SparseMatrix<double>* transition = nullptr;
  std::vector<int> resets;
};

// The represses running in a block, for the factor states (BooksModelOptions::
// repressFactorState): per module, the air one unit of its factor adds this block [kg] (the
// block's share of the logged mass times the mass's sd as a fraction), and the modules where a
// repress starts this block, whose factor starts afresh at N(0, 1).
struct RepressInputs {
  Eigen::VectorXd factorGain_kg;
  std::vector<int> startedIn;
};

class BooksFilter {
 public:
  explicit BooksFilter(BooksModel model);

  // One block. `known_kg`: the known sources' cabin-air mass over the block per module (a
  // logged repress counts its stated mass here); `inputVariance_kg2`: the variance of those
  // inputs per module (a repress's stated error, squared), added to the process noise;
  // `measured_kg`: the measured inventory per segment of `topology` (NaN: not read).
  // `represses`: the running represses' factors, for modules that have a factor state (the
  // others carry a repress's error in `inputVariance_kg2`).
  const BooksStep& step(const BooksTopology& topology, const Eigen::VectorXd& known_kg,
                        const Eigen::VectorXd& inputVariance_kg2,
                        const Eigen::VectorXd& measured_kg, const RepressInputs& represses = {});

  const BooksModel& model() const { return m_model; }
  const Eigen::VectorXd& state() const { return m_x; }
  const Eigen::MatrixXd& covariance() const { return m_p; }
  const BooksTopology& topology() const { return m_topology; }

 private:
  void start(const BooksTopology& topology, const Eigen::VectorXd& measured_kg);
  void useTopology(const BooksTopology& topology);
  void addSplitUncertainty(const BooksTopology& next);

  BooksModel m_model;
  BooksTopology m_topology;
  BooksMatrices m_matrices;
  Eigen::SparseMatrix<double> m_transition;  // A with this block's repress factors
  bool m_started = false;
  Eigen::VectorXd m_x;
  Eigen::MatrixXd m_p;
  BooksStep m_step;
};

}  // namespace leakhunt::detect
