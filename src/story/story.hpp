// `leakhunt demo`: a scenario lived through end to end, in one run of the operations core
// (src/ops). The simulator plays the station with a hidden leak and its crew (the harness's
// autopilot) does what the core proposes; leakhunt sees only telemetry and the log, as it would
// in flight: the core raises the alarm and sizes the hole, its isolation corners it, the crew
// patch where it said and repress, the core's verification and trend watch the weeks after
// (and, should the patch fail, a new incident runs the same loop again); forensics and the
// ground-test tool look back. The story is gathered as timeline entries, printed in station-time
// order once the run is over, and drawn as a report. Every decision in it is leakhunt's (the alarms
// its detector raised, the module its planner named, the hole it estimated); the simulator's truth
// is only put beside them after the run (`BesideTheTruth`).
#pragma once

#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "detect/detector.hpp"
#include "model/scenario.hpp"
#include "report/report.hpp"

namespace leakhunt::story {

struct StoryOptions {
  // How long to follow the station after the patch (a failing patch needs weeks to show).
  double followAfterPatch_s = 36.0 * 86400.0;
  // A shortened setting (CI): a patch failure compressed to start this long after the patch
  // and to grow over this long; 0 keeps the scenario's own.
  double failureAfter_s = 0.0, failureDuration_s = 0.0;
  double relativeTolerance = 1e-6;
  double trendPeriod_s = 86400.0;  // the leak-rate trend's period (CI: shorter)
  // The operations core's detector (detect/leak_detector.hpp); DetectorOptions' default.
  detect::DetectorModel detector = detect::DetectorOptions{}.model;
  std::function<void(double fraction)> progress;
};

// One alarm leakhunt raised, as it saw it.
struct AlarmSummary {
  double alarm_s = 0.0;
  double estimate_s = 0.0;  // of the rate below: an hour on, or the last before its segment ended
  double rate_kg_s = 0.0, rateSigma_kg_s = 0.0;
  std::vector<std::string> segment;
  bool actedOn = false;  // the alarm the isolation followed
  int incident = -1;     // the incident it opened (0: the one acted on), or -1
  // The hole as the alarm's report sized it (95 %), at the discharge coefficient `cd`;
  // `holeAtLeast`: only its lower end is a claim. `emptied`: the segment had emptied by then
  // (issue 20: the rate is its loss now, the hole timed from its decay).
  double holeDiameter_m = 0.0, holeLow_m = 0.0, holeHigh_m = 0.0, cd = 0.0;
  bool holeAtLeast = false, emptied = false;
};

// Written after the run: the truth beside what leakhunt said.
struct BesideTheTruth {
  std::string leakModule;
  double leakOnset_s = 0.0;
  double leakDiameter_m = 0.0;
  double leakCd = 0.0;
  // The hole of the same effective area at the discharge coefficient leakhunt sized with: what
  // its diameter estimate should be compared with (NaN when no alarm was raised).
  double sameAreaAtSizingCd_m = 0.0;
  double sizingCd = 0.0;
  bool localizedCorrect = false;       // the module leakhunt named holds the hole
  bool patchOnTheHole = false;         // the patch went on the module with the hole
  double regrowthCrossed5pct_s = 0.0;  // the patch on the hole passed 5 % of its area
  struct Alarm {
    double alarm_s = 0.0;
    bool trueAlarm = false;
    std::string why;
  };
  std::vector<Alarm> alarms;  // one per AlarmSummary, same order
  // Per later incident: the module it named holds a hidden hole.
  std::vector<bool> laterCorrect;
};

// An incident the core opened after the first (an alarm once the repair was judged).
struct LaterIncident {
  double alarm_s = 0.0;
  std::string module;  // cornered, or its most likely; the crew patched it
  bool cornered = false;
  // Unix times: when the core cornered it or stopped, and when the crew patched `module`
  // (NaN when the run ended first). The timeline tells the crew's actions in between as this
  // incident's isolation, and the patch as on `module`.
  double decided_s = std::numeric_limits<double>::quiet_NaN();
  double patch_s = std::numeric_limits<double>::quiet_NaN();
};

// The figures a flight controller and the tests read. Times are Unix seconds; absent values
// are NaN (the JSON says null). Everything but `truth` is leakhunt's.
struct StorySummary {
  std::string scenario;
  std::vector<AlarmSummary> alarms;  // every alarm raised, in time order
  std::vector<LaterIncident> laterIncidents;
  int incidents = 0;  // the operations core's: the first, and any after its repair
  // The alarm the crew acted on (the one the isolation followed).
  bool alarmRaised = false;
  double alarm_s = 0.0;
  std::vector<std::string> alarmSegment;
  double rate_kg_s = 0.0,
         rateSigma_kg_s = 0.0;  // an hour after the alarm (or last before isolation)
  double diameter_m = 0.0, diameterLow_m = 0.0, diameterHigh_m = 0.0;
  double pressureDropRate_pa_s = 0.0;  // station-wide, at that rate
  double reserve_s = 0.0, reserveWithRepress_s = 0.0;
  std::string localisation;     // "planner", its best guess, or "scripted (the scenario's)"
  std::string localizedModule;  // cornered, or the planner's best guess; empty if neither
  bool cornered = false;        // the planner cornered it (else a best guess, or scripted)
  double localized_s = 0.0;
  int hatchOperations = 0;
  bool patched = false;
  std::string patchModule;  // where the crew put the patch: the module leakhunt named
  double patch_s = 0.0;
  bool patchVerified = false;
  double residualRate_kg_s = 0.0, residualBound_kg_s = 0.0;  // verify's estimate and 95 % bound
  bool regrowthDetected = false;
  double regrowthDetected_s = 0.0;
  std::string regrowthBy;  // "trend" (a change after the verdict) or "alarm" (a new incident)
  std::string onsetProfile;
  double onsetEstimate_s = 0.0, onsetLow_s = 0.0, onsetHigh_s = 0.0;
  // The factory's test of the named module against the estimated hole, open: false when the
  // test would have caught it (a 2 mm hole), true when the hole is below what it resolves.
  bool groundTestRun = false;
  bool groundTestPasses = false;
  bool groundTestPassesSmallest = false;  // the low end of the diameter's 95 % interval
  double groundTestDiameter_m = 0.0;
  BesideTheTruth truth;
};

struct StoryResult {
  StorySummary summary;
  report::Report report;
};

Result<StoryResult> runStory(const model::Scenario& scenario, const StoryOptions& options);

}  // namespace leakhunt::story
