#include "harness/scored_run.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iterator>
#include <limits>
#include <map>
#include <memory>

#include "detect/leak_detector.hpp"
#include "detect/logged_events.hpp"
#include "harness/scenario_log.hpp"
#include "sim/simulation.hpp"

namespace leakhunt::harness {
namespace {

// Needs 1 h of reference before a segment can alarm (SlopeChangeOptions::minReference_s).
struct LiveSegment {
  std::vector<int> modules;
  double since_s = 0.0;
};

class Harness final : public sim::RunObserver, public detect::DetectionObserver {
 public:
  Harness(const model::Scenario& scenario, const RunTruth& truth, detect::DetectorOptions options)
      : m_scenario(scenario),
        m_truth(truth),
        m_options(options),
        m_limits(scenario.station.limits.value_or(model::Limits{})) {
    m_leakModule = -1;
    for (std::size_t i = 0; i < scenario.station.modules.size(); ++i)
      if (scenario.station.modules[i].id == truth.leakModule) m_leakModule = static_cast<int>(i);
  }

  void begin(const telemetry::ChannelTable& tm, const telemetry::ChannelTable& tr) override {
    std::vector<std::string> names;
    for (std::size_t c = 0; c < tm.size(); ++c) names.push_back(tm.name(static_cast<int>(c)));
    m_out.channelNames = names;
    m_detector = detect::makeLeakDetector(
        m_scenario.station, names, loggedEventsOf(m_scenario, m_scenario.station), m_options, this);
    m_truthChannel = m_truth.leakId.empty() ? -1 : tr.find(m_truth.leakId + ".mass_flow");
    if (!m_truth.leakModule.empty()) {
      m_pressureTruth = tr.find(m_truth.leakModule + ".pressure");
      m_o2Truth = tr.find(m_truth.leakModule + ".ppO2");
    }
    m_pendingSegments = true;
  }

  void telemetry(const telemetry::Sample& s) override {
    if (m_first) {
      m_first = false;
      m_start_s = s.time_s;
    }
    m_last_s = s.time_s;
    m_detector->onSample(s);
    if (m_pendingSegments) refreshSegments(s.time_s);
  }

  void truth(const telemetry::Sample& s) override {
    // The first time the leak's module reaches a limit the reserve time counts down to.
    if (!std::isfinite(m_out.limitTime_s) && s.time_s >= m_truth.onset_s &&
        ((s.channel == m_pressureTruth && s.value <= m_limits.evacuationPressure_pa) ||
         (s.channel == m_o2Truth && s.value <= m_limits.minPpO2_pa)))
      m_out.limitTime_s = s.time_s;
    if (s.channel != m_truthChannel) return;
    if (m_truth.scoreAfterAlarm_s > 0.0 && s.time_s >= m_truth.onset_s) m_rateTruth.push_back(s);
    if (s.time_s >= m_truth.onset_s && m_out.truthRateAtOnset_kg_s == 0.0 && s.value > 0.0)
      m_out.truthRateAtOnset_kg_s = s.value;
    const double check = m_truth.onset_s + m_truth.checkAfter_s;
    if (s.time_s >= check - 900.0 && s.time_s <= check + 900.0) m_truthSeries.push_back(s);
  }

  void onAlarm(const detect::LeakReport& r) override {
    AlarmRecord a;
    a.time_s = r.alarmTime_s;
    a.onset_s = r.onsetTime_s;
    a.rate_kg_s = r.rate_kg_s;
    a.modules.assign(r.modules.begin(), r.modules.end());
    a.statistic = r.statistic;
    a.threshold = r.threshold;
    a.containsLeak = m_leakModule >= 0 &&
                     std::find(a.modules.begin(), a.modules.end(), m_leakModule) != a.modules.end();
    if (m_truth.leakId.empty() || r.alarmTime_s < m_truth.onset_s) {
      ++m_out.alarmsBeforeOnset;
    } else if (!a.containsLeak) {
      ++m_out.alarmsWrongSegment;
    } else if (!m_out.detected) {
      m_out.detected = true;
      m_out.delay_s = r.alarmTime_s - m_truth.onset_s;
      m_detection = r.detection;
    }
    m_out.alarms.push_back(std::move(a));
    consider(r);
  }

  void onEstimate(const detect::LeakReport& r) override { consider(r); }

  void onSensorFault(const detect::SensorFault& f) override {
    for (auto& k : m_out.faults)
      if (k.channel == f.channel && k.kind == f.kind && k.start_s == f.start_s) {
        k = f;
        return;
      }
    m_out.faults.push_back(f);
  }

  void onSegmentsChanged(double) override { m_pendingSegments = true; }

  // An upcrossing counts when a segment's statistic rises above a level it was below (a new
  // segment life starts below every level), up to and including the block of its alarm; after
  // it the statistic is the leak's.
  void onResidual(const detect::SegmentResidual& r) override {
    Excursion& e = m_excursion[r.life];
    for (std::size_t k = 0; k < kExcursionLevels.size(); ++k) {
      const bool now = r.statistic > kExcursionLevels[k];
      if (now && !e.above[k] && !e.alarmed) ++m_out.excursions[k];
      e.above[k] = now;
    }
    e.alarmed = e.alarmed || r.alarmed;
  }

  // Estimates were scored, and the leak's module reached no limit within the run.
  bool limitUndecided() const {
    return !m_truth.leakModule.empty() && !std::isfinite(m_out.limitTime_s) && !m_scored.empty();
  }
  // What the world run on found: the limit's time (+inf: not met) up to `lookedTo_s`.
  void setLimitSearch(double reached_s, double lookedTo_s) {
    m_out.limitTime_s = reached_s;
    m_lookedTo_s = lookedTo_s;
  }

  RunOutcome finish() {
    if (m_detector) {
      m_detector->finish();
      const std::vector<detect::SegmentStatus> segs = segmentStatus();
      closeAll(m_last_s);
      double best = -1.0;
      for (const detect::SegmentStatus& s : segs) {
        const bool holds = m_leakModule >= 0 && std::find(s.modules.begin(), s.modules.end(),
                                                          m_leakModule) != s.modules.end();
        const double score = holds ? 1e30 : s.volume_m3;
        if (score > best) {
          best = score;
          m_out.whiteSigma_kg = s.whiteSigma_kg;
        }
      }
    }
    m_out.blockPeriod_s = m_options.blockPeriod_s;
    scoreAfterAlarm();
    if (m_out.estimated && !m_truthSeries.empty()) {
      // The truth sample nearest the estimate's time.
      auto it = std::min_element(m_truthSeries.begin(), m_truthSeries.end(),
                                 [&](const telemetry::Sample& a, const telemetry::Sample& b) {
                                   return std::abs(a.time_s - m_out.estimateTime_s) <
                                          std::abs(b.time_s - m_out.estimateTime_s);
                                 });
      m_out.truthRate_kg_s = it->value;
    }
    return std::move(m_out);
  }

 private:
  void consider(const detect::LeakReport& r) {
    // One score a block: the detector may report the alarm's block twice (the alarm, then its
    // estimate); the first, what the crew saw first, counts.
    if (m_truth.scoreAfterAlarm_s > 0.0 && m_detection >= 0 && r.detection == m_detection &&
        r.time_s - r.alarmTime_s <= m_truth.scoreAfterAlarm_s + 0.5 * m_options.blockPeriod_s &&
        (m_scored.empty() || r.time_s - m_scored.back().time_s >= 0.5 * m_options.blockPeriod_s))
      m_scored.push_back({r.alarmTime_s, r.time_s, r.rate_kg_s, r.rateSigma_kg_s, r.reserveLow_s,
                          r.reserveTime_s});
    if (m_out.estimated || r.detection != m_detection || m_detection < 0) return;
    if (r.time_s < m_truth.onset_s + m_truth.checkAfter_s) return;
    m_out.estimated = true;
    m_out.estimateTime_s = r.time_s;
    m_out.rate_kg_s = r.rate_kg_s;
    m_out.rateSigma_kg_s = r.rateSigma_kg_s;
    m_out.onsetEstimate_s = r.onsetTime_s;
    m_out.onsetLow_s = r.onsetLow_s;
    m_out.onsetHigh_s = r.onsetHigh_s;
  }

  // Each estimate after the alarm against the truth at its time (the 1 Hz truth sample at the
  // block's end) and against the true time left to the limit.
  void scoreAfterAlarm() {
    for (const Scored& e : m_scored) {
      auto it = std::lower_bound(m_rateTruth.begin(), m_rateTruth.end(), e.time_s,
                                 [](const telemetry::Sample& a, double t) { return a.time_s < t; });
      if (it == m_rateTruth.end()) {
        if (m_rateTruth.empty()) continue;
        it = std::prev(it);
      }
      BlockScore b;
      b.after_s = e.time_s - e.alarm_s;
      b.covered = std::abs(e.rate_kg_s - it->value) <= 1.959964 * e.sigma_kg_s;
      const double bound = e.reserveLow_s;  // +inf: "never"
      b.reserveLow_s = bound;
      b.reserve_s = e.reserve_s;
      b.trueReserve_s = std::isfinite(m_out.limitTime_s)
                            ? std::max(0.0, m_out.limitTime_s - e.time_s)
                            : std::numeric_limits<double>::infinity();
      if (std::isfinite(m_out.limitTime_s))
        b.reserveAbove = bound > std::max(0.0, m_out.limitTime_s - e.time_s) ? 1 : 0;
      else
        b.reserveAbove = bound <= std::max(m_last_s, m_lookedTo_s) - e.time_s ? 0 : -1;
      m_out.afterAlarm.push_back(b);
    }
  }

  std::vector<detect::SegmentStatus> segmentStatus() const { return m_detector->segments(); }

  void refreshSegments(double now_s) {
    m_pendingSegments = false;
    std::vector<LiveSegment> now;
    for (const detect::SegmentStatus& s : segmentStatus())
      now.push_back({std::vector<int>(s.modules.begin(), s.modules.end()), s.since_s});
    for (const LiveSegment& old : m_live) {
      const bool kept = std::any_of(now.begin(), now.end(), [&](const LiveSegment& n) {
        return n.modules == old.modules && n.since_s == old.since_s;
      });
      if (!kept) close(old, now_s);
    }
    m_live = std::move(now);
  }
  void close(const LiveSegment& s, double end_s) {
    const double since = std::max(s.since_s, m_start_s);
    m_out.segmentSeconds += std::max(0.0, end_s - since - m_options.test.minReference_s);
  }
  void closeAll(double end_s) {
    for (const LiveSegment& s : m_live) close(s, end_s);
    m_live.clear();
  }

  const model::Scenario& m_scenario;
  RunTruth m_truth;
  detect::DetectorOptions m_options;
  std::unique_ptr<detect::LeakDetector> m_detector;  // m_options.model's
  int m_leakModule = -1;
  int m_truthChannel = -1;
  int m_pressureTruth = -1, m_o2Truth = -1;  // the leak module's true pressure and ppO2
  model::Limits m_limits;                    // the station's, or the sourced defaults
  struct Scored {
    double alarm_s, time_s, rate_kg_s, sigma_kg_s, reserveLow_s, reserve_s;
  };
  std::vector<Scored> m_scored;                // estimates after the alarm, scored at the end
  std::vector<telemetry::Sample> m_rateTruth;  // the leak's true rate from the onset on
  int m_detection = -1;
  bool m_first = true, m_pendingSegments = false;
  double m_start_s = 0.0, m_last_s = 0.0;
  double m_lookedTo_s = 0.0;  // how far past the run the limit was looked for (Unix time)
  std::vector<LiveSegment> m_live;
  struct Excursion {
    std::array<bool, kExcursionLevels.size()> above{};
    bool alarmed = false;  // before this block
  };
  std::map<int, Excursion> m_excursion;  // by segment life
  std::vector<telemetry::Sample> m_truthSeries;
  RunOutcome m_out;
};

// Watches the leak module's true pressure and ppO2 for the first time either reaches its limit.
class LimitWatch final : public sim::RunObserver {
 public:
  LimitWatch(const RunTruth& truth, const model::Limits& limits)
      : m_truth(truth), m_limits(limits) {}
  void begin(const telemetry::ChannelTable&, const telemetry::ChannelTable& tr) override {
    m_pressure = tr.find(m_truth.leakModule + ".pressure");
    m_o2 = tr.find(m_truth.leakModule + ".ppO2");
  }
  void truth(const telemetry::Sample& s) override {
    if (!std::isfinite(reached_s) && s.time_s >= m_truth.onset_s &&
        ((s.channel == m_pressure && s.value <= m_limits.evacuationPressure_pa) ||
         (s.channel == m_o2 && s.value <= m_limits.minPpO2_pa)))
      reached_s = s.time_s;
  }
  double reached_s = std::numeric_limits<double>::infinity();

 private:
  const RunTruth& m_truth;
  model::Limits m_limits;
  int m_pressure = -1, m_o2 = -1;
};

// What the world run on past the scenario's end found.
struct LimitSearch {
  double reached_s = std::numeric_limits<double>::infinity();  // Unix time; +inf: not met
  double lookedTo_s = 0.0;                                     // Unix time
};

// The same world (scenario, seed, settled start) run on past the scenario's end, truth only, to
// when the leak's module first reaches a limit, within the horizon. The run is integrated again
// from its start, so it is the run's own truth; the outputs come every 10 s (at most), which is
// how finely the limit's time is known.
Result<LimitSearch> limitBeyondTheRun(const model::Scenario& scenario, const RunTruth& truth,
                                      sim::RunOptions options) {
  model::Scenario longer = scenario;
  longer.duration_s = scenario.duration_s + truth.limitHorizon_s;
  longer.outputPeriod_s = std::max(scenario.outputPeriod_s, 10.0);
  options.emitTelemetry = false;
  options.emitTruth = true;
  LimitWatch watch(truth, scenario.station.limits.value_or(model::Limits{}));
  Result<sim::Simulation> started = sim::Simulation::start(longer, options, watch);
  if (!started) return started.error();
  sim::Simulation simulation = std::move(started).value();
  // A day at a time, to stop as soon as the limit is met.
  for (double t = scenario.duration_s; !std::isfinite(watch.reached_s);) {
    t = std::min(longer.duration_s, t + 86400.0);
    if (Result<bool> advanced = simulation.advanceTo(t); !advanced) return advanced.error();
    if (t >= longer.duration_s) break;
  }
  return LimitSearch{watch.reached_s,
                     static_cast<double>(scenario.startUnix_s) + longer.duration_s};
}

}  // namespace

Result<RunOutcome> runWithDetector(const model::Scenario& scenario, const RunTruth& truth,
                                   const detect::DetectorOptions& detectorOptions,
                                   sim::RunOptions simOptions) {
  const auto t0 = std::chrono::steady_clock::now();
  simOptions.emitTelemetry = true;
  simOptions.emitTruth = !truth.leakId.empty();
  Harness harness(scenario, truth, detectorOptions);
  const Result<sim::RunResult> run = sim::runScenario(scenario, simOptions, harness);
  if (!run) return run.error();
  if (truth.limitHorizon_s > 0.0 && harness.limitUndecided()) {
    const Result<LimitSearch> limit = limitBeyondTheRun(scenario, truth, simOptions);
    if (!limit) return limit.error();
    harness.setLimitSearch(limit->reached_s, limit->lookedTo_s);
  }
  RunOutcome out = harness.finish();
  out.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace leakhunt::harness
