// Long-term trending (physics.md 7): a leak-rate series per period (a day by default) from the
// residual inventory, and change detection on it: when the rate changed, by how much, with
// intervals. Streaming: a period holds O(1) sums, the series one point per period; nothing grows
// with the number of samples.
//
// Rate of a period: the least-squares slope of the residual against effective time within the
// period (represses and hatch changes are dropped increments, so they do not enter). Its
// reported sd is the larger of the white-noise sd of that fit and the scatter of the series
// itself (robust: 1.4826 MAD of the first differences / sqrt 2), since over a day the gas
// temperature and source wander, not the sensor noise, set the spread.
//
// Changes: after each period, a two-sample test over every split of the periods since the last
// change, z = (mean after - mean before) / (s sqrt(1/na + 1/nb)), against a Student-t threshold
// set by a false-change rate (default one per ten years of periods), Bonferroni over the splits
// tested, with the MAD's degrees of freedom (37 % efficiency). On a change the baseline restarts at
// it. The change time's interval is the set of splits within chi2(1, 95 %) of the best; the size's
// is +-1.96 sd.
#pragma once

#include <span>
#include <vector>

#include "verify/residual_tap.hpp"

namespace leakhunt::verify {

struct TrendOptions {
  double period_s = 86400.0;
  double minCoverage = 0.25;  // share of the period with valid data for a usable point
  double falseChangeRate_per_s = 1.0 / (10.0 * 365.25 * 86400.0);
  // Splits tested per period count as this many tests each (Bonferroni over the splits, which
  // are correlated, so this is conservative).
  double effectiveTests = 1.0;
  int minBaseline = 4;      // periods before a split
  int minScatterDiffs = 5;  // first differences before the scatter is trusted
  double stepSigmas = 10.0;
  // Smallest change reported. The orbital temperature cycle (92 min) aliases into daily rates
  // as slow swings of about 0.1 kg/day (a 0.05 kg level wander over a day), which the mean-shift
  // test reads as changes over weeks; and the ISS background leakage itself is 0.06 to
  // 0.23 kg/day (physics.md 4). 0 reports every significant change.
  double minChange_kg_s = 0.2 / 86400.0;  // see PeriodRates::add
};

struct TrendPoint {
  double start_s = 0.0, end_s = 0.0;  // Unix time
  double rate_kg_s = 0.0;             // loss, > 0 is a leak
  double rateSigma_kg_s = 0.0;
  double low_kg_s = 0.0, high_kg_s = 0.0;  // 95 %
  double coverage_s = 0.0;                 // valid data in the period
  int stepsRemoved = 0;                    // unlogged steps left out (PeriodRates::add)
  bool usable = false;
};

struct TrendChange {
  double time_s = 0.0, timeLow_s = 0.0, timeHigh_s = 0.0;  // start of the first period after
  double reportedAt_s = 0.0;  // end of the period whose data revealed it
  double before_kg_s = 0.0, after_kg_s = 0.0;
  double change_kg_s = 0.0, changeLow_kg_s = 0.0, changeHigh_kg_s = 0.0;  // 95 %
  double z = 0.0, threshold = 0.0;
};

// Change detection over a period series (telemetry-derived or daily-summary input).
class ChangeDetector {
 public:
  explicit ChangeDetector(const TrendOptions& options);
  // Adds a point; returns true when a change was reported (the last of changes()).
  bool push(const TrendPoint& point);
  const std::vector<TrendChange>& changes() const { return m_changes; }
  double scatterSigma() const { return m_scatter; }  // [kg/s]
  double threshold() const;                          // for the splits tested at the last period

 private:
  void updateScatter();
  double testScale() const;
  TrendOptions m_options;
  std::vector<TrendPoint> m_usable;  // one per usable period
  std::size_t m_splits = 1;          // splits tested at the last period
  std::size_t m_baseline = 0;        // first index of the current regime
  double m_scatter = 0.0;
  std::vector<TrendChange> m_changes;
};

// Period rates of one segment from its residual points (streaming).
class PeriodRates {
 public:
  explicit PeriodRates(const TrendOptions& options) : m_options(options) {}
  // Points of one segment in time order. A new segment life (`segment` changes) is a free
  // step: only increments within a life are used.
  // `whiteSigma_kg`: the detector's white noise per block; an increment further than
  // `stepSigmas` sqrt(2) of it from the recent mean increment is a step (an unlogged repress or
  // vent), replaced by that mean and counted, not read as a day of leak rate.
  void add(int segment, const ResidualPoint& point, double whiteSigma_kg);
  // Close the period in progress (end of data).
  void finish();
  // Periods closed since the last call (moved out).
  std::vector<TrendPoint> takeClosed();

 private:
  void close();
  TrendOptions m_options;
  bool m_open = false;
  double m_start_s = 0.0;
  int m_segment = -1;
  double m_lastTau = 0.0, m_lastY = 0.0;
  double m_u = 0.0, m_y = 0.0;  // continuous series built from increments
  double m_n = 0.0, m_su = 0.0, m_suu = 0.0, m_sy = 0.0, m_suy = 0.0, m_syy = 0.0;
  double m_u0 = 0.0, m_y0 = 0.0;  // period origin (round-off)
  double m_meanIncrement = 0.0;   // per second, over about an hour of accepted increments
  bool m_haveMean = false;
  bool m_previousOffMean = false;  // the last increment was off the mean (a step, so far)
  double m_previousOffRate = 0.0;  // its rate, per second
  int m_steps = 0;
  std::vector<TrendPoint> m_closed;
};

struct SegmentTrend {
  std::vector<int> modules;
  std::vector<TrendPoint> points;
  std::vector<TrendChange> changes;
  double scatterSigma_kg_s = 0.0;
};

// The whole tool: a ResidualSink that keeps one trend per module set (a segment that splits and
// re-forms continues its trend).
class TrendBuilder : public ResidualSink {
 public:
  explicit TrendBuilder(const TrendOptions& options) : m_options(options) {}
  void onPoint(int segment, std::span<const int> modules, const ResidualPoint& point,
               const SegmentNoise& noise) override;
  void finish();
  std::vector<SegmentTrend> trends() const;

 private:
  struct Entry {
    std::vector<int> modules;
    PeriodRates rates;
    ChangeDetector changes;
    std::vector<TrendPoint> points;
  };
  void drain(Entry& e);
  TrendOptions m_options;
  std::vector<Entry> m_entries;
};

// Trend of a daily-summary series (period points given directly).
SegmentTrend trendOfSummary(std::span<const TrendPoint> points, const TrendOptions& options);

}  // namespace leakhunt::verify
