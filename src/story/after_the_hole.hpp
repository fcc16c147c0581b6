// After the hole, as the story tells it: the repair verdict and the leak-rate trend's changes
// over the following weeks (a failing patch shows as a change), both the operations core's, on
// the segment holding the module it localised; the onset of the alarm the crew acted on put on
// trial (step, ramp or growth, and when) on the core's residual stream; and the factory's
// ground test of the module sized from leakhunt's estimate of the hole. Each reads only what
// leakhunt saw: the module is the one leakhunt localised (and the crew patched), never the
// simulator's; if that module is the wrong one, verify and trend say so by themselves (the
// station's segment still loses gas).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "detect/logged_events.hpp"
#include "locate/segment_recorder.hpp"
#include "model/scenario.hpp"
#include "ops/events.hpp"
#include "report/report.hpp"
#include "story/recorder.hpp"
#include "verify/ground_test.hpp"
#include "verify/onset.hpp"
#include "verify/trend.hpp"
#include "verify/verify.hpp"

namespace leakhunt::story {

// The factory's vacuum-chamber test of one module (a day, the cabin sensors' 0.1 mmHg, 0.1 K
// stability) against the hole leakhunt estimated, open through the test: would the test have
// caught it? `estimated` is the hole's best estimate, `smallest` the low end of its 95 %
// interval (caught there too means caught for every hole the data allow). The check fails
// (`passes` false) for a hole the test sees; it passes for one below its resolution.
struct GroundTestCheck {
  verify::GroundTestInput input;  // holeDiameter_m: the estimate
  double smallestDiameter_m = 0.0;
  verify::GroundTestResult estimated, smallest;
};

// `module`: index into station.modules; `estimate`: the alarm's latest estimate (diameter, its
// interval and Cd). Nothing of the simulator's hole goes in.
GroundTestCheck groundTestOf(const model::Station& station, int module,
                             const detect::LeakReport& estimate);

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
  // Told then when there is no verdict to tell it with: the estimate it is sized from, or the
  // naming of the module it tests, whichever came later (a test of the named module cannot come
  // before the module was named).
  double groundTestAt_s = 0.0;
  GroundTestCheck groundTest;
};

struct AfterTheHoleInput {
  const model::Station* station = nullptr;
  const detect::LoggedEvents* log = nullptr;
  int module = -1;       // the module leakhunt localised and the crew patched
  double named_s = 0.0;  // Unix time leakhunt named it (cornered, or stopped with a best guess)
  const Alarm* firstAlarm = nullptr;  // the alarm the crew acted on, if any
  bool patched = false;
  double patch_s = 0.0;  // Unix time
  // The operations core's: its first repair verdict, its trend changes after the patch, the
  // trend of every segment, and the detector's residual stream per segment life.
  const ops::RepairVerdict* verdict = nullptr;
  const std::vector<ops::TrendChange>* changes = nullptr;
  const verify::TrendBuilder* trend = nullptr;
  const std::vector<locate::SegmentSeries>* series = nullptr;
  double blockPeriod_s = 60.0;
};

AfterTheHole afterTheHole(const AfterTheHoleInput& in);

// Timeline entries for what the tools concluded, and the trend figure.
std::vector<report::TimelineEntry> afterTheHoleEntries(const AfterTheHole& a,
                                                       const model::Station& station);
std::optional<report::LinePlot> trendPlot(const AfterTheHole& a, double from_s);

}  // namespace leakhunt::story
