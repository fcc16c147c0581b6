#include "detect/slope_change_test.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>
#include <utility>
#include <vector>

#include "base/confidence.hpp"
#include "detect/wander_profile.hpp"

namespace leakhunt::detect {

namespace {

constexpr double kPriorWeight = 30.0;    // points' worth of trust in the prior white noise
constexpr double kWhiteMemory = 1440.0;  // points: the online estimate forgets over a day
constexpr double kOnsetChi2_95 = 3.841;  // chi-square(1) 95 % for the profile interval
// Test windows, in the shortest temperature wander's periods, up to which the reported onset is
// the wanders' profile's (estimateWith).
constexpr double kWanderOnsetTests = 2.0;

// The one-period envelope: a window of T sees the wander's slope through its half-power factor
// g(T) = 1 / (1 + (T / (0.44 P))^2) (the window average of a sinusoid of period P), and a level
// that wanders by `level` off a reference line tilts a short window by 1.5 levelTilt level / T
// (1.5 = sum v / sum v^2 times T for a ramp).
double halfPower(double t_s, const SlopeChangeOptions& o) {
  const double x = t_s / (0.44 * o.wanderPeriod_s);
  return 1.0 / (1.0 + x * x);
}

double levelTilt2(double level, double t_s, const SlopeChangeOptions& o) {
  const double tilt = 1.5 * o.levelTilt * level / std::max(t_s, o.period_s);
  return tilt * tilt;
}

double lineWanderVariance(const OnePeriodWander& w, double t_s, const SlopeChangeOptions& o) {
  return (w.rate_kg_s * w.rate_kg_s + levelTilt2(w.level_kg, t_s, o)) *
         halfPower(std::max(t_s, o.period_s), o);
}

std::size_t capacityFor(const SlopeChangeOptions& o) {
  return static_cast<std::size_t>(std::ceil((o.maxTest_s + o.maxReference_s) / o.period_s)) + 16;
}

}  // namespace

SlopeChangeTest::SlopeChangeTest(const SlopeChangeOptions& options, double whiteSigmaPrior,
                                 const WanderParts& wander)
    : m_options(options),
      m_window(2 * capacityFor(options)),
      m_pressure(2 * capacityFor(options)),
      m_threshold(normalUpperQuantile(options.falseAlarmRate_per_s * (1.0 - options.slowShare) *
                                      options.period_s / options.effectiveTests)),
      m_slowThreshold(options.slowShare > 0.0
                          ? normalUpperQuantile(options.falseAlarmRate_per_s * options.slowShare *
                                                options.period_s / options.effectiveTests)
                          : 0.0),
      m_wander(wander),
      m_envelope(onePeriodWander(wander, options.wanderPeriod_s)),
      m_whitePrior_var(whiteSigmaPrior * whiteSigmaPrior),
      m_white_var(m_whitePrior_var),
      m_whiteWeight(kPriorWeight) {
  for (std::size_t i = 0; i < 1 + kEventAllowances; ++i)
    m_allowances.push_back({SlopeChangeWindow(2 * capacityFor(options)), false});
}

void SlopeChangeTest::reset() {
  m_window.clear();
  for (Allowance& a : m_allowances) {
    a.series.clear();
    a.seen = false;
  }
  m_pressure.clear();
  m_pressureTime = 0.0;
  m_recent = 0;
  m_ownFrom = m_window.first();  // the next point pushed
}

void SlopeChangeTest::continueFrom(std::span<const SlopeChangeTest* const> parts) {
  reset();
  if (parts.empty()) return;
  // A part with no history yet leaves nothing common to continue.
  for (const SlopeChangeTest* p : parts)
    if (p->m_window.size() == 0) return;
  // Only what each part saw as itself: the history a part inherited at a split is a share of
  // the whole's, and summed back it would hand the merged segment a reference that spans every
  // hatch cycle, where before each cycle started one afresh (docs/detection.md, session 15).
  const auto ownFrom = [](const SlopeChangeTest* p) {
    return std::max(p->m_window.first(), p->m_ownFrom);
  };
  for (const SlopeChangeTest* p : parts)
    if (ownFrom(p) > p->m_window.last()) return;
  const SlopeChangeWindow& lead = parts[0]->m_window;
  std::vector<uint64_t> cursor;
  for (const SlopeChangeTest* p : parts) cursor.push_back(ownFrom(p));
  double white = 0.0, weight = kWhiteMemory;
  for (const SlopeChangeTest* p : parts) {
    white += p->m_white_var;
    weight = std::min(weight, p->m_whiteWeight);
  }
  for (uint64_t k = ownFrom(parts[0]); k <= lead.last(); ++k) {
    const double t = lead.time(k);
    double sum = 0.0, creep = 0.0, pressure = 0.0;
    EventAllowances events{};
    bool everyPart = true;
    for (std::size_t i = 0; i < parts.size() && everyPart; ++i) {
      const SlopeChangeWindow& w = parts[i]->m_window;
      uint64_t& c = cursor[i];
      while (c <= w.last() && w.time(c) < t) ++c;  // both in time order: one pass each
      everyPart = c <= w.last() && w.time(c) == t;
      if (everyPart) {
        sum += w.value(c);
        creep += parts[i]->m_allowances[0].series.value(c);
        for (std::size_t e = 0; e < kEventAllowances; ++e)
          events[e] += parts[i]->m_allowances[1 + e].series.value(c);
        // One hatch apart the parts' pressures differ by little: their mean.
        pressure += parts[i]->m_pressure.value(c) / static_cast<double>(parts.size());
      }
    }
    if (!everyPart) continue;
    pushPoint(lead.tau(k), sum, t, creep, pressure, events);
    m_y2 = m_y1;
    m_y1 = sum;
    ++m_recent;
  }
  prepareAll();
  m_white_var = white;
  m_whiteWeight = weight;
}

void SlopeChangeTest::continueAsPart(const SlopeChangeTest& whole, double share) {
  reset();
  const SlopeChangeWindow& w = whole.m_window;
  if (w.size() == 0) return;
  for (uint64_t k = w.first(); k <= w.last(); ++k) {
    EventAllowances events{};
    for (std::size_t e = 0; e < kEventAllowances; ++e)
      events[e] = share * whole.m_allowances[1 + e].series.value(k);
    pushPoint(w.tau(k), share * w.value(k), w.time(k),
              share * whole.m_allowances[0].series.value(k), whole.m_pressure.value(k), events);
  }
  prepareAll();
  m_ownFrom = m_window.last() + 1;
  // m_recent stays 0: a second difference across the join would mix the scaled history with
  // the part's own noise, and this test learns its white noise from its own points only.
}

double SlopeChangeTest::lastTau() const {
  return m_window.size() > 0 ? m_window.tau(m_window.last()) : 0.0;
}

double SlopeChangeTest::lastValue() const {
  return m_window.size() > 0 ? m_window.value(m_window.last()) : 0.0;
}

double SlopeChangeTest::lastCreep() const {
  const SlopeChangeWindow& c = m_allowances[0].series;
  return c.size() > 0 ? c.value(c.last()) : 0.0;
}

SlopeChangeTest::EventAllowances SlopeChangeTest::lastEvents() const {
  EventAllowances events{};
  for (std::size_t e = 0; e < kEventAllowances; ++e) {
    const SlopeChangeWindow& c = m_allowances[1 + e].series;
    if (c.size() > 0) events[e] = c.value(c.last());
  }
  return events;
}

// The creep window takes every point (so its sequence numbers are the residual's) but its prefix
// sums are extended only once a creep is seen: on a station with none (the ISS) the fits never
// read it, and prepare() catches up from wherever it stopped.
void SlopeChangeTest::pushPoint(double tau_s, double y, double time_s, double creep,
                                double pressure, const EventAllowances& events) {
  // The pressure's integral, the clock a hole's loss follows (an unknown pressure adds nothing;
  // followingScale() then keeps the fits off the clock).
  m_pressureTime =
      m_window.size() == 0 ? 0.0 : m_pressureTime + std::max(pressure, 0.0) * (tau_s - lastTau());
  m_window.push(tau_s, y, time_s, m_pressureTime);
  m_pressure.push(tau_s, pressure, time_s);
  for (std::size_t i = 0; i < m_allowances.size(); ++i) {
    const double value = i == 0 ? creep : events[i - 1];
    m_allowances[i].series.push(tau_s, value, time_s, m_pressureTime);
    m_allowances[i].seen = m_allowances[i].seen || value != 0.0;
  }
}

void SlopeChangeTest::prepareAll() {
  m_window.prepare();
  for (Allowance& a : m_allowances)
    if (a.seen) a.series.prepare();
}

// The fits are linear in the data, so the creep's change of slope is the same fit of its series:
// an unknown multiple a of a known shape c (a of sd 1) moves the fitted rate by a L(c).
double SlopeChangeTest::allowanceVariance(uint64_t from, uint64_t onset, uint64_t last, bool flat,
                                          double following) const {
  double variance = 0.0;
  for (const Allowance& a : m_allowances) {
    if (!a.seen) continue;
    const double rate = flat ? a.series.fitFlat(from, onset, last, following).rate
                             : a.series.fit(from, onset, last, following).rate;
    variance += rate * rate;
  }
  return variance;
}

double SlopeChangeTest::whiteSigma() const { return std::sqrt(m_white_var); }

// The larger of two models (docs/detection.md, "The hinge's wander from the wanders' spectra"):
// the declared wanders through the fit's exact response, and the one-period envelope. The
// envelope's slow tail stands for drifts no station file declares: the spectral model alone,
// whose sinusoids have no power below 1 / 8 h, gave 107 false alarms in the calibration week
// (80 in one-module segments, 1 to 25 h after their onsets), the envelope alone 5, the larger 0.
double SlopeChangeTest::wanderVariance(double testLength_s, double referenceLength_s) const {
  const double envelope =
      m_envelope.rate_kg_s * m_envelope.rate_kg_s *
          (halfPower(testLength_s, m_options) + halfPower(referenceLength_s, m_options)) +
      levelTilt2(m_envelope.level_kg, testLength_s, m_options) * halfPower(testLength_s, m_options);
  return std::max(envelope,
                  wanderSlopeVariance(m_wander, SlopeFit::Hinge, referenceLength_s, testLength_s));
}

double SlopeChangeTest::flatWanderVariance(double testLength_s, double referenceLength_s) const {
  return std::max(lineWanderVariance(m_envelope, testLength_s, m_options),
                  wanderSlopeVariance(m_wander, SlopeFit::Flat, referenceLength_s, testLength_s));
}

double slopeSigma(double white_sigma, double wanderRate_sigma, double wanderLevel_sigma,
                  double points, const SlopeChangeOptions& o) {
  if (points < 2.0) return std::numeric_limits<double>::infinity();
  const double dt = o.period_s;
  const double white2 =
      white_sigma * white_sigma * 12.0 / (points * (points * points - 1.0)) / (dt * dt);
  return std::sqrt(white2 +
                   lineWanderVariance({wanderRate_sigma, wanderLevel_sigma}, points * dt, o));
}

// Second differences e_k - 2 e_{k-1} + e_{k-2} have variance 6 sigma^2 and cancel a line and,
// nearly, anything smooth. Outliers are clipped so a step does not inflate the estimate.
void SlopeChangeTest::learnWhiteNoise(double y) {
  if (m_recent >= 2) {
    const double d2 = y - 2.0 * m_y1 + m_y2;
    const double sample = std::min(d2 * d2 / 6.0, 16.0 * m_white_var);
    m_whiteWeight = std::min(m_whiteWeight + 1.0, kWhiteMemory);
    m_white_var += (sample - m_white_var) / m_whiteWeight;
  }
  m_y2 = m_y1;
  m_y1 = y;
  ++m_recent;
}

SlopeChangeDecision SlopeChangeTest::push(double tau_s, double y, double time_s, double creep,
                                          double pressure, const EventAllowances& events) {
  learnWhiteNoise(y);
  pushPoint(tau_s, y, time_s, creep, pressure, events);
  prepareAll();
  return evaluate();
}

SlopeChangeDecision SlopeChangeTest::evaluate() {
  SlopeChangeDecision best;
  const SlopeChangeWindow& w = m_window;
  if (w.size() < 4) return best;
  const uint64_t last = w.last();
  const double tauLast = w.tau(last);
  // Candidate onsets j: tau_last - maxTest <= tau_j <= tau_last - minTest, with at least
  // minReference of baseline before j.
  const uint64_t jLatest = w.firstAtOrAfter(tauLast - m_options.minTest_s + 1e-6);
  if (jLatest == w.first()) return best;
  const uint64_t jHigh = jLatest - 1;  // last candidate with tau_j <= tauLast - minTest
  const uint64_t jLow = w.firstAtOrAfter(tauLast - m_options.maxTest_s);
  const double tauFirst = w.tau(w.first());
  const double white = m_white_var;
  // Every onset over the last 30 points, then a geometric grid (3 % steps in test length):
  // neighbouring onsets give nearly the same statistic.
  if (jHigh < jLow) return best;
  uint64_t j = jHigh;
  while (true) {
    const double tauJ = w.tau(j);
    if (tauJ - tauFirst < m_options.minReference_s) break;
    const uint64_t from = w.firstAtOrAfter(tauJ - m_options.maxReference_s);
    const SlopeChangeFit fit = w.fit(from, j, last);
    if (fit.rate > 0.0) {
      const double var = white * fit.whiteVariance +
                         wanderVariance(fit.testLength_s, fit.referenceLength_s) +
                         allowanceVariance(from, j, last, false, 0.0);
      const double z = fit.rate / std::sqrt(var);
      if (z > best.z) {
        best.z = z;
        best.onset = j;
        best.fit = fit;
        best.rateSigma = std::sqrt(var);
      }
    }
    const uint64_t step = std::max<uint64_t>(1, (last - j) * 3 / 100);
    if (j < jLow + step) break;
    j -= step;
  }
  best.alarm = best.z > m_threshold;
  evaluateSlow(best);
  return best;
}

// The slow branch: L = minus the slope after the onset, the level fixed by a short reference.
// Its rate wander is the test window's alone (no reference slope is estimated).
void SlopeChangeTest::evaluateSlow(SlopeChangeDecision& d) const {
  if (m_options.slowShare <= 0.0) return;
  const SlopeChangeWindow& w = m_window;
  const uint64_t last = w.last();
  const double tauLast = w.tau(last);
  const double tauFirst = w.tau(w.first());
  if (tauLast - tauFirst < m_options.slowMinTest_s + m_options.minReference_s) return;
  const uint64_t jEnd = w.firstAtOrAfter(tauLast - m_options.slowMinTest_s + 1e-6);
  if (jEnd == w.first()) return;
  const uint64_t jHigh = jEnd - 1;
  const uint64_t jLow = w.firstAtOrAfter(tauLast - m_options.maxTest_s);
  if (jHigh < jLow) return;
  uint64_t j = jHigh;
  while (true) {
    const double tauJ = w.tau(j);
    if (tauJ - tauFirst < m_options.minReference_s) break;
    const uint64_t from = w.firstAtOrAfter(tauJ - m_options.slowReference_s);
    if (from < j) {
      const SlopeChangeFit fit = w.fitFlat(from, j, last);
      if (fit.rate > 0.0) {
        const double var = m_white_var * fit.whiteVariance +
                           flatWanderVariance(fit.testLength_s, fit.referenceLength_s) +
                           allowanceVariance(from, j, last, true, 0.0);
        const double z = fit.rate / std::sqrt(var);
        if (z > d.slowZ) {
          d.slowZ = z;
          d.slowOnset = j;
        }
      }
    }
    const uint64_t step = std::max<uint64_t>(1, (last - j) * 3 / 100);
    if (j < jLow + step) break;
    j -= step;
  }
  d.slowAlarm = d.slowZ > m_slowThreshold;
}

// A hole's choked flow is proportional to the cabin pressure, so the loss after the onset
// follows the pressure's integral and the fit reads the rate now (SlopeChangeWindow). A fit of a
// constant rate instead reads the loss's rate averaged over the test window, and places the onset
// early to bend its line to the curve: a 2 mm hole in BEAM (16 m^3) read 8 % high, 6 sd, three
// hours on, its onset 3.5 min early (docs/detection.md). Not where a pressure is unknown, nor
// where it swings far within the window (a repress into a segment drawn near vacuum): the plain
// fit there, as the detection test itself.
double SlopeChangeTest::followingScale(uint64_t earliest) const {
  const SlopeChangeWindow& p = m_pressure;
  const uint64_t last = p.last();
  const double now = p.value(last);
  if (!(now > 0.0)) return 0.0;
  double low = now, high = now;
  for (uint64_t k = earliest + 1; k <= last; ++k) {
    const double v = p.value(k);
    if (!(v > 0.0)) return 0.0;
    low = std::min(low, v);
    high = std::max(high, v);
  }
  return high <= 2.0 * low ? 1.0 / now : 0.0;
}

// The data range is fixed (all candidates share it), so the fits are nested models of the same
// points and their likelihoods compare: the gain of onset j is projection * rate / 2 / sigma^2.
LossEstimate SlopeChangeTest::estimate(uint64_t earliest) const {
  return estimateWith(earliest, false);
}

LossEstimate SlopeChangeTest::estimateFlat(uint64_t earliest) const {
  return estimateWith(earliest, true);
}

LossEstimate SlopeChangeTest::estimateWith(uint64_t earliest, bool flat) const {
  LossEstimate est;
  const SlopeChangeWindow& w = m_window;
  if (w.size() < 4) return est;
  const uint64_t last = w.last();
  earliest = std::max(earliest, w.first() + 1);
  // Every onset with a point after it, not only those the test's shortest window allows: a
  // fast leak alarms within minTest_s of its onset, and the onset the test found is then forced
  // up to minTest_s early, which spreads the loss over blocks that had none (a 2 mm hole in a
  // 16 m^3 module read half its rate, +-10 %, at the alarm; docs/detection.md).
  const uint64_t jEnd = last;
  if (jEnd <= earliest) return est;
  // A flat baseline needs only the level before the onset: a short reference fixes it.
  const double reference = flat ? m_options.slowReference_s : m_options.maxReference_s;
  const uint64_t from = std::max(w.first(), w.firstAtOrAfter(w.tau(earliest) - reference));
  if (from >= earliest) return est;
  const double following = followingScale(earliest);
  const auto fitAt = [&](uint64_t j) {
    return flat ? w.fitFlat(from, j, last, following) : w.fit(from, j, last, following);
  };
  const double white = m_white_var;
  const auto sigmaAt = [&](const SlopeChangeFit& fit, uint64_t j) {
    return std::sqrt(white * fit.whiteVariance +
                     (flat ? flatWanderVariance(fit.testLength_s, fit.referenceLength_s)
                           : wanderVariance(fit.testLength_s, fit.referenceLength_s)) +
                     allowanceVariance(from, j, last, flat, following));
  };
  // The onset interval of a gain profile: every onset within the 95 % likelihood-ratio cut of
  // the best, each widened by half a block (the leak starts anywhere between two points).
  const double half = 0.5 * m_options.period_s;
  const auto onsetInterval = [&](const auto& gainOf, double best, double inflation) {
    double low = std::numeric_limits<double>::infinity(), high = -low;
    for (uint64_t j = earliest; j < jEnd; ++j) {
      const double gain = gainOf(j);
      if (!std::isnan(gain) && (best - gain) / inflation <= 0.5 * kOnsetChi2_95) {
        low = std::min(low, w.time(j) - half);
        high = std::max(high, w.time(j) + half);
      }
    }
    return std::pair{low, high};
  };
  // The onset is a point and the leak starts anywhere between two. Over a long window the points
  // either side of the best read the same rate; over a window of a few blocks they read rates far
  // apart (one spreads the loss over a block that had none, the next misses part of it), however
  // small each one's sd, and the white noise's likelihood may keep only one of them. So the rate
  // is taken as anywhere between the three onsets' rates, uniformly: their mid-range, with the
  // uniform's variance added to the onset's.
  const auto rateAround = [&](uint64_t onset) {
    const SlopeChangeFit best = fitAt(onset);
    double low = best.rate, high = best.rate;
    for (uint64_t j = onset > earliest ? onset - 1 : onset; j <= onset + 1 && j < jEnd; ++j) {
      const double rate = fitAt(j).rate;
      low = std::min(low, rate);
      high = std::max(high, rate);
    }
    return std::pair{0.5 * (low + high),
                     std::hypot(sigmaAt(best, onset), (high - low) / std::sqrt(12.0))};
  };

  const auto whiteGain = [&](uint64_t j) {
    const SlopeChangeFit fit = fitAt(j);
    return fit.projection * fit.rate / (2.0 * white);
  };
  double bestGain = -1.0;
  for (uint64_t j = earliest; j < jEnd; ++j) {
    const double gain = whiteGain(j);
    if (gain > bestGain) {
      bestGain = gain;
      est.onset = j;
    }
  }
  if (bestGain < 0.0) return est;
  est.valid = true;
  const SlopeChangeFit bestFit = fitAt(est.onset);
  est.testLength_s = bestFit.testLength_s;
  est.onsetTime_s = w.time(est.onset);
  std::tie(est.rate, est.rateSigma) = rateAround(est.onset);
  // The wander widens the interval as it widens the rate's: scale the likelihood by the ratio
  // of the full variance to the white part at the best onset.
  const double bestSigma = sigmaAt(bestFit, est.onset);
  const double inflation = std::max(1.0, bestSigma * bestSigma / (white * bestFit.whiteVariance));
  std::tie(est.onsetLow_s, est.onsetHigh_s) = onsetInterval(whiteGain, bestGain, inflation);

  // The same profile under the wanders' covariance (wander_profile.hpp). The white noise's
  // likelihood reads a wander that dips just before a hole as part of the loss and may put the
  // onset an hour early at a quarter of the rate, with a narrow sd; the wanders' likelihood does
  // not, but its onset's straight rate is the noisier one over a long window
  // (docs/detection.md, "Two models of the residual"). Neither is right in every run, so the
  // report reads the rate at the white profile's onset and spans both models' intervals: where
  // they agree nothing changes; where they do not, the interval is their union, centred.
  WanderProfile wanders;
  wanderProfile(w, from, earliest, jEnd, flat, following, white, m_wander, wanders);
  const auto wanderGain = [&](uint64_t j) {
    return wanders.gain[static_cast<std::size_t>(j - earliest)];
  };
  double wanderBest = -1.0;
  uint64_t wanderOnset = est.onset;
  for (uint64_t j = earliest; j < jEnd; ++j) {
    const double gain = wanderGain(j);
    if (gain > wanderBest) {
      wanderBest = gain;
      wanderOnset = j;
    }
  }
  if (wanderBest < 0.0) return est;
  const auto [onsetLow, onsetHigh] = onsetInterval(wanderGain, wanderBest, 1.0);
  est.onsetLow_s = std::min(est.onsetLow_s, onsetLow);
  est.onsetHigh_s = std::max(est.onsetHigh_s, onsetHigh);
  if (wanderOnset == est.onset) return est;
  // The onset reported: the wanders' where the loss is young. A kink an hour or two old is
  // sharper than any wander the station declares, and the wanders' profile places it three times
  // closer than the white one (2 mm: median error 88 s to 30 s). Over a longer window the basis
  // can bend into the loss's ramp and the white onset is the better (1.4 kg/day on the outpost
  // twin: 1,458 s to 3,743 s). The line, two of the shortest temperature wander's periods, was
  // set on the calibration campaigns (docs/detection.md, "The onset reported").
  if (est.testLength_s <= kWanderOnsetTests * WanderPeriods::temperatureMin_s)
    est.onsetTime_s = w.time(wanderOnset);
  const auto [rate, sigma] = rateAround(wanderOnset);
  const double low = std::min(est.rate - kZ95 * est.rateSigma, rate - kZ95 * sigma);
  const double high = std::max(est.rate + kZ95 * est.rateSigma, rate + kZ95 * sigma);
  est.rate = 0.5 * (low + high);
  est.rateSigma = (high - low) / (2.0 * kZ95);
  return est;
}

}  // namespace leakhunt::detect
