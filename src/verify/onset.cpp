#include "verify/onset.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>

#include "base/confidence.hpp"

namespace leakhunt::verify {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Integrated rate shape h(v; D) [hours of full-rate loss], v and D in hours.
double shape(OnsetProfile p, double v, double d) {
  if (v <= 0.0) return 0.0;
  switch (p) {
    case OnsetProfile::Step:
      return v;
    case OnsetProfile::Ramp:
      return v < d ? 0.5 * v * v / d : v - 0.5 * d;
    case OnsetProfile::Growth: {
      // rate = 0.01 exp(k v) up to v = D, k = ln(100) / D; then 1.
      const double k = std::log(100.0) / d;
      if (v < d) return 0.01 * (std::exp(k * v) - 1.0) / k;
      return 0.99 / k + (v - d);
    }
  }
  return 0.0;
}

struct Window {
  std::vector<double> u, y, t;  // u in hours from the first point; y in kg
  double syy = 0.0;
  Eigen::Matrix2d base;  // sums of [1 u]^T [1 u]
  Eigen::Vector2d baseY;
};

struct Fit {
  double rss = kInf;
  double rate = 0.0;  // kg per hour
  Eigen::Vector3d beta = Eigen::Vector3d::Zero();
};

Fit fitAt(const Window& w, OnsetProfile p, double u0, double d) {
  double sh = 0.0, suh = 0.0, shh = 0.0, syh = 0.0;
  const std::size_t first =
      static_cast<std::size_t>(std::upper_bound(w.u.begin(), w.u.end(), u0) - w.u.begin());
  for (std::size_t i = first; i < w.u.size(); ++i) {
    const double h = shape(p, w.u[i] - u0, d);
    sh += h;
    suh += w.u[i] * h;
    shh += h * h;
    syh += w.y[i] * h;
  }
  Eigen::Matrix3d a;
  a.topLeftCorner<2, 2>() = w.base;
  a(0, 2) = a(2, 0) = -sh;
  a(1, 2) = a(2, 1) = -suh;
  a(2, 2) = shh;
  Eigen::Vector3d rhs(w.baseY(0), w.baseY(1), -syh);
  Fit f;
  Eigen::LDLT<Eigen::Matrix3d> ldlt(a);
  if (ldlt.info() != Eigen::Success) return f;
  f.beta = ldlt.solve(rhs);
  f.rate = f.beta(2);
  if (!(f.rate > 0.0)) return f;  // only losses
  f.rss = std::max(w.syy - f.beta.dot(rhs), 1e-300);
  return f;
}

// Long-run variance ratio of the best fit's residuals, 1 + 2 sum_k (1 - k/(L+1)) rho_k
// (Bartlett window, L = `lags` blocks): the gas temperature wander correlates blocks over hours,
// so the data hold fewer independent points than blocks.
double longRunInflation(const Window& w, OnsetProfile p, double u0, double d, const Fit& f,
                        std::size_t lags) {
  const std::size_t n = w.u.size();
  std::vector<double> e(n);
  for (std::size_t i = 0; i < n; ++i)
    e[i] = w.y[i] - f.beta(0) - f.beta(1) * w.u[i] + f.beta(2) * shape(p, w.u[i] - u0, d);
  double s0 = 0.0;
  for (double x : e) s0 += x * x;
  double c = 1.0;
  for (std::size_t k = 1; k <= lags && k < n; ++k) {
    double sk = 0.0;
    for (std::size_t i = k; i < n; ++i) sk += e[i] * e[i - k];
    c += 2.0 * (1.0 - static_cast<double>(k) / static_cast<double>(lags + 1)) * sk / s0;
  }
  return std::max(1.0, c);
}

}  // namespace

const char* toString(OnsetProfile p) {
  switch (p) {
    case OnsetProfile::Step:
      return "step";
    case OnsetProfile::Ramp:
      return "ramp";
    case OnsetProfile::Growth:
      return "growth";
  }
  return "?";
}

OnsetResult analyseOnset(std::span<const ResidualPoint> points, double searchFrom_s,
                         double searchTo_s, const OnsetOptions& o) {
  OnsetResult r;
  r.windowStart_s = searchFrom_s - o.reference_s;
  r.windowEnd_s = searchTo_s + o.follow_s;
  Window w;
  double tau0 = 0.0, y0 = 0.0;
  for (const ResidualPoint& p : points) {
    if (p.time_s < r.windowStart_s || p.time_s > r.windowEnd_s) continue;
    if (w.u.empty()) {
      tau0 = p.tau_s;
      y0 = p.residual_kg;
    }
    w.u.push_back((p.tau_s - tau0) / 3600.0);
    w.y.push_back(p.residual_kg - y0);
    w.t.push_back(p.time_s);
  }
  const std::size_t n = w.u.size();
  r.points = static_cast<int>(n);
  if (n < 20) return r;
  w.base.setZero();
  w.baseY.setZero();
  for (std::size_t i = 0; i < n; ++i) {
    const Eigen::Vector2d x(1.0, w.u[i]);
    w.base += x * x.transpose();
    w.baseY += x * w.y[i];
    w.syy += w.y[i] * w.y[i];
  }
  // Candidate onsets: every block in the search range, then a quarter-block grid around the
  // best ones (an onset falls anywhere inside a block; a block grid alone misfits a step).
  std::vector<double> candidates;  // u0 [h]
  for (std::size_t j = 1; j + 3 < n; ++j)
    if (w.t[j] >= searchFrom_s && w.t[j] <= searchTo_s) candidates.push_back(w.u[j]);
  if (candidates.empty()) return r;
  const double step_h = o.blockPeriod_s / 3600.0;
  const std::array<OnsetProfile, 3> kinds{OnsetProfile::Step, OnsetProfile::Ramp,
                                          OnsetProfile::Growth};
  const double nd = static_cast<double>(n);
  struct Best {
    double nll = kInf;
    double u0 = 0.0;
    double d = 0.0;
    Fit fit;
  };
  std::array<Best, 3> best;
  // Profile over the duration of n ln RSS at each u0, per profile.
  std::array<std::vector<std::pair<double, double>>, 3> profile;  // (u0, n ln RSS)
  auto evaluate = [&](std::size_t k, double u0) {
    std::vector<double> durations = o.durations_s;
    if (kinds[k] == OnsetProfile::Step) durations = {0.0};
    double bestHere = kInf;
    for (double d_s : durations) {
      const Fit f = fitAt(w, kinds[k], u0, d_s / 3600.0);
      if (!std::isfinite(f.rss)) continue;
      const double v = nd * std::log(f.rss / nd);
      bestHere = std::min(bestHere, v);
      if (v < best[k].nll) best[k] = Best{v, u0, d_s, f};
    }
    profile[k].emplace_back(u0, bestHere);
  };
  for (std::size_t k = 0; k < 3; ++k) {
    for (double u0 : candidates) evaluate(k, u0);
    if (!std::isfinite(best[k].nll)) continue;
    // Refine between blocks near the minimum (generously: the cut below is inflated).
    const std::vector<std::pair<double, double>> coarse = profile[k];
    for (const auto& [u0, v] : coarse)
      if ((v - best[k].nll) / std::max(1.0, r.inflation) <= 3.0 * o.intervalWidening * kChi2_95)
        for (double f : {-0.75, -0.5, -0.25, 0.25, 0.5, 0.75}) evaluate(k, u0 + f * step_h);
  }
  // Inflation from the overall best fit's residuals.
  std::size_t top = 0;
  for (std::size_t k = 1; k < 3; ++k)
    if (best[k].nll < best[top].nll) top = k;
  if (!std::isfinite(best[top].nll)) return r;
  r.inflation = longRunInflation(w, kinds[top], best[top].u0, best[top].d / 3600.0, best[top].fit,
                                 o.inflationLags);
  // Time of a u0: tau runs with wall time between dropped increments; interpolate on points.
  auto timeOf = [&](double u0) {
    const std::size_t i =
        static_cast<std::size_t>(std::lower_bound(w.u.begin(), w.u.end(), u0) - w.u.begin());
    const std::size_t j = std::min(i, n - 1);
    return w.t[j] + (u0 - w.u[j]) * 3600.0;
  };
  const double lnN = std::log(nd);
  double bicMin = kInf;
  for (std::size_t k = 0; k < 3; ++k) {
    ProfileEvidence& e = r.profiles[k];
    e.profile = kinds[k];
    e.valid = std::isfinite(best[k].nll);
    if (!e.valid) continue;
    e.onset_s = timeOf(best[k].u0);
    e.duration_s = best[k].d;
    e.rate_kg_s = best[k].fit.rate / 3600.0;
    e.logLikelihood = -0.5 * best[k].nll / r.inflation;
    const int nonlinear = kinds[k] == OnsetProfile::Step ? 1 : 2;
    e.bic = -2.0 * e.logLikelihood + nonlinear * lnN;
    bicMin = std::min(bicMin, e.bic);
  }
  double total = 0.0;
  for (ProfileEvidence& e : r.profiles)
    if (e.valid) total += (e.weight = std::exp(-0.5 * (e.bic - bicMin)));
  std::size_t chosen = 0;
  for (std::size_t k = 0; k < 3; ++k) {
    r.profiles[k].weight /= total;
    if (r.profiles[k].valid &&
        (!r.profiles[chosen].valid || r.profiles[k].bic < r.profiles[chosen].bic))
      chosen = k;
  }
  r.best = kinds[chosen];
  r.onset_s = r.profiles[chosen].onset_s;
  // Interval: onsets within the chi2 cut of the chosen profile, on the inflated scale, padded by
  // the quarter-block grid.
  double lo = kInf, hi = -kInf;
  for (const auto& [u0, v] : profile[chosen]) {
    if ((v - best[chosen].nll) / r.inflation > o.intervalWidening * kChi2_95) continue;
    lo = std::min(lo, u0);
    hi = std::max(hi, u0);
  }
  r.onsetLow_s = timeOf(lo) - 0.25 * o.blockPeriod_s;
  r.onsetHigh_s = timeOf(hi) + 0.25 * o.blockPeriod_s;
  r.valid = true;
  return r;
}

std::vector<EventInWindow> eventsBetween(const detect::LoggedEvents& log,
                                         const model::Station& station, double from_s,
                                         double to_s) {
  std::vector<EventInWindow> out;
  auto inside = [&](double t) { return t >= from_s && t <= to_s; };
  for (const detect::LoggedHatch& h : log.hatches)
    if (inside(h.time_s))
      out.push_back({h.time_s, "hatch",
                     station.hatches[static_cast<std::size_t>(h.hatch)].id +
                         (h.open ? " opened" : " closed")});
  for (const detect::LoggedRepress& p : log.represses)
    if (p.end_s >= from_s && p.start_s <= to_s)
      out.push_back({p.start_s, "repress",
                     std::to_string(p.mass_kg) + " kg into " +
                         station.modules[static_cast<std::size_t>(p.module)].id});
  for (const detect::LoggedCrewMove& m : log.crewMoves)
    if (inside(m.time_s))
      out.push_back({m.time_s, "crew_move",
                     station.crew[static_cast<std::size_t>(m.crew)].id + " to " +
                         station.modules[static_cast<std::size_t>(m.module)].id});
  for (const detect::LoggedPatch& p : log.patches)
    if (inside(p.time_s)) out.push_back({p.time_s, "patch", p.leak + " patched"});
  std::sort(out.begin(), out.end(),
            [](const EventInWindow& a, const EventInWindow& b) { return a.time_s < b.time_s; });
  return out;
}

}  // namespace leakhunt::verify
