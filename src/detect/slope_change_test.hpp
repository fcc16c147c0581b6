// A windowed GLR test for the onset of a loss in a cumulative residual series, with its
// threshold set from a false-alarm rate, and the estimates that follow an alarm (physics.md 5).
//
// Noise model of the residual y (documented in docs/detection.md):
//   y = a + b t + x(t) + e,   e white with sd `whiteSigma` per point (estimated online from
//   second differences, which cancel any smooth part), and x the wanders no sensor sees: the
//   integral of the known sources' rate wander and the unmeasured gas temperature's level
//   wander (WanderParts). What a wander does to a fitted change of slope depends on the fit's
//   reference and test lengths and on the wander's spectrum: wander_shape.hpp computes it. The
//   test takes the larger of that and a one-period envelope (the same wanders as one of
//   `wanderPeriod_s`, through a window's half-power factor, and a level's tilt of a short
//   window weighted `levelTilt`), whose slow tail stands for drifts no station file declares.
//   And a creep of known shape and unknown size (the trace gases of a station not yet at its
//   balance, issue 18): a series c pushed beside y, 1 sd of a drift whose amplitude is unknown;
//   each fit's change of slope of c is added to the variance as its square.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "detect/slope_change.hpp"
#include "detect/wander_shape.hpp"

namespace leakhunt::detect {

struct SlopeChangeOptions {
  double period_s = 60.0;           // spacing of the points [s]
  double minTest_s = 180.0;         // shortest window after a candidate onset
  double maxTest_s = 86400.0;       // longest (sets how slow a leak can be found)
  double minReference_s = 3600.0;   // baseline needed before a candidate onset
  double maxReference_s = 86400.0;  // baseline used at most
  double falseAlarmRate_per_s = 1.0 / (365.25 * 86400.0);
  // Effectively independent tests per point: the max over onsets of correlated statistics.
  // Set from the upcrossings of z on the calibration stations' leak-free runs (`campaign
  // --json`, false_alarms.excursions): the worst, an outpost twin, extrapolates to K_eff about
  // 4-5 at the threshold, so 10 holds the stated rate there with the books' margin (expected
  // about half of it). docs/detection.md, "Excursions".
  double effectiveTests = 10.0;
  // The one-period envelope (above, and slopeSigma's line fits below): a period, and the weight
  // of the level's tilt of a short window (1: the full misfit of a line to the wandering level;
  // calibrated by Monte Carlo against the false-alarm rate, docs/detection.md).
  double wanderPeriod_s = 3.0 * 3600.0;
  double levelTilt = 0.8;
  // Slow branch: test windows of slowMinTest_s to maxTest_s against a flat baseline (the known
  // sources are subtracted, so the residual's slope is zero without a leak), with only
  // slowReference_s before the onset to fix the level. It takes `slowShare` of the false-alarm
  // budget; the hinge test above takes the rest. 0 turns it off.
  double slowShare = 0.25;
  double slowMinTest_s = 2.0 * 3600.0;
  double slowReference_s = 2.0 * 3600.0;
};

struct SlopeChangeDecision {
  bool alarm = false;
  double z = 0.0;      // max over onsets of L / sd(L) (only losses count)
  uint64_t onset = 0;  // sequence number of the best onset
  SlopeChangeFit fit;
  double rateSigma = 0.0;  // sd of the rate under the noise model [units/s]
  // The slow branch (flat baseline, long windows): its best z and onset.
  double slowZ = 0.0;
  uint64_t slowOnset = 0;
  bool slowAlarm = false;
};

// Estimates of a loss whose onset lies in a given range (profile likelihood over the onset).
struct LossEstimate {
  bool valid = false;
  uint64_t onset = 0;        // the white profile's onset point, where the rate is read
  double onsetTime_s = 0.0;  // `time` of the onset reported (estimate())
  double onsetLow_s = 0.0;   // 95 % profile-likelihood interval (both profiles' cuts)
  double onsetHigh_s = 0.0;
  double rate = 0.0;  // [units/s], > 0 is a loss
  double rateSigma = 0.0;
  double testLength_s = 0.0;
};

class SlopeChangeTest {
 public:
  // Allowances of known shape and independent unknown amplitudes beside the creep's: a logged
  // repress's mass error, one series per repress within a window's span (the detector assigns
  // them). Each is 1 sd of its drift, cumulative like y.
  static constexpr std::size_t kEventAllowances = 4;
  using EventAllowances = std::array<double, kEventAllowances>;

  // `whiteSigmaPrior`: sd of the white noise per point before data say otherwise.
  SlopeChangeTest(const SlopeChangeOptions& options, double whiteSigmaPrior,
                  const WanderParts& wander);

  // Forget the history (a new segment, or after an alarm in a Monte Carlo).
  void reset();
  // Continue the histories of segments that merged into this one (a hatch reopened): the
  // merged residual is the sum of the parts' residuals at the blocks they all have, so the
  // merged segment keeps their reference instead of starting a fresh hour. Effective time
  // follows the first part. The white noise adds (the parts' noises are independent).
  void continueFrom(std::span<const SlopeChangeTest* const> parts);
  // Continue the history of a segment this one was split from (a hatch closed): the part's
  // residual is taken as `share` of the whole's (its share of the inventory), so a hole that
  // opens as the hatch closes shows as a change of slope at once instead of a part born with a
  // slope and no reference before it. The white noise is the part's own from here on.
  void continueAsPart(const SlopeChangeTest& whole, double share);
  // Effective time, residual, creep and event allowances of the last point (0 when empty).
  double lastTau() const;
  double lastValue() const;
  double lastCreep() const;
  EventAllowances lastEvents() const;
  // A new point; evaluates every candidate onset in the window. `time_s` is carried along for
  // reporting (the test itself works on `tau_s`, which need not be wall time). `creep`: the
  // creep allowance's series at this point (1 sd of a drift of known shape; 0: none), in the
  // units of y, continued like y across the same gaps. `pressure`: the segment's pressure over
  // the block (any unit; 0: unknown), which a hole's choked flow follows, so that an estimate
  // is of the rate now and not the window's average (estimate()).
  SlopeChangeDecision push(double tau_s, double y, double time_s, double creep = 0.0,
                           double pressure = 0.0, const EventAllowances& events = {});
  // The onset profile over candidate onsets at or after sequence `earliest`. The rate is the
  // rate at the last point: where the pressures were pushed, every candidate's fit takes the
  // loss after its onset to follow them (a hole's choked flow is proportional to the cabin
  // pressure), so a hole that has drawn a small segment down is neither reported at the higher
  // rate it had an hour ago nor given an onset drawn early to bend a straight line to its curve.
  // Two profiles are made: the white noise's and the declared wanders' (wander_profile.hpp).
  // Where their best onsets differ, the rate's interval is the union of both onsets' intervals
  // (centred) and the onset's the union of both cuts. The onset reported is the white one's
  // unless the loss is young (two hours), when the wanders' is the closer.
  LossEstimate estimate(uint64_t earliest) const;
  // The same for a loss found by the slow branch: against a flat baseline (the known sources
  // are subtracted, so the slope before the onset is zero). A segment that formed with the
  // leak already in it has no change of slope to see, only a slope; this measures that.
  LossEstimate estimateFlat(uint64_t earliest) const;

  double threshold() const { return m_threshold; }
  double slowThreshold() const { return m_slowThreshold; }
  double whiteSigma() const;
  // The same wanders as one of options.wanderPeriod_s (the residual stream's SegmentNoise).
  const OnePeriodWander& envelope() const { return m_envelope; }
  const SlopeChangeWindow& window() const { return m_window; }
  // The wander variance of the change of slope fitted over these lengths: a hinge (a reference
  // slope and a test slope), or against a flat baseline (the reference fixes the level only).
  double wanderVariance(double testLength_s, double referenceLength_s) const;
  double flatWanderVariance(double testLength_s, double referenceLength_s) const;

 private:
  LossEstimate estimateWith(uint64_t earliest, bool flat) const;
  void learnWhiteNoise(double y);
  SlopeChangeDecision evaluate();
  void evaluateSlow(SlopeChangeDecision& d) const;
  // The allowances' variance of the fit on [from, last] with its onset at `onset`: the sum of
  // each series' fitted change of slope squared (independent amplitudes).
  double allowanceVariance(uint64_t from, uint64_t onset, uint64_t last, bool flat,
                           double following) const;
  void pushPoint(double tau_s, double y, double time_s, double creep, double pressure,
                 const EventAllowances& events);
  void prepareAll();
  // The scale that makes the estimate's fits follow the pushed pressures (the rate now, for a
  // hole's choked flow) over onsets after `earliest`; 0 (the plain fit) where they cannot.
  double followingScale(uint64_t earliest) const;

  SlopeChangeOptions m_options;
  SlopeChangeWindow m_window;
  // The allowances point by point beside m_window (the same taus, so the same sequence
  // numbers): the creep first, then the events; each read only once it has been non-zero.
  struct Allowance {
    SlopeChangeWindow series;
    bool seen = false;
  };
  std::vector<Allowance> m_allowances;
  // The segment's pressure point by point beside m_window (never prepared: only read).
  SlopeChangeWindow m_pressure;
  double m_pressureTime = 0.0;  // the pressures' integral over tau to the last point
  double m_threshold;
  double m_slowThreshold;
  WanderParts m_wander;
  OnePeriodWander m_envelope;  // the same wanders as one of options.wanderPeriod_s
  double m_whitePrior_var;
  double m_white_var;
  double m_whiteWeight = 0.0;  // pseudo-observations behind m_white_var
  double m_y1 = 0.0, m_y2 = 0.0;
  int m_recent = 0;  // consecutive points seen since reset (for second differences)
  // The first point of this segment's own (not one inherited by continueAsPart).
  uint64_t m_ownFrom = 0;
};

// The sd of a loss rate fitted by least squares to `points` points `options.period_s` apart,
// with white noise `white_sigma` per point and a wander of one period (options.wanderPeriod_s):
// the slope's sd wanderRate_sigma and a level's tilt of a short window, both through the
// window's half-power factor g(T) = 1 / (1 + (T / (0.44 period))^2) (infinite below two points).
// The one formula for how well a segment's rate can be read: the planner's expected reading and the
// reading itself (locate/reading_noise.hpp).
double slopeSigma(double white_sigma, double wanderRate_sigma, double wanderLevel_sigma,
                  double points, const SlopeChangeOptions& options);

}  // namespace leakhunt::detect
