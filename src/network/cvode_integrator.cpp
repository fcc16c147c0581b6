#include <cvode/cvode.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunlinsol/sunlinsol_klu.h>
#include <sunmatrix/sunmatrix_dense.h>
#include <sunmatrix/sunmatrix_sparse.h>
#include <sunnonlinsol/sunnonlinsol_fixedpoint.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

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
  // CVODE's interpolant on its last step as a Taylor series about the step's end `taylorAt`:
  // y(t) = sum_k taylor[k][i] (t - taylorAt)^k, filled from CVodeGetDky once per step when a
  // second output falls inside it. At 1 Hz output a step holds about forty outputs, and each
  // CVode call interpolated afresh, one pass over the state per term (issue 15).
  std::vector<std::vector<double>> taylor;
  int taylorTerms = 0;  // 0: none for the current step
  double taylorAt = 0.0;
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

  // y(tout) from the Taylor coefficients of the step ending at `tn`, filled on first use.
  // False when CVODE gives no derivative at tn (then CVode interpolates as before).
  bool interpolate(double tn, double tout, std::span<double> out) {
    if (taylorTerms == 0 || taylorAt != tn) {
      taylorTerms = 0;
      taylorAt = tn;
      constexpr int kMaxTerms = 6;  // BDF order 5 at most (Adams: 12, and then fewer terms fit)
      if (taylor.size() < kMaxTerms) taylor.assign(kMaxTerms, std::vector<double>(size));
      double factorial = 1.0;
      for (int k = 0; k < kMaxTerms; ++k) {
        N_Vector d = N_VMake_Serial(static_cast<sunindextype>(size), taylor[k].data(), context);
        const int flag = CVodeGetDky(cvode, tn, k, d);
        N_VDestroy(d);
        if (flag != CV_SUCCESS) break;
        if (k > 0) factorial *= k;
        for (double& v : taylor[k]) v /= factorial;
        taylorTerms = k + 1;
      }
      // Adams can run above order 5: then CVODE's own interpolation, with every term.
      int order = 0;
      CVodeGetLastOrder(cvode, &order);
      if (order + 1 > taylorTerms) taylorTerms = 0;
      if (taylorTerms == 0) return false;
    }
    // Horner's rule a term at a time over the whole state, so the inner loop vectorises.
    const double dt = tout - tn;
    double* __restrict v = out.data();
    const double* __restrict top = taylor[static_cast<std::size_t>(taylorTerms - 1)].data();
    std::copy(top, top + size, v);
    for (int k = taylorTerms - 2; k >= 0; --k) {
      const double* __restrict a = taylor[static_cast<std::size_t>(k)].data();
      for (std::size_t i = 0; i < size; ++i) v[i] = v[i] * dt + a[i];
    }
    return true;
  }

  std::vector<double> perturbed, perturbedRate;  // scratch for the coloured Jacobian
  long jacobianRhs = 0;                          // RHS evaluations spent on Jacobians

  // Curtis-Powell-Reid: perturb every block of one colour at once, one state component at a
  // time; distance-2 colouring guarantees each row sees at most one perturbed block.
  static int sparseJacobian(sunrealtype t, N_Vector y, N_Vector fy, SUNMatrix jac, void* self,
                            N_Vector, N_Vector, N_Vector) {
    auto* m = static_cast<Impl*>(self);
    const BlockSparsity& sp = *m->options.sparsity;
    const std::size_t k = sp.blockSize;
    const double* y0 = N_VGetArrayPointer(y);
    const double* f0 = N_VGetArrayPointer(fy);
    const double* tol = N_VGetArrayPointer(m->tolerances);
    sunindextype* colptr = SUNSparseMatrix_IndexPointers(jac);
    sunindextype* rows = SUNSparseMatrix_IndexValues(jac);
    double* values = SUNSparseMatrix_Data(jac);
    // Structure: column (b, c) holds rows (n, q) for every neighbour n of b, in order.
    sunindextype at = 0;
    for (std::size_t b = 0; b < sp.blocks(); ++b)
      for (std::size_t c = 0; c < k; ++c) {
        colptr[b * k + c] = at;
        for (int n : sp.neighbours[b])
          for (std::size_t q = 0; q < k; ++q)
            rows[at++] = static_cast<sunindextype>(static_cast<std::size_t>(n) * k + q);
      }
    colptr[sp.blocks() * k] = at;
    std::vector<double>& yp = m->perturbed;
    std::vector<double>& fp = m->perturbedRate;
    const double root = std::sqrt(std::numeric_limits<double>::epsilon());
    for (int colour = 0; colour < sp.colours; ++colour) {
      for (std::size_t c = 0; c < k; ++c) {
        std::copy(y0, y0 + m->size, yp.begin());
        for (std::size_t b = 0; b < sp.blocks(); ++b) {
          if (sp.colour[b] != colour) continue;
          const std::size_t i = b * k + c;
          yp[i] += root * std::max(std::abs(y0[i]), 1e3 * tol[i]);
        }
        ++m->jacobianRhs;
        try {
          m->rhs(t, yp, fp);
        } catch (...) {
          return -1;
        }
        for (std::size_t b = 0; b < sp.blocks(); ++b) {
          if (sp.colour[b] != colour) continue;
          const std::size_t col = b * k + c;
          const double h = yp[col] - y0[col];
          sunindextype e = colptr[col];
          for (int n : sp.neighbours[b])
            for (std::size_t q = 0; q < k; ++q, ++e) {
              const std::size_t row = static_cast<std::size_t>(n) * k + q;
              values[e] = (fp[row] - f0[row]) / h;
            }
        }
      }
    }
    return 0;
  }
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
  // Fused vector operations (CVODE's vectors are clones of y): CVodeGetDky's linear combination
  // in one pass instead of one pass per term. At 1 Hz output it is called every second, and
  // the unfused form was a third of a 2-day ISS run (issue 15).
  N_VEnableFusedOps_Serial(m.y, SUNTRUE);
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
    if (m.options.method == Method::StiffBdf && m.options.sparsity) {
      const auto n = static_cast<sunindextype>(m.size);
      const auto nnz = static_cast<sunindextype>(m.options.sparsity->nonZeros());
      m.matrix = SUNSparseMatrix(n, n, nnz, CSC_MAT, m.context);
      m.linear = SUNLinSol_KLU(m.y, m.matrix, m.context);
      m.perturbed.resize(m.size);
      m.perturbedRate.resize(m.size);
      CVodeSetLinearSolver(m.cvode, m.linear, m.matrix);
      CVodeSetJacFn(m.cvode, &Impl::sparseJacobian);
    } else if (m.options.method == Method::StiffBdf) {
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
  m.taylorTerms = 0;
  CVodeSetStopTime(m.cvode, stopTime);
  m.t = t0;
}

bool Integrator::setStopTime(double stopTime) {
  Impl& m = *m_impl;
  assert(m.initialised);
  // CVODE's own step may have gone beyond the last time it returned; a stop time behind that
  // step can no longer be honoured.
  double reached = m.t;
  CVodeGetCurrentTime(m.cvode, &reached);
  if (stopTime <= reached) return false;
  CVodeSetStopTime(m.cvode, stopTime);
  return true;
}

Result<bool> Integrator::advance(double tout, std::span<double> y) {
  Impl& m = *m_impl;
  assert(m.initialised && y.size() == m.size);
  if (tout > m.t) {
    // Inside the step CVODE has already taken: evaluate its interpolant here. The first output
    // in a step is CVODE's own (from its Nordsieck array); later ones use the step's Taylor
    // coefficients, the same polynomial to rounding.
    double internal = m.t;
    CVodeGetCurrentTime(m.cvode, &internal);
    // Into m.y, as CVode writes it: a later advance to this same time returns m.y.
    if (tout <= internal && m.interpolate(internal, tout, {N_VGetArrayPointer(m.y), m.size})) {
      m.t = tout;
      const double* data = N_VGetArrayPointer(m.y);
      std::copy(data, data + m.size, y.begin());
      return true;
    }
    double reached = m.t;
    const int flag = CVode(m.cvode, tout, m.y, &reached, CV_NORMAL);
    m.taylorTerms = 0;
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
  s.rhsEvaluations += m_impl->jacobianRhs;
  return s;
}

}  // namespace leakhunt::network
