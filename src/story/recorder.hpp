// What the story watches while the simulator plays the station: every telemetry sample goes
// to the streaming detector (as on a real station) and into binned module pressures for the
// figures; the truth (leak flow) is kept apart, for the figures and the summary only.
#pragma once

#include <memory>
#include <vector>

#include "detect/detector.hpp"
#include "model/scenario.hpp"
#include "sim/scenario_runner.hpp"
#include "story/module_traces.hpp"
#include "story/timeline.hpp"
#include "verify/residual_tap.hpp"
#include "verify/trend.hpp"

namespace leakhunt::story {

struct RatePoint {
  double t = 0.0, rate_kg_s = 0.0, sigma_kg_s = 0.0;
  int detection = -1;
};

struct Alarm {
  detect::LeakReport first;  // at the alarm
  detect::LeakReport last;   // latest estimate
  double lastTold_s = 0.0;   // time of the latest estimate told on the timeline
  std::vector<int> modules;
  bool ended = false;  // its segment was split or merged
};

class Recorder final : public sim::RunObserver, public detect::DetectionObserver {
 public:
  // Pressures and the true leak flow are averaged over bins of `fine_s` and of `coarse_s`.
  // Alarms and estimates go on `timeline` as they are concluded (it orders them by time).
  // Each segment's residual inventory goes to the after-the-hole tools: kept whole for verify
  // and onset (a point a minute), and into the trend by `trendPeriod_s`.
  Recorder(const model::Scenario& scenario, detect::LoggedEvents log, double fine_s,
           double coarse_s, Timeline* timeline, double trendPeriod_s);

  void begin(const telemetry::ChannelTable& telemetry,
             const telemetry::ChannelTable& truth) override;
  void telemetry(const telemetry::Sample& s) override;
  void truth(const telemetry::Sample& s) override;
  void onAlarm(const detect::LeakReport& r) override;
  void onEstimate(const detect::LeakReport& r) override;
  void onSegmentsChanged(double time_s) override;
  void finish();

  const std::vector<Alarm>& alarms() const { return m_alarms; }
  const std::vector<RatePoint>& rates() const { return m_rates; }
  const BinnedSeries& finePressures() const { return m_fine; }
  const BinnedSeries& coarsePressures() const { return m_coarse; }
  const BinnedSeries& fineLeakFlow() const { return m_fineLeak; }      // truth, kg/s
  const BinnedSeries& coarseLeakFlow() const { return m_coarseLeak; }  // truth, kg/s
  const BinnedSeries& inventory() const { return m_inventory; }        // station total, kg
  // Per module series index -> module index.
  const std::vector<int>& pressureModules() const { return m_pressureModules; }
  const verify::SeriesCollector& residuals() const { return m_residuals; }
  const verify::TrendBuilder& trend() const { return m_trend; }

 private:
  const model::Scenario& m_scenario;
  detect::LoggedEvents m_log;
  // Both sinks see every point; the tap runs the one detector of the story.
  struct BothSinks final : verify::ResidualSink {
    verify::ResidualSink* a = nullptr;
    verify::ResidualSink* b = nullptr;
    void onPoint(int segment, std::span<const int> modules, const verify::ResidualPoint& point,
                 const verify::SegmentNoise& noise) override {
      a->onPoint(segment, modules, point, noise);
      b->onPoint(segment, modules, point, noise);
    }
  };
  verify::SeriesCollector m_residuals;
  verify::TrendBuilder m_trend;
  BothSinks m_sinks;
  std::unique_ptr<verify::ResidualTap> m_detector;
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
  double m_lastLeakTime_s = -1.0;
  double m_leakSum_kg_s = 0.0;
};

}  // namespace leakhunt::story
