// What the story keeps while the world runs: the world's side (module pressures binned for the
// figures; the truth's leak flow, kept apart, for the figures and the section beside the truth
// only) and the operations core's side, from its observer events alone (every alarm, the
// estimates, the isolation's steps, cornered, the repair verdict, trend changes). The core owns
// the one detector; the recorder runs none.
#pragma once

#include <optional>
#include <vector>

#include "harness/drill_record.hpp"
#include "model/scenario.hpp"
#include "ops/operations_core.hpp"
#include "sim/scenario_runner.hpp"
#include "story/module_traces.hpp"
#include "story/timeline.hpp"

namespace leakhunt::story {

struct RatePoint {
  double t = 0.0, rate_kg_s = 0.0, sigma_kg_s = 0.0;
  int detection = -1;
};

struct Alarm {
  detect::LeakReport first;  // at the alarm
  detect::LeakReport last;   // latest estimate (the incidents' alarms get estimates)
  std::vector<int> modules;
  int incident = -1;  // the incident it opened (0, 1, ...), or -1: evidence or a false alarm
};

// One incident of the core: its localisation, as the drill's report has it (times since its
// alarm), its alarm, and whether it ended cornered or with no safe test.
struct Incident {
  harness::DrillResult localisation;
  double decided_s = 0.0;  // Unix time cornered or stopped; NaN while planning
  bool decided = false;
};

class Recorder final : public sim::RunObserver, public ops::OperationsObserver {
 public:
  // Pressures and the true leak flow are averaged over bins of `fine_s` and of `coarse_s`.
  // Alarms and estimates go on `timeline` as they are concluded (it orders them by time).
  Recorder(const model::Scenario& world, double fine_s, double coarse_s, Timeline* timeline);
  // The core whose segments the inventory figure sums (set once it runs).
  void watch(const ops::OperationsCore* core) { m_core = core; }

  // The world.
  void begin(const telemetry::ChannelTable& telemetry,
             const telemetry::ChannelTable& truth) override;
  void telemetry(const telemetry::Sample& s) override;
  void truth(const telemetry::Sample& s) override;
  void finish();

  // The core.
  void onDetectorAlarm(const ops::Alarm& a) override;
  void onAlarm(const ops::Alarm& a) override;
  void onEstimate(const ops::Estimate& e) override;
  void onProposedStep(const ops::ProposedStep& p) override;
  void onStepOutcome(const ops::StepOutcome& o) override;
  void onPosterior(const ops::Posterior& p) override;
  void onCornered(const ops::Cornered& c) override;
  void onNoSafeTest(const ops::NoSafeTest& n) override;
  void onRepairVerdict(const ops::RepairVerdict& v) override;
  void onTrendChange(const ops::TrendChange& t) override;

  const std::vector<Alarm>& alarms() const { return m_alarms; }
  const std::vector<Incident>& incidents() const { return m_incidents; }
  const std::vector<ops::RepairVerdict>& verdicts() const { return m_verdicts; }
  const std::vector<ops::TrendChange>& trendChanges() const { return m_trend; }
  const std::vector<RatePoint>& rates() const { return m_rates; }
  const BinnedSeries& finePressures() const { return m_fine; }
  const BinnedSeries& coarsePressures() const { return m_coarse; }
  const BinnedSeries& fineLeakFlow() const { return m_fineLeak; }      // truth, kg/s
  const BinnedSeries& coarseLeakFlow() const { return m_coarseLeak; }  // truth, kg/s
  const BinnedSeries& inventory() const { return m_inventory; }        // station total, kg
  // Per module series index -> module index.
  const std::vector<int>& pressureModules() const { return m_pressureModules; }

 private:
  Alarm* alarmOf(int detection);

  const model::Scenario& m_world;
  const ops::OperationsCore* m_core = nullptr;
  std::vector<int> m_seriesOfChannel;  // telemetry channel -> pressure series, or -1
  std::vector<int> m_pressureModules;
  std::vector<int> m_leakOfTruth;  // truth channel -> 0 when a leak flow, else -1
  BinnedSeries m_fine, m_coarse, m_fineLeak, m_coarseLeak, m_inventory;
  double m_fine_s, m_coarse_s;
  double m_nextInventory_s = 0.0;
  double m_inventoryPeriod_s = 60.0;
  Timeline* m_timeline;
  std::vector<Alarm> m_alarms;
  std::vector<bool> m_hourTold;  // per alarm: the estimate an hour on was told
  std::vector<RatePoint> m_rates;
  std::vector<Incident> m_incidents;
  std::optional<harness::DrillRecord> m_record;  // the incident in progress
  std::vector<ops::RepairVerdict> m_verdicts;
  std::vector<ops::TrendChange> m_trend;
  double m_lastLeakTime_s = -1.0;
  double m_leakSum_kg_s = 0.0;
};

}  // namespace leakhunt::story
