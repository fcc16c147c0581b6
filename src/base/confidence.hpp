// The 95 % two-sided confidence level, in the two forms the estimators use: the normal quantile
// (an interval is the estimate +- kZ95 sigma) and the chi-square quantile with one degree of
// freedom (a profile-likelihood interval is where 2 log L falls by at most kChi2_95).
#pragma once

namespace leakhunt {

inline constexpr double kZ95 = 1.959963984540054;
inline constexpr double kChi2_95 = kZ95 * kZ95;  // 3.841458820694...

}  // namespace leakhunt
