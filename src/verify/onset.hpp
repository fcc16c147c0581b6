// Onset forensics (physics.md 7): when did a leak start, and did it start as a step (puncture,
// impact, a plug popping out), a ramp (a crack opening) or an exponential growth (failing
// sealant)? Each profile is fitted to the residual inventory,
//   C(u) = a + b u - L h(u - u0; D),
// h the integrated rate shape (step: (v)+; ramp over D: v^2/2D then v - D/2; growth from 1 % of
// the final rate at u0 to all of it at u0 + D, exponential, as the scenario's `growth`), by
// least squares for every candidate onset u0 (each block) and duration D (a grid), with a, b, L
// linear. Evidence: the profile log-likelihood with the noise variance profiled out,
// -n/2 ln(RSS/n), divided by the variance inflation c (the long-run variance ratio of the best
// fit's residuals, Bartlett window of an hour: temperature wander makes neighbouring blocks
// alike, so the data hold fewer independent points than blocks), with a BIC penalty of ln n per
// nonlinear parameter (D). The onset interval is the chi2(1, 95 %) cut of the chosen profile's
// likelihood over u0, on the same scale.
#pragma once

#include <array>
#include <span>
#include <string>
#include <vector>

#include "detect/logged_events.hpp"
#include "model/station.hpp"
#include "verify/residual_tap.hpp"

namespace leakhunt::verify {

enum class OnsetProfile { Step, Ramp, Growth };
const char* toString(OnsetProfile p);

struct ProfileEvidence {
  OnsetProfile profile = OnsetProfile::Step;
  bool valid = false;
  double onset_s = 0.0;        // Unix time, best fit
  double duration_s = 0.0;     // ramp or growth length (0 for a step)
  double rate_kg_s = 0.0;      // the full rate L
  double logLikelihood = 0.0;  // on the inflated scale (see above)
  double bic = 0.0;
  double weight = 0.0;  // exp(-BIC/2), normalised over the profiles
};

struct OnsetOptions {
  double reference_s = 4.0 * 3600.0;  // data before the earliest candidate onset
  double follow_s = 6.0 * 3600.0;     // data after the latest candidate onset
  std::vector<double> durations_s = {300,   600,   1200,  1800,  2700,  3600,  5400,  7200,
                                     10800, 14400, 18000, 21600, 25200, 28800, 36000, 43200};
  double blockPeriod_s = 60.0;
  // The interval's chi2 cut is multiplied by this. The inflation above is one number for the
  // whole window; the wander near the onset moves it more than that says. Calibrated by Monte
  // Carlo on the detector tests' noise model (seeds apart from the measured ones): 1 covered
  // 90 % of steps and 81 % of 6 h ramps (docs/after-the-hole.md).
  double intervalWidening = 1.8;
  std::size_t inflationLags = 180;  // Bartlett window of the variance inflation [blocks]
};

struct OnsetResult {
  bool valid = false;
  OnsetProfile best = OnsetProfile::Step;
  std::array<ProfileEvidence, 3> profiles;                    // step, ramp, growth
  double onset_s = 0.0, onsetLow_s = 0.0, onsetHigh_s = 0.0;  // 95 %
  double inflation = 1.0;
  int points = 0;
  double windowStart_s = 0.0, windowEnd_s = 0.0;
};

// `points` of the leaking segment (time ascending); candidate onsets between `searchFrom_s` and
// `searchTo_s` (Unix time).
OnsetResult analyseOnset(std::span<const ResidualPoint> points, double searchFrom_s,
                         double searchTo_s, const OnsetOptions& options);

// A logged event, said in words, for lining up against the onset interval.
struct EventInWindow {
  double time_s = 0.0;
  std::string kind;  // hatch, repress, crew_move, patch
  std::string what;
};
std::vector<EventInWindow> eventsBetween(const detect::LoggedEvents& log,
                                         const model::Station& station, double from_s, double to_s);

}  // namespace leakhunt::verify
