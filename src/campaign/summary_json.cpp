#include "campaign/summary_json.hpp"

#include "report/result_json.hpp"

namespace leakhunt::campaign {
namespace {

using Json = nlohmann::ordered_json;
using report::finiteOrNull;

}  // namespace

Json summaryJson(const CampaignSpec& spec, const std::vector<RunRecord>& runs,
                 const CampaignStats& st, const RunInfo& run) {
  Json doc;
  doc["name"] = spec.name;
  doc["detector"] =
      spec.detector == detect::DetectorModel::StateSpace ? "state-space" : "slope-change";
  doc["runs"] = runs.size();
  doc["ranks"] = run.ranks;
  doc["threads"] = run.threads;
  doc["resumed_runs"] = run.resumed;
  doc["journal"] = run.journal;
  doc["wall_s"] = run.wall_s;
  doc["run_seconds"] = st.cpuSeconds;
  doc["simulated_days"] = st.simulatedDays;
  doc["false_alarms"] = {{"target_per_segment_year", spec.falseAlarmsPerYear},
                         {"leak_free_runs", st.leakFreeRuns},
                         {"failed_runs", st.leakFreeFailed},
                         {"segment_years", st.leakFreeSegmentYears},
                         {"alarms", st.leakFreeAlarms},
                         {"per_segment_year", st.falseAlarmsPerSegmentYear},
                         {"per_segment_year_upper95", st.falseAlarmUpper95},
                         {"sensor_faults", st.leakFreeSensorFaults}};
  Json excursions = Json::array();
  for (std::size_t k = 0; k < st.excursions.size(); ++k)
    excursions.push_back({{"z", harness::kExcursionLevels[k]},
                          {"upcrossings", st.excursions[k]},
                          {"per_segment_year", st.excursionsPerSegmentYear[k]},
                          {"effective_tests", st.effectiveTests[k]}});
  doc["false_alarms"]["excursions"] = std::move(excursions);
  doc["sizes"] = Json::array();
  for (const SizeStats& s : st.sizes) {
    doc["sizes"].push_back(
        {{"size", s.label},
         {"truth_rate_kg_s", s.truthRate_kg_s},
         {"runs", s.runs},
         {"failed", s.failed},
         {"detected", s.detected},
         {"missed", s.missed},
         {"alarms_before_onset", s.alarmsBeforeOnset},
         {"alarms_wrong_segment", s.alarmsWrongSegment},
         {"delay_p50_s", finiteOrNull(s.delayP50_s)},
         {"delay_p90_s", finiteOrNull(s.delayP90_s)},
         {"delay_p99_s", finiteOrNull(s.delayP99_s)},
         {"within_10_min", s.within10min},
         {"within_20_min", s.within20min},
         {"estimated", s.estimated},
         {"rate_within_10pct", s.within10pct},
         {"interval95_covers", s.covered95},
         {"median_abs_rel_error", s.medianAbsRelError},
         {"mean_rel_error", s.meanRelError},
         {"rate_spread_kg_s", s.rateSpread_kg_s},
         {"median_reported_sigma_kg_s", s.medianReportedSigma_kg_s},
         {"white_sigma_kg_per_block", s.whiteSigma_kg},
         {"block_period_s", s.blockPeriod_s},
         {"crb_sigma_kg_s", s.crbSigma_kg_s},
         {"hinge_bound_sigma_kg_s", s.hingeSigma_kg_s},
         {"spread_over_crb", s.spreadOverCrb},
         {"lorden_delay_s", s.lorden_h * 3600.0},
         {"oracle_delay_s", s.oracleDelay_s},
         {"median_delay_over_oracle", s.medianDelayOverOracle},
         {"crb_full_sigma_kg_s", finiteOrNull(s.crbFullSigma_kg_s)},
         {"spread_over_crb_full", finiteOrNull(s.spreadOverCrbFull)},
         {"oracle_full_delay_s", finiteOrNull(s.oracleFullDelay_s)},
         {"median_delay_over_oracle_full", finiteOrNull(s.medianDelayOverOracleFull)},
         {"reached_limit", s.reachedLimit},
         {"median_time_to_limit_s", finiteOrNull(s.medianTimeToLimit_s)}});
    if (spec.scoreAfterAlarm_s > 0.0) {
      // Issue 20: every block after the alarm (fractions of the runs with an estimate then).
      Json blocks = Json::array();
      for (const SizeStats::BlockTally& b : s.afterAlarm)
        blocks.push_back({{"after_alarm_s", b.after_s},
                          {"runs", b.runs},
                          {"interval95_covers", b.covered},
                          {"reserve_decided", b.reserveDecided},
                          {"reserve_low_above_truth", b.reserveAbove}});
      doc["sizes"].back()["after_alarm"] = {
          {"scored_for_s", spec.scoreAfterAlarm_s},
          {"interval95_cover_at_alarm", finiteOrNull(s.coverAtAlarm)},
          {"interval95_cover_worst_block", finiteOrNull(s.coverWorst)},
          {"interval95_cover_worst_after_alarm_s", finiteOrNull(s.coverWorstAfter_s)},
          {"reserve_low_above_truth_at_alarm", finiteOrNull(s.reserveAboveAtAlarm)},
          {"reserve_low_above_truth_worst_block", finiteOrNull(s.reserveAboveWorst)},
          {"reserve_low_above_truth_worst_after_alarm_s", finiteOrNull(s.reserveAboveWorstAfter_s)},
          {"blocks", std::move(blocks)}};
    }
  }
  // Every alarm of every run, in seconds from the run's start, for a look at the causes.
  doc["alarms"] = Json::array();
  for (std::size_t i = 0; i < runs.size(); ++i)
    for (const harness::AlarmRecord& al : runs[i].outcome.alarms)
      doc["alarms"].push_back({{"run", i},
                               {"leak_free", runs[i].plan.size < 0},
                               {"time_from_start_s", al.time_s - spec.start_s},
                               {"onset_from_start_s", al.onset_s - spec.start_s},
                               {"leak_rate_kg_s", al.rate_kg_s},
                               {"modules", al.modules.size()},
                               {"holds_leak", al.containsLeak},
                               {"statistic", al.statistic},
                               {"threshold", al.threshold},
                               {"scenario", runs[i].plan.scenarioText}});
  return doc;
}

}  // namespace leakhunt::campaign
