#include "verify/batch_line_fit.hpp"

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <vector>

namespace leakhunt::verify {

double studentQuantile(double confidence, double dof) {
  return boost::math::quantile(boost::math::students_t(dof), confidence);
}

double normalQuantile(double confidence) {
  return boost::math::quantile(boost::math::normal(), confidence);
}

LineFit fitBatchedLine(std::span<const ResidualPoint> points, int batches) {
  LineFit out;
  if (points.size() < static_cast<std::size_t>(2 * batches) || batches < 3) return out;
  const double t0 = points.front().tau_s, t1 = points.back().tau_s;
  out.span_s = t1 - t0;
  if (!(out.span_s > 0.0)) return out;
  // Batch means in equal tau bins, relative to the first point for round-off.
  std::vector<double> su(batches, 0.0), sy(batches, 0.0), n(batches, 0.0);
  const double y0 = points.front().residual_kg;
  for (const ResidualPoint& p : points) {
    const double u = p.tau_s - t0;
    int b = static_cast<int>(u / out.span_s * batches);
    if (b >= batches) b = batches - 1;
    su[b] += u;
    sy[b] += p.residual_kg - y0;
    n[b] += 1.0;
  }
  double cu = 0.0, cy = 0.0, m = 0.0;
  for (int b = 0; b < batches; ++b) {
    if (n[b] == 0.0) continue;
    su[b] /= n[b];
    sy[b] /= n[b];
    cu += su[b];
    cy += sy[b];
    m += 1.0;
  }
  if (m < 3.0) return out;
  cu /= m;
  cy /= m;
  double suu = 0.0, suy = 0.0;
  for (int b = 0; b < batches; ++b) {
    if (n[b] == 0.0) continue;
    suu += (su[b] - cu) * (su[b] - cu);
    suy += (su[b] - cu) * (sy[b] - cy);
  }
  out.slope = suy / suu;
  double rss = 0.0;
  for (int b = 0; b < batches; ++b) {
    if (n[b] == 0.0) continue;
    const double e = sy[b] - cy - out.slope * (su[b] - cu);
    rss += e * e;
  }
  out.dof = static_cast<int>(m) - 2;
  out.slopeSigma = std::sqrt(rss / out.dof / suu);
  out.valid = true;
  return out;
}

}  // namespace leakhunt::verify
