// How much the residual's wander moves a fitted change of slope, from the wanders' spectra
// (docs/detection.md, "The hinge's wander from the wanders' spectra").
//
// The station file declares each wander's size, not its time scales. Those are the simulator's
// generators' (network/smooth_noise.hpp, docs/simulator.md): each wander is four sinusoids whose
// periods are drawn uniformly, 0.5 to 6 h for the sources' rates and 1 to 8 h for the gas
// temperature no thermometer sees. The books take the same shapes (books_model.hpp).
//
// A least-squares fit is linear in the data, so the variance a stationary wander gives it is
// the fit's squared frequency response averaged over the wander's spectrum. Computed for unit
// wanders on a grid of reference and test lengths, each cell on its first read, and read by
// interpolation. The one-period formula it corrects (slope_change_test.hpp's envelope) is 0.25x
// to 2.5x of it, depending on the lengths.
#pragma once

namespace leakhunt::detect {

// The two kinds of wander a residual carries, as sd: the known sources' rate (machines and crew,
// [kg/s]; the residual carries its integral) and the unmeasured gas temperature's level ([kg] of
// air; the residual carries it as it is).
struct WanderParts {
  double sourceRate_kg_s = 0.0;
  double temperatureLevel_kg = 0.0;
};

// The same wanders seen as one wander of period `period_s`: the sd of the residual's slope and
// of its level. The older, coarser model (slope_change_test.hpp's envelope, slopeSigma's line
// fits): a level wander u moves the slope by u 2 pi / period, a rate wander r the level by
// r period / (2 pi).
struct OnePeriodWander {
  double rate_kg_s = 0.0;
  double level_kg = 0.0;
};
OnePeriodWander onePeriodWander(const WanderParts& wander, double period_s);

// The periods of the simulator's generators [s].
struct WanderPeriods {
  static constexpr double sourceMin_s = 0.5 * 3600.0, sourceMax_s = 6.0 * 3600.0;
  static constexpr double temperatureMin_s = 1.0 * 3600.0, temperatureMax_s = 8.0 * 3600.0;
};

enum class SlopeFit {
  Hinge,  // a + b t + c (t - t0)+ over [t0 - reference, t0 + test]: c, the change of slope
  Flat,   // a + c (t - t0)+ over the same span: c against a flat baseline
};

// Variance [(kg/s)^2] of the fitted c that `wander` gives a fit of `fit`'s shape over
// `reference_s` before the onset and `test_s` after it (each clamped to 1 min to 26 h), on
// points a minute apart (the detectors' block).
double wanderSlopeVariance(const WanderParts& wander, SlopeFit fit, double reference_s,
                           double test_s);

// The same for unit wanders, computed directly (not from the table): for tests and the table.
double unitSourceSlopeVariance(SlopeFit fit, double reference_s, double test_s);
double unitTemperatureSlopeVariance(SlopeFit fit, double reference_s, double test_s);

}  // namespace leakhunt::detect
