// `leakhunt demo`: a scenario lived through end to end. The simulator plays the station with
// a hidden leak; leakhunt sees only telemetry and the log, as it would in flight: it raises
// the alarm and sizes the hole, the isolation corners it, the patch and repress follow,
// verification and trending watch the weeks after, forensics and the ground-test tool look
// back. The story is told as timeline entries while it runs, and drawn as a report.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
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
  std::function<void(const report::TimelineEntry&)> onEntry;  // told as they happen
  std::function<void(double fraction)> progress;
};

// The figures a flight controller and the tests read. Times are Unix seconds; absent values
// are NaN (the JSON says null).
struct StorySummary {
  std::string scenario;
  std::string leakModule;  // the truth, known only because this is a simulation
  double leakOnset_s = 0.0;
  bool alarmRaised = false;
  double alarm_s = 0.0;
  std::vector<std::string> alarmSegment;
  double rate_kg_s = 0.0,
         rateSigma_kg_s = 0.0;  // an hour after the alarm (or last before isolation)
  double diameter_m = 0.0, diameterLow_m = 0.0, diameterHigh_m = 0.0;
  double pressureDropRate_pa_s = 0.0;  // station-wide, at that rate
  double reserve_s = 0.0, reserveWithRepress_s = 0.0;
  std::string localisation;  // "planner" or "scripted (the crew's order in the scenario)"
  std::string localizedModule;
  bool localizedCorrect = false;
  double localized_s = 0.0;
  int hatchOperations = 0;
  bool patched = false;
  double patch_s = 0.0;
  bool patchVerified = false;
  double residualBound_kg_s = 0.0;
  bool regrowthDetected = false;
  double regrowthDetected_s = 0.0;
  double regrowthCrossed5pct_s = 0.0;  // truth: the patch passed 5 % of the hole's area
  std::string onsetProfile;
  double onsetEstimate_s = 0.0, onsetLow_s = 0.0, onsetHigh_s = 0.0;
  bool groundTestPasses = false;  // the sealed hole would have passed the factory test
  bool groundTestRun = false;
};

struct StoryResult {
  StorySummary summary;
  report::Report report;
};

Result<StoryResult> runStory(const model::Scenario& scenario, const StoryOptions& options);

}  // namespace leakhunt::story
