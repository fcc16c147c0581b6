#include <cvode/cvode.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunmatrix/sunmatrix_dense.h>
#include <sunnonlinsol/sunnonlinsol_fixedpoint.h>

#include <cassert>
#include <cmath>
#include <string>

#include "network/integrator.hpp"

namespace leakhunt::network {

struct Integrator::Impl {
  std::size_t size;
  RightHandSide rhs;
  IntegratorOptions options;
  SUNContext context = nullptr;
  void* cvode = nullptr;
  N_Vector y = nullptr;
  N_Vector tolerances = nullptr;
  SUNMatrix matrix = nullptr;
  SUNLinearSolver linear = nullptr;
  SUNNonlinearSolver nonlinear = nullptr;
  bool initialised = false;
  double t = 0.0;
  IntegratorStats before;  // counts of earlier restarts (CVodeReInit zeroes CVODE's own)

  IntegratorStats current() const {
    IntegratorStats s;
    if (!initialised) return s;
    CVodeGetNumSteps(cvode, &s.steps);
    CVodeGetNumRhsEvals(cvode, &s.rhsEvaluations);
    if (options.method == Method::StiffBdf) {
      CVodeGetNumJacEvals(cvode, &s.jacobianEvaluations);
      long lsEvals = 0;  // difference-quotient Jacobians call the RHS through the linear solver
      CVodeGetNumLinRhsEvals(cvode, &lsEvals);
      s.rhsEvaluations += lsEvals;
    }
    return s;
  }

  ~Impl() {
    if (cvode) CVodeFree(&cvode);
    if (linear) SUNLinSolFree(linear);
    if (matrix) SUNMatDestroy(matrix);
    if (nonlinear) SUNNonlinSolFree(nonlinear);
    if (tolerances) N_VDestroy(tolerances);
    if (y) N_VDestroy(y);
    if (context) SUNContext_Free(&context);
  }

  // No exception may cross into C: a throwing right-hand side becomes an unrecoverable failure.
  static int callback(sunrealtype t, N_Vector y, N_Vector ydot, void* self) {
    auto* impl = static_cast<Impl*>(self);
    const auto n = impl->size;
    std::span<const double> in(N_VGetArrayPointer(y), n);
    std::span<double> out(N_VGetArrayPointer(ydot), n);
    try {
      impl->rhs(t, in, out);
    } catch (...) {
      return -1;
    }
    for (double v : out)
      if (!std::isfinite(v)) return 1;  // recoverable: CVODE retries with a smaller step
    return 0;
  }

  static void silence(int, const char*, const char*, char*, void*) {}
};

Integrator::Integrator(std::size_t size, RightHandSide rhs, IntegratorOptions options)
    : m_impl(std::make_unique<Impl>()) {
  Impl& m = *m_impl;
  m.size = size;
  m.rhs = std::move(rhs);
  m.options = std::move(options);
  SUNContext_Create(nullptr, &m.context);
  const auto n = static_cast<sunindextype>(size);
  m.y = N_VNew_Serial(n, m.context);
  m.tolerances = N_VNew_Serial(n, m.context);
  assert(m.options.absoluteTolerance.size() == size);
  for (std::size_t i = 0; i < size; ++i)
    NV_Ith_S(m.tolerances, static_cast<sunindextype>(i)) = m.options.absoluteTolerance[i];
  const bool stiff = m.options.method == Method::StiffBdf;
  m.cvode = CVodeCreate(stiff ? CV_BDF : CV_ADAMS, m.context);
}

Integrator::~Integrator() = default;

void Integrator::restart(double t0, std::span<const double> y0, double stopTime) {
  Impl& m = *m_impl;
  std::copy(y0.begin(), y0.end(), N_VGetArrayPointer(m.y));
  if (!m.initialised) {
    CVodeInit(m.cvode, &Impl::callback, t0, m.y);
    CVodeSetUserData(m.cvode, &m);
    CVodeSetErrHandlerFn(m.cvode, &Impl::silence, nullptr);
    CVodeSVtolerances(m.cvode, m.options.relativeTolerance, m.tolerances);
    CVodeSetMaxNumSteps(m.cvode, m.options.maxSteps);
    if (m.options.maxStep_s > 0.0) CVodeSetMaxStep(m.cvode, m.options.maxStep_s);
    if (m.options.method == Method::StiffBdf) {
      const auto n = static_cast<sunindextype>(m.size);
      m.matrix = SUNDenseMatrix(n, n, m.context);
      m.linear = SUNLinSol_Dense(m.y, m.matrix, m.context);
      CVodeSetLinearSolver(m.cvode, m.linear, m.matrix);
    } else {
      m.nonlinear = SUNNonlinSol_FixedPoint(m.y, 0, m.context);
      CVodeSetNonlinearSolver(m.cvode, m.nonlinear);
    }
    m.initialised = true;
  } else {
    const IntegratorStats c = m.current();
    m.before.steps += c.steps;
    m.before.rhsEvaluations += c.rhsEvaluations;
    m.before.jacobianEvaluations += c.jacobianEvaluations;
    CVodeReInit(m.cvode, t0, m.y);
  }
  CVodeSetStopTime(m.cvode, stopTime);
  m.t = t0;
}

Result<bool> Integrator::advance(double tout, std::span<double> y) {
  Impl& m = *m_impl;
  assert(m.initialised && y.size() == m.size);
  if (tout > m.t) {
    double reached = m.t;
    const int flag = CVode(m.cvode, tout, m.y, &reached, CV_NORMAL);
    if (flag < 0) {
      return Error{"integration failed near t = " + std::to_string(reached) + " s: CVODE says " +
                   CVodeGetReturnFlagName(flag)};
    }
    m.t = reached;
  }
  const double* data = N_VGetArrayPointer(m.y);
  std::copy(data, data + m.size, y.begin());
  return true;
}

IntegratorStats Integrator::stats() const {
  IntegratorStats s = m_impl->current();
  s.steps += m_impl->before.steps;
  s.rhsEvaluations += m_impl->before.rhsEvaluations;
  s.jacobianEvaluations += m_impl->before.jacobianEvaluations;
  return s;
}

}  // namespace leakhunt::network
