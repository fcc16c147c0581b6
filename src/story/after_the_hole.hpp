// After the hole, as the story tells it: the repair verified over the day after the patch,
// the leak rate trended over the following weeks (a failing patch shows as a change), the
// onset of the first alarm's leak put on trial (step, ramp or growth, and when), and the
// ground test that the hole, sealed, would have passed. Each reads only what leakhunt saw.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "detect/logged_events.hpp"
#include "model/scenario.hpp"
#include "report/report.hpp"
#include "story/recorder.hpp"
#include "verify/ground_test.hpp"
#include "verify/onset.hpp"
#include "verify/trend.hpp"
#include "verify/verify.hpp"

namespace leakhunt::story {

struct AfterTheHole {
  bool verifyRun = false;
  double verifyAt_s = 0.0;  // Unix time of the verdict
  std::vector<int> verifySegment;
  verify::VerifyResult verify;

  std::optional<verify::SegmentTrend> trend;  // of the segment the leak is in after the patch
  std::optional<verify::TrendChange> drop;    // the patch, as the trend saw it
  std::optional<verify::TrendChange> regrowth;

  bool onsetRun = false;
  verify::OnsetResult onset;
  std::vector<verify::EventInWindow> onsetEvents;

  bool groundTestRun = false;
  verify::GroundTestInput groundTest;
  verify::GroundTestResult sealed, open;
};

struct AfterTheHoleInput {
  const model::Station* station = nullptr;
  const detect::LoggedEvents* log = nullptr;
  int leakModule = -1;
  double leakCda_m2 = 0.0, leakCd = 0.65;
  const Alarm* firstAlarm = nullptr;  // the leak's first alarm, if any
  bool patched = false;
  double patch_s = 0.0, reopen_s = 0.0;  // Unix time
  double verifyAfter_s = 86400.0;        // from the reopening
  double verifyTarget_kg_s = 0.05 / 86400.0;
};

AfterTheHole afterTheHole(const Recorder& recorder, const AfterTheHoleInput& in);

// Timeline entries for what the tools concluded, and the trend figure.
std::vector<report::TimelineEntry> afterTheHoleEntries(const AfterTheHole& a,
                                                       const model::Station& station);
std::optional<report::LinePlot> trendPlot(const AfterTheHole& a, double from_s);

}  // namespace leakhunt::story
