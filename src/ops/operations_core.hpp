// The operations core (architecture.md, `operations`): the live loop of a leak, one streaming
// component that `serve`, `demo`, drills and campaigns all run.
//
// In: telemetry samples in time order, and the actions the station logged (hatch operations,
// crew moves, patches, represses). It owns the detector, the belief over the leak's module, the
// planner with its safety rules, and verify and trend after a patch. Out, through one
// OperationsObserver: alarm, estimates, proposed steps, step outcomes, posteriors, cornered or
// no safe test, the repair verdict and trend changes.
//
// It never acts on the station: it proposes a step, and the step runs when the log shows it
// done. The configuration is always what the log says, proposed or not. See docs/operations.md
// for the state machine. It never sees a scenario's truth: only telemetry, the station
// description and the log.
#pragma once

#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "detect/detector.hpp"
#include "locate/belief.hpp"
#include "locate/planner.hpp"
#include "locate/segment_recorder.hpp"
#include "locate/stretch.hpp"
#include "ops/events.hpp"
#include "ops/logged_action.hpp"
#include "verify/residual_tap.hpp"
#include "verify/sequential_verify.hpp"

namespace leakhunt::ops {

class RepairWatch;

struct OperationsOptions {
  detect::DetectorOptions detector;
  locate::PlannerOptions planner;
  locate::PriorSpec prior;
  double stopProbability = 0.99;
  // Prior sd of the leak rate, as a share of the alarm's rate: a slow leak's rate at the alarm
  // can be several times off (docs/detection.md), so the prior is broad.
  double rateSigmaFraction = 1.0;
  int maxSteps = 40;
  // The first step sends every crew member to their own lifeboat (the ISS procedure's first
  // step, shared/docs/record.md 3), which frees the station's hatches for testing.
  bool musterInLifeboats = true;
  double muster_s = 600.0;  // a crew member's move to their lifeboat
  verify::VerifyOptions verify;
  verify::TrendOptions trend;
  // The crew's own steps, read after the fact (`locate infer`): every stretch of unchanged
  // hatches and crew the log shows after the alarm is read as a test, proposed or not, and
  // nothing is proposed until finish(). Stretches shorter than `minStretch_s` (after the
  // settling) are not read.
  bool followLog = false;
  double minStretch_s = 600.0;
  // Above 0: the leak rate to plan and read with, instead of the alarm's (kg/s).
  double leakRate_kg_s = 0.0;
  // A run of weeks (the demo's story): once an incident is closed (cornered or no safe test,
  // and its repair verdict given), the detector's next alarm opens a new incident, planned from
  // the start. Off: alarms after the first are evidence the steps read, never new incidents.
  bool laterIncidents = false;
  // Above 0: the repair is judged against this share of the incident's latest rate estimate at
  // the patch (when larger than verify.target_kg_s): a station's noise can take days to show a
  // tight absolute target, and a crew wants the verdict the day after.
  double verifyTargetShare = 0.0;
  // Telemetry kept for a late log entry (one for a block the detector has already closed),
  // which runs a new detector over it [s]. Entries logged as they are done need none; a run of
  // weeks bounds its memory with this (a late entry then reads only what is kept).
  double keepTape_s = std::numeric_limits<double>::infinity();
};

enum class Phase {
  Waiting,     // no alarm yet
  Planning,    // an incident: a step proposed, or under way
  Cornered,    // the leak's module(s) found
  NoSafeTest,  // no safe, informative test remains
};
const char* toString(Phase phase);

// A snapshot for consumers that poll (the server's GET /api/plan).
struct OperationsStatus {
  Phase phase = Phase::Waiting;
  double time_s = 0.0;  // of the latest sample
  std::optional<Alarm> alarm;
  std::vector<std::string> localized;        // cornered module(s), else empty
  std::vector<ModuleProbability> posterior;  // empty before the alarm
  std::vector<ProposedStep> proposed;        // the step waiting to be done, or under way
  std::optional<double> readingDue_s;        // the step under way: when its dwell ends
  // No safe test under the alarm's first numbers, which only said "at least" (issue 20): the
  // next estimate with a closed interval either lets the core plan again or makes the stop final.
  bool stopProvisional = false;
  bool verifying = false;  // a patch logged, no verdict yet
  std::optional<RepairVerdict> repair;

  // The isolation is over at `now_s`: cornered, or stopped for good (not a provisional stop), or
  // past `deadline_s` with no step's reading under way (a step begun is read to its end). One
  // rule for every harness that runs an incident to its end (drill, story).
  bool isolationOver(double now_s, double deadline_s) const {
    return (phase != Phase::Planning && !stopProvisional) || (now_s > deadline_s && !readingDue_s);
  }
};

class OperationsCore {
 public:
  // `channelNames[i]` names channel i of the samples. `log`: what the station logged before
  // the core started. The observer may be null, and must outlive the core.
  OperationsCore(model::Station station, std::vector<std::string> channelNames,
                 OperationsOptions options, OperationsObserver* observer,
                 detect::LoggedEvents log = {});
  ~OperationsCore();
  OperationsCore(const OperationsCore&) = delete;
  OperationsCore& operator=(const OperationsCore&) = delete;

  // Samples in time order (the detector's requirement); time advances with them.
  void addSample(const telemetry::Sample& sample);
  void addSamples(std::span<const telemetry::Sample> samples);
  // An action the station logged. It takes effect for the estimators at its own time; the
  // configuration the core plans from is the log's as it now stands.
  void log(const LoggedAction& action);

  // The end of the telemetry. With `followLog`, the stretch under way is read to the last
  // sample and, unless the leak is cornered, the next step is proposed (or no safe test
  // reported). Otherwise nothing.
  void finish();

  OperationsStatus status() const;
  const model::Station& station() const { return m_station; }
  // The detector's segments as it now stands, and the sensor faults it has reported over the
  // kept telemetry (an entry when a fault starts and one when it ends; after a log entry the
  // list is made again from the start): for the server's status and events (one detector).
  std::vector<detect::SegmentStatus> segments() const;
  const std::vector<detect::SensorFault>& sensorFaults() const;
  // The detector's residual stream as kept per segment life (the steps' readings, onset
  // forensics), and the leak-rate trend of every segment (the report's trend figure).
  const std::vector<locate::SegmentSeries>& series() const;
  const verify::TrendBuilder& trend() const;
  // Detectors run again over the kept telemetry: a late log entry each (a test's measure).
  int rebuilds() const { return m_rebuilds; }

 private:
  void rebuild();
  void watchDetector();
  void tellDetectorAlarms();
  void replanOnNarrowerRate(const detect::LeakReport& estimate);
  void startIncident(const detect::LeakReport& alarm, const std::vector<int>& segment);
  void propose(double now_s);
  void beginStep(double at_s);
  void endStep(double now_s);
  bool readStretches(double now_s);  // false: the incident is decided (cornered, step limit)
  void followTo(double at_s);
  void replanAfterDivergence(double at_s);
  bool partOfProposal(const LoggedAction& action) const;
  void startRepair(double patch_s);
  void watchRepair(double time_s);
  std::vector<ModuleProbability> posteriorOf(double floor) const;

  model::Station m_station;
  locate::StationFacts m_facts;
  std::vector<std::string> m_channels;
  OperationsOptions m_o;
  OperationsObserver* m_observer;
  OperationsObserver m_silent;  // when no observer is given

  // The detector takes the log at its start (its segments follow the hatches): a log entry
  // rebuilds it from the kept telemetry before the next sample.
  detect::LoggedEvents m_log;
  std::vector<telemetry::Sample> m_tape;
  bool m_stale = false;
  std::unique_ptr<locate::SegmentRecorder> m_recorder;
  int m_rebuilds = 0;
  std::size_t m_alarmsTold = 0;  // of the recorder's alarms, passed on
  double m_lastAlarmTold_s = -std::numeric_limits<double>::infinity();
  int m_lastAlarmToldDetection = -1;
  double m_rate_kg_s = 0.0;        // the incident's latest estimate
  bool m_stopProvisional = false;  // see OperationsStatus::stopProvisional
  double m_now_s = -std::numeric_limits<double>::infinity();

  locate::HatchSet m_open;    // as logged
  locate::CrewPlaces m_crew;  // as logged

  Phase m_phase = Phase::Waiting;
  std::optional<Alarm> m_alarm;
  double m_lastEstimate_s = -std::numeric_limits<double>::infinity();
  std::vector<int> m_suspects;
  locate::LeakRate m_alarmRate, m_planningRate;
  double m_reference_pa = 0.0;
  std::optional<locate::Belief> m_belief;
  std::vector<double> m_pressure;  // per module at the last reading; empty: declared
  int m_steps = 0;
  struct Proposal {
    ProposedStep step;
    locate::PlannedTest test;
    locate::CrewPlaces crew;  // where the step wants the crew
  };
  std::optional<Proposal> m_proposal;
  bool m_underWay = false;
  double m_readingDue_s = 0.0;
  std::vector<locate::Stretch> m_history;  // Unix times
  std::vector<int> m_localized;

  std::vector<int> m_repairModules;  // the segment to verify must hold these
  std::unique_ptr<RepairWatch> m_repair;
  double m_patch_s = 0.0;
  double m_verifyTarget_kg_s = 0.0;
  std::optional<RepairVerdict> m_verdict;
  std::optional<verify::SequentialVerify> m_verifyLooks;  // since the patch
  long m_period = -1;
  std::size_t m_trendChanges = 0;
};

}  // namespace leakhunt::ops
