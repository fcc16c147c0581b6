// A straight line through a residual series whose noise is not white (the gas temperature no
// sensor sees, sources that drift): the points are averaged in equal batches of effective time
// and the line is fitted to the batch means, so the slope's standard error comes from the
// scatter the data actually show, with nb - 2 degrees of freedom (batch means, as in
// simulation output analysis). For white noise it loses almost nothing: var ratio 1/(1-1/nb^2).
#pragma once

#include <span>

#include "verify/residual_tap.hpp"

namespace leakhunt::verify {

struct LineFit {
  bool valid = false;
  double slope = 0.0;       // [kg/s] of the residual against tau
  double slopeSigma = 0.0;  // standard error [kg/s]
  int dof = 0;              // degrees of freedom of slopeSigma
  double span_s = 0.0;      // tau covered
};

// Fits points in tau order; `batches` >= 3.
LineFit fitBatchedLine(std::span<const ResidualPoint> points, int batches);

// One-sided Student-t quantile: P(T_dof > q) = 1 - confidence.
double studentQuantile(double confidence, double dof);
// Standard normal quantile.
double normalQuantile(double confidence);

}  // namespace leakhunt::verify
