// The streaming leak detector (physics.md sections 4 and 5; docs/detection.md).
//
// Feed it telemetry samples in time order. It keeps, per segment (modules joined by open
// hatches), the gas inventory M = sum p V / (R T) on a regular block cadence, subtracts the
// known sources and sinks, and runs a windowed GLR test for a change in the residual's slope.
// On an alarm, and at every block after, it reports the leak rate with its standard error, the
// effective area and a hole diameter, the onset with an interval and the reserve time, through
// a DetectionObserver. Sensor dropouts, stuck sensors and bias jumps are reported and the sensor
// is left out. No I/O; the per-sample step allocates nothing (segment changes may).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "detect/logged_events.hpp"
#include "detect/segment_residual.hpp"
#include "detect/sensor_health.hpp"
#include "detect/slope_change_test.hpp"
#include "model/station.hpp"
#include "telemetry/sample.hpp"

namespace leakhunt::detect {

// Which books keep the score: the windowed slope test (detector.cpp, the default) or the
// state-space model's Kalman filter and GLR (books_detector.hpp, issue 13, not yet calibrated).
enum class DetectorModel { SlopeChange, StateSpace };

struct DetectorOptions {
  double falseAlarmRate_per_s = 1.0 / (365.25 * 86400.0);  // per segment
  double cd = 0.65;              // discharge coefficient for the reported diameter
  double blockPeriod_s = 60.0;   // inventory cadence: 1 Hz samples are averaged over a block
  SlopeChangeOptions test;       // windows; its period and false-alarm rate are set from above
  double dropoutAfter_s = 30.0;  // no samples for max(this, 10 periods): dropout
  double stuckAfter_s = 180.0;   // identical values for this long while others move: stuck
  double biasJumpSigmas = 10.0;  // a pressure sensor off the segment consensus by this many sd
  double biasJumpMin_pa = 30.0;  // ... and at least this much: bias jump
  double onsetSearch_s = 2.0 * 3600.0;  // after an alarm, onsets up to this much earlier
  DetectorModel model = DetectorModel::SlopeChange;  // read by the harness (scored_run.cpp)
};

// How a report's rate, and the hole and reserve times sized from it, were made (issue 20):
// the detector's fit of the inventory since the onset, or the segment's pressure rate over the
// last minutes (pressure_rate.hpp), possibly only a lower bound (the onset may lie in the last
// two blocks: "at least" rate - 1.96 sd, the upper end nearly open). A segment its hole has
// emptied (under 1 % of the cabin's pressure) loses almost nothing now: its rate is that loss,
// between zero and the hole's rate at 1 % of the cabin's pressure, and its hole is sized from the
// decay's time constant while it still held gas (`EmptiedDecay`), or, where no decay was timed,
// from its average loss since the onset: then the hole is only a lower bound (`EmptiedAtLeast`),
// and so is the top of the loss now, which is 1 % of that least hole's rate.
enum class RateBasis {
  InventoryFit,
  PressureRate,
  PressureRateAtLeast,
  EmptiedDecay,
  EmptiedAtLeast
};

// A leak found in a segment, with everything estimated about it so far. Times are Unix time.
struct LeakReport {
  int detection = -1;            // running number of the alarm
  std::span<const int> modules;  // the segment's module indices, ascending
  double alarmTime_s = 0.0;
  double time_s = 0.0;     // time of this estimate
  double statistic = 0.0;  // z of the alarm
  double threshold = 0.0;
  double onsetTime_s = 0.0, onsetLow_s = 0.0, onsetHigh_s = 0.0;  // 95 % interval
  double rate_kg_s = 0.0, rateSigma_kg_s = 0.0;
  double cda_m2 = 0.0, cdaLow_m2 = 0.0, cdaHigh_m2 = 0.0;  // 95 %
  double cd = 0.65;
  double diameter_m = 0.0, diameterLow_m = 0.0, diameterHigh_m = 0.0;  // 95 %
  double pressure_pa = 0.0, temperature_k = 0.0, inventory_kg = 0.0, volume_m3 = 0.0;
  double ppO2_pa = 0.0;
  // Time to the evacuation pressure and to the ppO2 floor, isothermal choked decay
  // p = p0 exp(-t M0 / L0 ...); `reserveTime_s` is the smaller. Infinite values mean "never".
  double reservePressure_s = 0.0, reservePpO2_s = 0.0, reserveTime_s = 0.0;
  // 95 %: the high end from the slowest loss the rate interval allows, the low end from the
  // fastest either the interval or the pressure rate allows (`rateHighest_kg_s`).
  double reserveLow_s = 0.0, reserveHigh_s = 0.0;
  // The fastest loss the data allow (95 %): the upper end of the reported interval, or of the
  // pressure rate's where that is higher. The reserve's lower bound counts down at it.
  double rateHighest_kg_s = 0.0;
  double repressGas_kg = 0.0;  // tank gas in the segment
  double reserveTimeWithRepress_s = 0.0;
  RateBasis rateBasis = RateBasis::InventoryFit;
  // An emptied segment's hole (RateBasis::Emptied*) at the cabin's pressure, where it was opened:
  // what a plan, a repress or a patch's verification must reckon with, where `rate_kg_s` is
  // only its loss now. Its lower end only, for EmptiedAtLeast. Otherwise 0: read
  // incidentRate_kg_s.
  double holeRate_kg_s = 0.0, holeRateSigma_kg_s = 0.0;
};

// The segment had emptied: the rate is its loss now, the hole its `holeRate_kg_s`.
inline bool emptiedBasis(RateBasis b) {
  return b == RateBasis::EmptiedDecay || b == RateBasis::EmptiedAtLeast;
}
// Only the lower end is a claim: of the rate (a fresh breach's first block) or of the hole (an
// emptied segment whose decay went untimed).
inline bool onlyALowerBound(RateBasis b) {
  return b == RateBasis::PressureRateAtLeast || b == RateBasis::EmptiedAtLeast;
}

// The rate an incident is planned and verified with: an emptied segment's hole at the cabin's
// pressure, else the report's rate.
inline double incidentRate_kg_s(const LeakReport& r) {
  return emptiedBasis(r.rateBasis) ? r.holeRate_kg_s : r.rate_kg_s;
}
inline double incidentRateSigma_kg_s(const LeakReport& r) {
  return emptiedBasis(r.rateBasis) ? r.holeRateSigma_kg_s : r.rateSigma_kg_s;
}

struct SegmentStatus {
  std::span<const int> modules;
  double since_s = 0.0;  // Unix time this segment formed
  double volume_m3 = 0.0;
  double pressure_pa = 0.0, temperature_k = 0.0, inventory_kg = 0.0;
  double residual_kg = 0.0;   // cumulative inventory residual after known sources
  double history_s = 0.0;     // valid data behind the test
  double needed_s = 0.0;      // history before "no leak" means anything (segment_watch.hpp)
  bool pressureSeen = false;  // a pressure sensor of its modules gave a sample (sensor_health)
  double whiteSigma_kg = 0.0, wanderRateSigma_kg_s = 0.0;
  double knownSources_kg_s = 0.0;
  double statistic = 0.0, threshold = 0.0;
  bool alarmed = false;
};

// How the detector talks to the world (style.md 4): the CLI, server and report only render.
class DetectionObserver {
 public:
  virtual ~DetectionObserver() = default;
  virtual void onAlarm(const LeakReport&) {}
  virtual void onEstimate(const LeakReport&) {}      // every block after an alarm
  virtual void onSensorFault(const SensorFault&) {}  // when it starts and when it ends
  virtual void onSegmentsChanged(double /*time_s*/) {}
  // The per-block residual stream: every segment at the close of every block, after the test
  // has seen the block (so an alarm of that block comes first).
  virtual void onResidual(const SegmentResidual&) {}
};

// What the operations loop, the harness, the CLI and the server hold: either detector, chosen
// by DetectorOptions::model (leak_detector.hpp's makeLeakDetector). Both keep books of each
// segment's air from the same telemetry and log, report leaks, sensor faults and the per-block
// residual stream through a DetectionObserver, and take log entries while they run.
class LeakDetector {
 public:
  virtual ~LeakDetector() = default;
  // Samples in time order.
  virtual void onSample(const telemetry::Sample& sample) = 0;
  // Close the block in progress (end of data).
  virtual void finish() = 0;
  virtual std::vector<SegmentStatus> segments() const = 0;
  virtual double threshold() const = 0;
  // A log entry taken while the detector runs, as if the log had held it from the start. It
  // must fall in the block in progress or later; an entry for a block already closed is
  // refused (false) and changes nothing.
  virtual bool addLogged(const LoggedHatch& entry) = 0;
  virtual bool addLogged(const LoggedCrewMove& entry) = 0;
  virtual bool addLogged(const LoggedPatch& entry) = 0;
  virtual bool addLogged(const LoggedRepress& entry) = 0;
};

class Detector final : public LeakDetector {
 public:
  // `channelNames[i]` names channel index i of the samples; channels are matched to the
  // station's sensors by name (or, for channels the station does not list, by the
  // "<module>.pressure|temperature|ppO2" and "<hatch>.hatch_state" convention).
  Detector(const model::Station& station, const std::vector<std::string>& channelNames,
           LoggedEvents log, DetectorOptions options, DetectionObserver* observer);
  ~Detector();
  Detector(const Detector&) = delete;
  Detector& operator=(const Detector&) = delete;

  void onSample(const telemetry::Sample& sample) override;
  // Close the block in progress (end of data).
  void finish() override;

  std::vector<SegmentStatus> segments() const override;
  double threshold() const override;

  // A log entry taken while the detector runs, as if the log had held it from the start. It
  // must fall in the block in progress or later (a crew logs what it did as it is done); an
  // entry for a block already closed is refused (false) and changes nothing: the caller runs a
  // new detector over its telemetry with the whole log.
  bool addLogged(const LoggedHatch& entry) override;
  bool addLogged(const LoggedCrewMove& entry) override;
  bool addLogged(const LoggedPatch& entry) override;
  bool addLogged(const LoggedRepress& entry) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace leakhunt::detect
