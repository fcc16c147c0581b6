// What the operations core tells the world, one value type per event, and the one observer
// they all go through (style.md 4: the server, the CLI and the report only render these).
// Times are Unix time [s]; rates [kg/s]; pressures [Pa]; modules by their station ids.
#pragma once

#include <string>
#include <vector>

#include "detect/detector.hpp"
#include "locate/segment_outcome.hpp"
#include "verify/trend.hpp"
#include "verify/verify.hpp"

namespace leakhunt::ops {

// The detector's first alarm of an incident. `report.modules` is cleared (it points into the
// detector); `segment` names the alarmed segment's modules.
struct Alarm {
  detect::LeakReport report;
  std::vector<std::string> segment;
};

// The detector's latest estimate of the incident's leak, once per block after the alarm.
struct Estimate {
  detect::LeakReport report;
  std::vector<std::string> segment;
};

enum class OperationKind { CrewMove, CloseHatch, EqualiseThenOpen };
const char* toString(OperationKind kind);

// One thing the crew is asked to do, logged when done. Crew members go to their places at once,
// each on their own; then one crew member works the hatches, one after another.
struct Operation {
  OperationKind kind = OperationKind::CloseHatch;
  std::string subject;   // hatch id, or crew id
  std::string to;        // a crew move's destination module
  double start_s = 0.0;  // since the step began
  double duration_s = 0.0;
  std::string text;  // "close node-lab", "equalise, then open node-lab", "one: core -> soyuz-om"
};

// A segment the step reads, and what each outcome would mean.
struct Read {
  std::vector<std::string> segment;
  double leakProbability = 0.0;  // that the leak is in it, before the step
  double readingSigma_kg_s = 0.0;
  std::string ifLosing, ifSteady;
};

struct CrewPath {
  std::string crew;
  std::string lifeboat;  // vehicle id
  std::vector<std::string>
      modules;  // from where they will be to their lifeboat, through open hatches
};

struct WhySafe {
  std::vector<CrewPath> paths;  // every crew member's, in the step's configuration
  // Lowest pressure any crewed segment that may hold the leak can reach by the end of the hold
  // at the leak's upper rate (mean + 2 sd), less the evacuation pressure; the declared pressure
  // less the evacuation pressure when no crewed segment may hold it.
  double pressureMargin_pa = 0.0;
  double hold_s = 0.0;         // operate, settle, dwell and reopen
  double longestHold_s = 0.0;  // the longest the configuration is safe for (may be infinite)
  std::vector<std::string> violations;  // safety rules broken: empty, unless the planner erred
};

struct ProposedStep {
  int step = 0;  // 0, 1, ... within the incident
  double proposedAt_s = 0.0;
  std::vector<Operation> operations;       // in order: crew moves, closes, then openings
  std::vector<std::string> closedHatches;  // the configuration: hatches held closed
  double switch_s = 0.0;                   // until the last operation is done
  double settle_s = 0.0, dwell_s = 0.0;    // after the last operation
  double expectedBits = 0.0;
  std::vector<Read> reads;
  WhySafe whySafe;
};

// A segment's reading at the end of a dwell: its modules (`segment`), loss rate and sd, read or
// not, losing or not. One type with locate's (the drill and `locate infer` read the same).
using SegmentOutcome = locate::SegmentOutcome;

struct StepOutcome {
  int step = 0;
  double from_s = 0.0, to_s = 0.0;  // the window read
  std::vector<SegmentOutcome> segments;
};

struct ModuleProbability {
  std::string module;
  double probability = 0.0;
};

struct Posterior {
  double time_s = 0.0;
  std::vector<ModuleProbability> modules;  // P(module holds a leak), station order
  double twoLeaks = 0.0;
};

struct Cornered {
  double time_s = 0.0;
  std::vector<std::string> modules;  // one, or two for two leaks
  double probability = 0.0;
};

struct NoSafeTest {
  double time_s = 0.0;
  std::string why;
  std::vector<ModuleProbability> suspects;  // modules still holding 1 % or more
};

struct RepairVerdict {
  double time_s = 0.0;
  std::vector<std::string> segment;
  verify::VerifyResult result;
};

struct TrendChange {
  std::vector<std::string> segment;
  verify::TrendChange change;
};

class OperationsObserver {
 public:
  virtual ~OperationsObserver() = default;
  virtual void onAlarm(const Alarm&) {}
  // Every alarm the detector raises, true or false, the incidents' own among them (each comes
  // just before its onAlarm): a control room lists them all.
  virtual void onDetectorAlarm(const Alarm&) {}
  virtual void onEstimate(const Estimate&) {}
  virtual void onProposedStep(const ProposedStep&) {}
  virtual void onStepOutcome(const StepOutcome&) {}
  virtual void onPosterior(const Posterior&) {}
  virtual void onCornered(const Cornered&) {}
  virtual void onNoSafeTest(const NoSafeTest&) {}
  virtual void onRepairVerdict(const RepairVerdict&) {}
  virtual void onTrendChange(const TrendChange&) {}
};

}  // namespace leakhunt::ops
