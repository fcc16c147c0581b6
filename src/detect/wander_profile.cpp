#include "detect/wander_profile.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace leakhunt::detect {

// Eight keep the largest gap between neighbouring frequencies under a tenth of the band.
constexpr int kPeriods = 8;

std::vector<WanderColumn> wanderColumns(const WanderParts& wander) {
  std::vector<WanderColumn> cols;
  const auto add = [&](double sd, double pMin, double pMax, bool integrated) {
    if (!(sd > 0.0)) return;
    for (int m = 0; m < kPeriods; ++m) {
      const double period = pMin + (m + 0.5) / kPeriods * (pMax - pMin);
      const double omega = 2.0 * std::numbers::pi / period;
      // A level's variance shared over the grid; a rate's integral has amplitude rate / omega.
      const double share = sd * sd / kPeriods;
      cols.push_back({omega, integrated ? share / (omega * omega) : share});
    }
  };
  add(wander.temperatureLevel_kg, WanderPeriods::temperatureMin_s, WanderPeriods::temperatureMax_s,
      false);
  add(wander.sourceRate_kg_s, WanderPeriods::sourceMin_s, WanderPeriods::sourceMax_s, true);
  return cols;
}

void wanderProfile(const SlopeChangeWindow& window, uint64_t from, uint64_t earliest, uint64_t end,
                   bool flat, double following, double white_var, const WanderParts& wander,
                   WanderProfile& out) {
  using Eigen::MatrixXd;
  using Eigen::VectorXd;
  const auto count = static_cast<std::size_t>(end - earliest);
  out.gain.assign(count, std::numeric_limits<double>::quiet_NaN());
  out.rate.assign(count, 0.0);
  out.variance.assign(count, 0.0);
  const std::vector<WanderColumn> cols = wanderColumns(wander);
  const Eigen::Index k = 2 * static_cast<Eigen::Index>(cols.size());
  const uint64_t last = window.last();
  const Eigen::Index n = static_cast<Eigen::Index>(last - from + 1);
  // No wanders declared: the white profile is this one.
  if (!(white_var > 0.0) || n < 4 || k == 0) return;
  const bool clocked = following > 0.0;
  // The points relative to the first: time, the loss's abscissa (time or the scaled clock) and
  // the residual. Allocated per call: estimates are made only for a segment that has alarmed.
  VectorXd u(n), x(n), y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const uint64_t seq = from + static_cast<uint64_t>(i);
    u[i] = window.tau(seq) - window.tau(from);
    x[i] = clocked ? following * (window.clock(seq) - window.clock(from)) : u[i];
    y[i] = window.value(seq) - window.value(from);
  }
  // The basis as columns, one per point (k x n): each point's cosines and sines by rotation from
  // the last point's. The points are nearly always a block apart, so there is one sincos per
  // column per distinct step instead of one per point (a third of the profile's time). Started
  // afresh every 256 points, so what the rotations add stays below 1e-6 of a cosine.
  MatrixXd Bt(k, n);
  VectorXd lambdaInv(k);
  for (std::size_t c = 0; c < cols.size(); ++c) {
    const auto row = static_cast<Eigen::Index>(2 * c);
    const double omega = cols[c].omega;
    double step = std::numeric_limits<double>::quiet_NaN(), cosStep = 1.0, sinStep = 0.0;
    for (Eigen::Index i = 0; i < n; ++i) {
      if (i % 256 == 0) {
        Bt(row, i) = std::cos(omega * u[i]);
        Bt(row + 1, i) = std::sin(omega * u[i]);
        continue;
      }
      // Effective time's steps differ in their last bits; a microsecond turns the phase of the
      // fastest column by under 4e-9 rad, so such steps count as one.
      const double d = u[i] - u[i - 1];
      if (!(std::abs(d - step) <= 1e-6)) {
        step = d;
        cosStep = std::cos(omega * d);
        sinStep = std::sin(omega * d);
      }
      const double cosPrev = Bt(row, i - 1), sinPrev = Bt(row + 1, i - 1);
      Bt(row, i) = cosPrev * cosStep - sinPrev * sinStep;
      Bt(row + 1, i) = sinPrev * cosStep + cosPrev * sinStep;
    }
    lambdaInv[row] = lambdaInv[row + 1] = 1.0 / cols[c].prior;
  }
  // Woodbury: C^-1 = (I - B M^-1 B') / W with M = W Lambda^-1 + B'B, and <a, b> = a' C^-1 b.
  // With M = L L', a' B M^-1 B' b = (Z a) . (Z b) for Z = L^-1 B'. Z is needed point by point
  // only over the onsets' test ranges, the points from the earliest onset on: one triangular
  // solve for those columns, and each onset's terms are then running sums, onsets taken from
  // the last back.
  MatrixXd M(k, k);
  M.setZero();
  M.selfadjointView<Eigen::Lower>().rankUpdate(Bt);
  M.diagonal() += white_var * lambdaInv;
  const Eigen::LLT<MatrixXd> llt(M);
  if (llt.info() != Eigen::Success) return;
  const auto lower = llt.matrixL();
  VectorXd Ze = Bt.rowwise().sum(), Zu = Bt * u, Zy = Bt * y;
  lower.solveInPlace(Ze);
  lower.solveInPlace(Zu);
  lower.solveInPlace(Zy);
  const Eigen::Index j0 = std::max<Eigen::Index>(1, static_cast<Eigen::Index>(earliest - from));
  if (j0 >= n - 1) return;
  auto Z = Bt.rightCols(n - j0);
  lower.solveInPlace(Z);
  const double W = white_var;
  const double ee = (double(n) - Ze.squaredNorm()) / W, eu = (u.sum() - Ze.dot(Zu)) / W;
  const double uu = (u.squaredNorm() - Zu.squaredNorm()) / W;
  const double ey = (y.sum() - Ze.dot(Zy)) / W, uy = (u.dot(y) - Zu.dot(Zy)) / W;
  // Sums over the points [j, n), j running down: the point count and x, u, y, x^2, x u, x y, Z and
  // Z x. For v = (x - x_j) on [j, n), zero before: <1, v> = sx - x_j s1, and so on.
  double s1 = 0.0, sx = 0.0, su = 0.0, sy = 0.0, sxx = 0.0, sxu = 0.0, sxy = 0.0;
  VectorXd sz = VectorXd::Zero(k), szx = VectorXd::Zero(k), Zv(k);
  for (Eigen::Index j = n - 1; j >= j0; --j) {
    s1 += 1.0;
    sx += x[j];
    su += u[j];
    sy += y[j];
    sxx += x[j] * x[j];
    sxu += x[j] * u[j];
    sxy += x[j] * y[j];
    sz += Z.col(j - j0);
    szx += x[j] * Z.col(j - j0);
    const uint64_t seq = from + static_cast<uint64_t>(j);
    if (seq >= end || j >= n - 1) continue;
    const double xj = x[j];
    const double ve = sx - xj * s1;
    const double vu = sxu - xj * su;
    const double vv = sxx - 2.0 * xj * sx + xj * xj * s1;
    const double vy = sxy - xj * sy;
    Zv = szx - xj * sz;
    const double cvv = (vv - Zv.squaredNorm()) / W, cve = (ve - Zv.dot(Ze)) / W;
    const double cvu = (vu - Zv.dot(Zu)) / W, cvy = (vy - Zv.dot(Zy)) / W;
    // Frisch-Waugh in the C metric: v and y residualised on the nuisance (1, and u unless flat).
    double rvv = cvv - cve * cve / ee, rvy = cvy - cve * ey / ee;
    if (!flat) {
      const double uuR = uu - eu * eu / ee;  // u residualised on 1
      const double vuR = cvu - cve * eu / ee, yuR = uy - ey * eu / ee;
      rvv -= vuR * vuR / uuR;
      rvy -= vuR * yuR / uuR;
    }
    if (!(rvv > 0.0)) continue;
    // The regressor of a loss is -v: L = -<v~, y> / <v~, v~>.
    const auto at = static_cast<std::size_t>(seq - earliest);
    out.gain[at] = 0.5 * rvy * rvy / rvv;
    out.rate[at] = -rvy / rvv;
    out.variance[at] = 1.0 / rvv;
  }
}

}  // namespace leakhunt::detect
