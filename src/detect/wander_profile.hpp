// The onset profile of a slope change under the wanders' covariance (issue 20's early 2 mm
// onsets, issue 13's onset under wander).
//
// The white noise's likelihood reads a wander that dips just before a hole as part of the loss:
// a longer test window explains the dip and the hole as one slow loss, and the profile puts the
// onset 10 to 100 min early at a quarter of the rate (docs/detection.md, "Where the 2 mm misses
// come from"). Here the residual is white noise plus the wanders the station declares, as the
// simulator draws them and wander_shape.hpp reads them: the unmeasured gas temperature's level
// and the known sources' rate (whose integral the residual carries), each a sum of sinusoids of
// periods spread uniformly over their ranges. Each is a random-coefficient regression on a
// cosine and sine at a grid of periods, so the covariance is white + B Lambda B' and the
// generalised least squares of every candidate onset costs O(k^2) through the Woodbury identity
// and prefix sums of B, k the basis's columns.
#pragma once

#include <cstdint>
#include <vector>

#include "detect/slope_change.hpp"
#include "detect/wander_shape.hpp"

namespace leakhunt::detect {

// The wanders' covariance as a basis: each column is a cosine and a sine of one frequency with
// independent coefficients of variance `prior`, so the residual's covariance is
// white + sum over columns of prior (cos cos' + sin sin'), time taken from the window's first
// point. Eight periods per wander, at the midpoints of equal shares of its uniform range.
struct WanderColumn {
  double omega = 0.0;  // [rad/s]
  double prior = 0.0;  // variance of each of its cosine and sine coefficients [kg^2]
};
std::vector<WanderColumn> wanderColumns(const WanderParts& wander);

// Per candidate onset j in [earliest, end), at index j - earliest.
struct WanderProfile {
  std::vector<double> gain;      // log-likelihood gain of a loss from j over none; NaN: no fit
  std::vector<double> rate;      // the loss L from j
  std::vector<double> variance;  // var(L) under the white noise and the declared wanders
};
// The profile by generalised least squares on the points [from, window.last()], with white
// noise of variance `white_var` and the wanders `wander`. The model is SlopeChangeWindow's: a
// level, a slope unless `flat`, and a loss L (u - u_j)+, or with `following` > 0 following the
// window's clock.
void wanderProfile(const SlopeChangeWindow& window, uint64_t from, uint64_t earliest, uint64_t end,
                   bool flat, double following, double white_var, const WanderParts& wander,
                   WanderProfile& out);

}  // namespace leakhunt::detect
