#include "detect/wander_shape.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <mutex>
#include <numbers>

namespace leakhunt::detect {

namespace {

using Complex = std::complex<double>;

constexpr double kPeriod_s = 60.0;  // the detectors' block: one point a minute
constexpr double kShortest_s = 60.0;
constexpr double kLongest_s = 26.0 * 3600.0;  // past the detectors' longest windows (24 h)
constexpr int kGrid = 72;                     // lengths per axis, geometric: 1.11 apart
// Midpoint nodes per oscillation of the response in frequency (2 pi / span apart).
constexpr double kNodesPerOscillation = 6.0;

// The fit as the detector makes it: points `period` apart, k = -a .. b with the onset at k = 0
// (a reference of a points, a test of b), least squares on the columns 1, k and k+ (the flat fit
// drops k). `row` is the row of the normal equations' inverse that gives c per unit k.
struct FitWeights {
  double a = 0.0, b = 0.0;
  Eigen::Vector3d row = Eigen::Vector3d::Zero();
};

FitWeights fitWeights(SlopeFit fit, double a, double b) {
  FitWeights w;
  w.a = a;
  w.b = b;
  // Sums of 1, k, k^2 over -a..b, and of k, k^2 over 0..b.
  const double m0 = a + b + 1.0;
  const double m1 = b * (b + 1.0) / 2.0 - a * (a + 1.0) / 2.0;
  const double p1 = b * (b + 1.0) / 2.0;
  const double p2 = b * (b + 1.0) * (2.0 * b + 1.0) / 6.0;
  const double m2 = p2 + a * (a + 1.0) * (2.0 * a + 1.0) / 6.0;
  if (fit == SlopeFit::Hinge) {
    Eigen::Matrix3d m;
    m << m0, m1, p1, m1, m2, p2, p1, p2, p2;
    const Eigen::Vector3d d = m.diagonal().cwiseSqrt().cwiseInverse();
    const Eigen::Matrix3d inv = (d.asDiagonal() * m * d.asDiagonal()).fullPivLu().inverse();
    w.row = (d.asDiagonal() * inv * d.asDiagonal()).row(2).transpose();
  } else {
    Eigen::Matrix2d m;
    m << m0, p1, p1, p2;
    const Eigen::Vector2d d = m.diagonal().cwiseSqrt().cwiseInverse();
    const Eigen::Matrix2d inv = (d.asDiagonal() * m * d.asDiagonal()).fullPivLu().inverse();
    const Eigen::Vector2d row = (d.asDiagonal() * inv * d.asDiagonal()).row(1).transpose();
    w.row = Eigen::Vector3d(row(0), 0.0, row(1));
  }
  return w;
}

// Sum of z^k and of k z^k for k = 0..n, z on the unit circle at angle `theta` (not 0).
void geometric(double theta, double n, Complex& s0, Complex& s1) {
  const Complex z = std::polar(1.0, theta), zn = std::polar(1.0, theta * n);
  const Complex one(1.0, 0.0), d = one - z;
  s0 = (one - zn * z) / d;
  s1 = z * (one - (n + 1.0) * zn + n * zn * z) / (d * d);
}

// |H|^2 of the fit at `theta` radians per point: the response of c (per point) to e^{i theta k}.
double response2(const FitWeights& w, double theta) {
  Complex f0, f1, g0, g1;
  geometric(theta, w.b, f0, f1);   // k = 0..b
  geometric(-theta, w.a, g0, g1);  // j = 0..a for k = -j
  const Complex v0 = f0 + g0 - 1.0;
  const Complex v1 = f1 - g1;
  const Complex h = w.row(0) * v0 + w.row(1) * v1 + w.row(2) * f1;
  return std::norm(h);
}

// E over the wander's periods (uniform on [pMin, pMax]) of |H(2 pi / P)|^2 / omega^power, c per
// second.
double expected(SlopeFit fit, double reference_s, double test_s, double pMin, double pMax,
                int power) {
  const double rs = std::clamp(reference_s, kShortest_s, kLongest_s);
  const double ts = std::clamp(test_s, kShortest_s, kLongest_s);
  // Counts of points in closed forms that are smooth in them: exact at whole counts (the
  // detectors' windows), and a smooth surface between them for the table.
  const FitWeights w = fitWeights(fit, rs / kPeriod_s, ts / kPeriod_s);
  // Midpoints uniform in frequency, where the response oscillates evenly (about 2 pi / span
  // apart), weighted by the density of omega = 2 pi / P for P uniform: 2 pi / omega^2 / (pMax -
  // pMin).
  const double wLow = 2.0 * std::numbers::pi / pMax, wHigh = 2.0 * std::numbers::pi / pMin;
  const double span = (w.a + w.b) * kPeriod_s;
  const int nodes = std::clamp(
      int(std::ceil(kNodesPerOscillation * span * (wHigh - wLow) / (2.0 * std::numbers::pi))), 32,
      4096);
  const double dw = (wHigh - wLow) / nodes;
  double sum = 0.0;
  for (int k = 0; k < nodes; ++k) {
    const double omega = wLow + dw * (k + 0.5);
    const double density = 2.0 * std::numbers::pi / (omega * omega) / (pMax - pMin);
    sum += density * dw * response2(w, omega * kPeriod_s) / std::pow(omega, power);
  }
  return sum / (kPeriod_s * kPeriod_s);
}

// log variance per unit wander at grid cell (reference k, test l), both kinds, each cell
// computed on its first read: a detector reads a small corner of the grid (about 15 us a cell),
// and a process that detects nothing pays nothing.
struct Cell {
  double source = 0.0, temperature = 0.0;
};

class Table {
 public:
  explicit Table(SlopeFit fit) : m_fit(fit) {}
  const Cell& cell(int k, int l) {
    const auto i = std::size_t(k * kGrid + l);
    std::call_once(m_once[i], [&] {
      const double r = length(k), t = length(l);
      m_cells[i] = {std::log(unitSourceSlopeVariance(m_fit, r, t)),
                    std::log(unitTemperatureSlopeVariance(m_fit, r, t))};
    });
    return m_cells[i];
  }

 private:
  static double length(int k) {
    return std::exp(std::log(kShortest_s) +
                    (std::log(kLongest_s) - std::log(kShortest_s)) * k / (kGrid - 1));
  }
  SlopeFit m_fit;
  std::array<std::once_flag, kGrid * kGrid> m_once;
  std::array<Cell, kGrid * kGrid> m_cells;
};

Table& table(SlopeFit fit) {
  static Table hinge(SlopeFit::Hinge), flat(SlopeFit::Flat);
  return fit == SlopeFit::Hinge ? hinge : flat;
}

// Catmull-Rom in (log reference, log test) of the log variance: the variance falls by decades
// over a few grid steps once the test outlasts the periods, where a bilinear read is 20 % off.
// Both kinds in one pass: the test calls this for every candidate onset of every block.
Cell interpolate(Table& table, double reference_s, double test_s) {
  const double lo = std::log(kShortest_s), step = (std::log(kLongest_s) - lo) / (kGrid - 1);
  const auto cell = [&](double x, int& k, double& f) {
    const double u = std::clamp((std::log(std::clamp(x, kShortest_s, kLongest_s)) - lo) / step, 0.0,
                                double(kGrid - 1));
    k = std::min(int(u), kGrid - 2);
    f = u - k;
  };
  const auto weights = [](double f) {
    const double f2 = f * f, f3 = f2 * f;
    return std::array<double, 4>{0.5 * (-f3 + 2.0 * f2 - f), 0.5 * (3.0 * f3 - 5.0 * f2 + 2.0),
                                 0.5 * (-3.0 * f3 + 4.0 * f2 + f), 0.5 * (f3 - f2)};
  };
  int ir = 0, it = 0;
  double fr = 0.0, ft = 0.0;
  cell(reference_s, ir, fr);
  cell(test_s, it, ft);
  const std::array<double, 4> wr = weights(fr), wt = weights(ft);
  // Past the table's edge the end value is repeated (the clamp above keeps reads inside it).
  Cell l;
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) {
      const Cell& c =
          table.cell(std::clamp(ir - 1 + i, 0, kGrid - 1), std::clamp(it - 1 + j, 0, kGrid - 1));
      l.source += wr[i] * wt[j] * c.source;
      l.temperature += wr[i] * wt[j] * c.temperature;
    }
  return {std::exp(l.source), std::exp(l.temperature)};
}

}  // namespace

double unitSourceSlopeVariance(SlopeFit fit, double reference_s, double test_s) {
  // The residual carries the rate's integral: a sinusoid of the rate of angular frequency w is
  // one of the residual 1/w the size. Four terms of weight sqrt(1/2): unit variance in all.
  return expected(fit, reference_s, test_s, WanderPeriods::sourceMin_s, WanderPeriods::sourceMax_s,
                  2);
}

double unitTemperatureSlopeVariance(SlopeFit fit, double reference_s, double test_s) {
  return expected(fit, reference_s, test_s, WanderPeriods::temperatureMin_s,
                  WanderPeriods::temperatureMax_s, 0);
}

OnePeriodWander onePeriodWander(const WanderParts& wander, double period_s) {
  const double omega = 2.0 * std::numbers::pi / period_s;
  const double s2 = wander.sourceRate_kg_s * wander.sourceRate_kg_s;
  const double t2 = wander.temperatureLevel_kg * wander.temperatureLevel_kg;
  return {std::sqrt(s2 + t2 * omega * omega), std::sqrt(t2 + s2 / (omega * omega))};
}

double wanderSlopeVariance(const WanderParts& wander, SlopeFit fit, double reference_s,
                           double test_s) {
  const Cell unit = interpolate(table(fit), reference_s, test_s);
  return wander.sourceRate_kg_s * wander.sourceRate_kg_s * unit.source +
         wander.temperatureLevel_kg * wander.temperatureLevel_kg * unit.temperature;
}

}  // namespace leakhunt::detect
