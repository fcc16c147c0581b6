// `leakhunt campaign`: Monte Carlo over seeds, hole sizes, modules, onset times and logged
// disturbances, on all cores; the statistics the detector is judged by (issue 3, physics.md
// section 5): false alarms per segment-year on leak-free runs, detection delay percentiles per
// hole size, rate error and 95 % interval coverage 1 h after onset, and the Cramer-Rao bound
// and oracle delay t* for the same noise. The spec format is in docs/detection.md.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "harness/scored_run.hpp"

namespace leakhunt::campaign {

struct LeakSize {
  std::string label;        // "2 mm", "1.4 kg/day", "5 cm^2"
  double diameter_m = 0.0;  // one of diameter, rate and CdA is set
  double rate_kg_s = 0.0;   // nominal, at the station's atmosphere
  double cda_m2 = 0.0;      // what the scenario gets
  int runs = 0;
  double follow_s = 0.0;  // data after the onset
};

struct CampaignSpec {
  std::string name;
  std::string stationPath;  // absolute
  std::string baseDir;
  double start_s = 0.0;  // Unix time
  uint64_t seed = 1;
  double spinUp_s = 86400.0;
  double cd = 0.65;
  double falseAlarmsPerYear = 1.0;  // per segment
  // The `detector:` key: slope-change (default) or state-space (issue 13).
  detect::DetectorModel detector = detect::DetectorModel::SlopeChange;
  double checkAfter_s = 3600.0;
  // Leak runs.
  double reference_s = 2.0 * 3600.0;  // data before the onset window
  double onsetWindow_s = 92.0 * 60.0;
  double follow_s = 75.0 * 60.0;
  std::vector<std::string> modules;  // where holes go; all modules when empty in the file
  std::vector<LeakSize> sizes;
  double repressProbability = 0.0;  // a repress running at the onset
  // Every estimate of the alarm is scored for this long after it (issue 20: the interval at the
  // alarm and at every block after it, and the reserve time's lower bound); 0: not scored.
  double scoreAfterAlarm_s = 0.0;
  // How long after a run's end the true time to the limit is looked for (RunTruth).
  double limitHorizon_s = 0.0;
  // Leak-free runs.
  int leakFreeRuns = 0;
  double leakFreeDuration_s = 86400.0;
  double repressesPerDay = 0.0;
  double hatchCyclesPerDay = 0.0;
  double hatchClosed_s = 3600.0;
  std::vector<std::string> hatches;  // cycled (closed, then reopened)
  // Crew moves (issue 13: leak-free runs with crew moves): a random crew member goes to a random
  // module of `crewModules` and comes home (its declared place) `crewAway` later.
  double crewMovesPerDay = 0.0;
  double crewAway_s = 2.0 * 3600.0;
  std::vector<std::string> crewModules;                        // all modules when not listed
  std::vector<std::pair<std::string, std::string>> crewHomes;  // (crew id, module), the station's
  std::string repress;  // the repress event as flow YAML, "{module: ..., ...}"
  double repressDuration_s = 600.0;
};

Result<CampaignSpec> parseCampaignSpec(const std::string& yamlText, const std::string& fileName,
                                       const std::string& baseDir);

struct PlannedRun {
  int size = -1;  // index into sizes; -1: leak-free
  std::string scenarioText;
  harness::RunTruth truth;
  double duration_s = 0.0;
};

// Deterministic in the spec's seed. `runsPerSize` and `leakFreeRuns` override the spec when >= 0.
std::vector<PlannedRun> planCampaign(const CampaignSpec& spec, int runsPerSize, int leakFreeRuns);

// Reads one planned scenario of every kind (each leak size, leak-free, with and without a
// repress) so a spec whose runs cannot be built fails before any run, with the reader's message.
Result<bool> checkPlan(const CampaignSpec& spec, const std::vector<PlannedRun>& plan);

struct RunRecord {
  PlannedRun plan;
  bool ok = false;
  std::string error;
  harness::RunOutcome outcome;
};

// Runs on `threads` std::threads; `progress(done, total)` is called from the calling thread
// about once a second and at the end.
std::vector<RunRecord> executeCampaign(const CampaignSpec& spec,
                                       const std::vector<PlannedRun>& plan, int threads,
                                       const std::function<void(int, int)>& progress);

// A share of a plan, for a resumed campaign or one rank of an MPI job.
struct ExecuteOptions {
  int threads = 1;
  std::vector<std::size_t> indices;  // which runs of the plan to do, in this order
  // Stop taking new runs once this many are done (-1: never); the runs under way finish.
  int stopAfter = -1;
  // Set from outside (a signal handler) to stop taking new runs.
  const std::atomic<bool>* stop = nullptr;
  // Called once per finished run, from the worker thread that ran it, one at a time (under a
  // lock), before it counts as done: the place to stream it to disk.
  std::function<void(std::size_t index, const RunRecord&)> onRecord;
  std::function<void(int done, int total)> progress;
};

// The records of the runs done, in `indices` order (fewer than asked when stopped).
std::vector<std::pair<std::size_t, RunRecord>> executeRuns(const CampaignSpec& spec,
                                                           const std::vector<PlannedRun>& plan,
                                                           const ExecuteOptions& options);

struct SizeStats {
  std::string label;
  int runs = 0, failed = 0, detected = 0, missed = 0;
  int alarmsBeforeOnset = 0, alarmsWrongSegment = 0;
  int within10min = 0, within20min = 0;
  double delayP50_s = harness::kNever, delayP90_s = harness::kNever,
         delayP99_s = harness::kNever;  // misses count as never
  double truthRate_kg_s = 0.0;          // median at onset
  // The estimate checkAfter after the onset.
  int estimated = 0, within10pct = 0, covered95 = 0;
  double medianAbsRelError = 0.0, meanRelError = 0.0;
  double rateSpread_kg_s = 0.0;  // sd of (estimate - truth)
  double medianReportedSigma_kg_s = 0.0;
  // Limits for the same noise (physics.md 5): white sd per block learned by the detector.
  double whiteSigma_kg = 0.0, blockPeriod_s = 60.0;
  double crbSigma_kg_s = 0.0;    // sqrt(12 sigma^2 / (f T^3)), T = checkAfter (free level)
  double hingeSigma_kg_s = 0.0;  // sqrt(3 sigma^2 / (f T^3)): continuous onset, known baseline
  double oracleDelay_s = 0.0;    // t* = (6 sigma^2 h / (s^2 f))^(1/3), h = ln(ARL of 1 Hz data)
  double lorden_h = 0.0;
  double spreadOverCrb = 0.0, medianDelayOverOracle = 0.0;
  // The same limits under the full noise model (issue 13; detect/full_model_bound.hpp): the
  // white reading noise and the wanders the station file declares, with the data these runs
  // had before the onset. CRB: root mean square over the runs of each run's bound at
  // checkAfter (the leak's module decides it), the bound on the pooled spread. Oracle delay:
  // median over the runs, each at its own true rate. 0 when not computed.
  double crbFullSigma_kg_s = 0.0, oracleFullDelay_s = 0.0;
  double spreadOverCrbFull = 0.0, medianDelayOverOracleFull = 0.0;
  // Every block after the alarm (issue 20), when the spec scores them: per block, the runs
  // with an estimate then, how many 95 % rate intervals covered the truth, and how many
  // reserve-time lower bounds were decided (the truth reached its limit, or the bound was
  // within the data) and how many of those were above the true time to the limit.
  struct BlockTally {
    double after_s = 0.0;  // from the alarm
    int runs = 0, covered = 0, reserveDecided = 0, reserveAbove = 0;
  };
  std::vector<BlockTally> afterAlarm;  // ascending in after_s; empty when not scored
  // Summaries of it: the alarm's block, and the worst block among those with at least half the
  // alarm block's runs (a late block with a few runs left says little). NaN when not defined.
  double coverAtAlarm = 0.0, coverWorst = 0.0, coverWorstAfter_s = 0.0;
  double reserveAboveAtAlarm = 0.0, reserveAboveWorst = 0.0, reserveAboveWorstAfter_s = 0.0;
  double medianTimeToLimit_s = 0.0;  // from the onset, over runs that reached it (else inf)
  int reachedLimit = 0;              // runs whose leak's module reached a limit
  std::vector<double> delays_s;      // per run (never for misses), for the plot
  std::vector<double> rates_kg_s;
};

struct CampaignStats {
  int leakFreeRuns = 0, leakFreeFailed = 0, leakFreeAlarms = 0;
  double leakFreeSegmentYears = 0.0;
  double falseAlarmsPerSegmentYear = 0.0;
  double falseAlarmUpper95 = 0.0;  // Poisson upper 95 % bound on the rate
  int leakFreeSensorFaults = 0;
  // The leak-free runs' upcrossings of each of harness::kExcursionLevels, and the number of
  // effectively independent tests per block they imply, K_eff(z) = rate(z) dt / P(Z > z): the
  // threshold z_th = Phi^-1(1 - FAR dt / K) holds its rate where K_eff(z_th) <= K.
  std::array<int, harness::kExcursionLevels.size()> excursions{};
  std::array<double, harness::kExcursionLevels.size()> excursionsPerSegmentYear{}, effectiveTests{};
  double simulatedDays = 0.0;
  double cpuSeconds = 0.0;  // summed wall time of the runs (simulation and detection)
  std::vector<SizeStats> sizes;
};

CampaignStats summarise(const CampaignSpec& spec, const std::vector<RunRecord>& runs);

// Delay against leak rate, as SVG text: every run, the median and 90 % per size, and t*.
std::string delayPlotSvg(const CampaignSpec& spec, const CampaignStats& stats);

}  // namespace leakhunt::campaign
