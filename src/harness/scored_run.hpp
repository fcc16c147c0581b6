// One Monte Carlo run: a scenario through the simulator, its telemetry straight into the
// detector (no files), and what came out measured against the scenario's truth.
// The detector sees only telemetry, the station and the logged events; the truth (the leak's
// onset and its `<leak>.mass_flow` channel) is read here only to score it.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "base/truth_wall.hpp"
#include "detect/detector.hpp"
#include "model/scenario.hpp"
#include "sim/scenario_runner.hpp"

namespace leakhunt::harness {

// What to score a run against. An empty `leakId` is a leak-free run.
struct RunTruth {
  std::string leakId;
  std::string leakModule;
  double onset_s = 0.0;          // Unix time the leak starts
  double checkAfter_s = 3600.0;  // the rate is scored this long after the onset
  // Every estimate of the alarm is scored for this long after it (issue 20); 0: not scored.
  double scoreAfterAlarm_s = 0.0;
  // When the leak's module has not reached a limit by the run's end, the world runs on (truth
  // only) for up to this long to find when it does, so that a reserve time of days is judged
  // too; 0: not looked for (the reserve bound is then undecided where it outlasts the run).
  double limitHorizon_s = 0.0;
};

// One estimate after the alarm, scored against the truth at its time (issue 20).
struct BlockScore {
  double after_s = 0.0;  // from the alarm
  bool covered = false;  // |rate - true rate| <= 1.96 sd
  // The reserve time's lower bound against the true time from the estimate to the first of the
  // evacuation pressure and the ppO2 floor in the leak's module: +1 above it (unsafe), 0 not
  // above, -1 undecided (the limit was not reached within the run and the bound is longer than
  // the data left).
  int reserveAbove = -1;
  double reserveLow_s = 0.0;   // the estimate's reserve time: its lower bound
  double reserve_s = 0.0;      // and its point value
  double trueReserve_s = 0.0;  // the true time left to that limit; +inf: not reached in the run
};

struct AlarmRecord {
  double time_s = 0.0;
  double onset_s = 0.0;
  double rate_kg_s = 0.0;
  std::vector<int> modules;
  bool containsLeak = false;
  // The alarm's statistic and the threshold it crossed: which branch of the test alarmed (the
  // hinge's threshold or the slow branch's).
  double statistic = 0.0, threshold = 0.0;
};

constexpr double kNever = std::numeric_limits<double>::infinity();

// The levels of z whose upcrossings a run counts (RunOutcome::excursions).
constexpr std::array<double, 4> kExcursionLevels{3.0, 3.5, 4.0, 4.5};

struct RunOutcome {
  std::vector<AlarmRecord> alarms;
  std::vector<detect::SensorFault> faults;
  std::vector<std::string> channelNames;  // of the telemetry, for SensorFault::channel
  // Leak runs: the first alarm at or after the onset in a segment holding the leak.
  bool detected = false;
  double delay_s = kNever;
  int alarmsBeforeOnset = 0;   // false alarms
  int alarmsWrongSegment = 0;  // after the onset, in a segment without the leak
  // The estimate `checkAfter_s` after the onset (the first block ending at or after it).
  bool estimated = false;
  double estimateTime_s = 0.0;
  double rate_kg_s = 0.0, rateSigma_kg_s = 0.0;
  double onsetEstimate_s = 0.0, onsetLow_s = 0.0, onsetHigh_s = 0.0;
  double truthRate_kg_s = 0.0;  // simulator truth at the estimate's time
  double truthRateAtOnset_kg_s = 0.0;
  // Noise the detector learned: white sd per block of the inventory of the segment holding
  // the leak (or the largest segment) at the end, and the block period.
  double whiteSigma_kg = 0.0;
  double blockPeriod_s = 60.0;
  // Exposure for the false-alarm rate: the sum over segments of the time each could alarm
  // (after its first hour of reference).
  double segmentSeconds = 0.0;
  // Upcrossings of the leak test's statistic through each of kExcursionLevels, summed over the
  // segments while they had not alarmed: the false-alarm rate far below the threshold, where
  // a few segment-years hold hundreds of events (docs/detection.md, "Excursions").
  std::array<int, kExcursionLevels.size()> excursions{};
  // Scored estimates after the alarm (when RunTruth::scoreAfterAlarm_s > 0), in time order, and
  // the first time the leak's module reached the evacuation pressure or the ppO2 floor (the
  // simulator's truth; never if not within the run).
  std::vector<BlockScore> afterAlarm;
  double limitTime_s = kNever;
  double wall_s = 0.0;
};

Result<RunOutcome> runWithDetector(const model::Scenario& scenario, const RunTruth& truth,
                                   const detect::DetectorOptions& detectorOptions,
                                   sim::RunOptions simOptions);

}  // namespace leakhunt::harness
