// A small interface over SUNDIALS CVODE. This header and cvode_integrator.cpp are the only
// places that know SUNDIALS exists (style: Cantera's Integrator).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "network/block_sparsity.hpp"

namespace leakhunt::network {

// dy/dt = f(t, y). Must not throw: CVODE calls it from C.
using RightHandSide =
    std::function<void(double t, std::span<const double> y, std::span<double> ydot)>;

enum class Method {
  StiffBdf,      // BDF with Newton iteration and a difference Jacobian: the full network
  NonStiffAdams  // Adams with fixed-point iteration: the segment reduction
};

struct IntegratorOptions {
  Method method = Method::StiffBdf;
  double relativeTolerance = 1e-8;
  std::vector<double> absoluteTolerance;  // one per state entry
  double maxStep_s = 0.0;                 // 0: no limit
  long maxSteps = 500000;
  // With a sparsity pattern, BDF uses a coloured difference Jacobian and the sparse KLU solver;
  // without one, a dense difference Jacobian and dense LU.
  std::optional<BlockSparsity> sparsity;
};

struct IntegratorStats {
  long steps = 0;
  long rhsEvaluations = 0;
  long jacobianEvaluations = 0;
};

class Integrator {
 public:
  Integrator(std::size_t size, RightHandSide rhs, IntegratorOptions options);
  ~Integrator();
  Integrator(const Integrator&) = delete;
  Integrator& operator=(const Integrator&) = delete;

  // Start (or restart after a discontinuity) at t0 from y0; never integrate past stopTime.
  void restart(double t0, std::span<const double> y0, double stopTime);

  // Bring the stop time of the current interval earlier, because an input now jumps there (a
  // continuing run was given an event). False when the integrator has already stepped to or
  // past it: the caller then interpolates there with advance() and restarts.
  bool setStopTime(double stopTime);

  // Advance to tout (<= the stop time) and write y(tout). The error names the time and what
  // CVODE said.
  Result<bool> advance(double tout, std::span<double> y);

  IntegratorStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace leakhunt::network
