#include "story/summary_json.hpp"

#include <cmath>

#include "report/result_json.hpp"
#include "telemetry/telemetry_io.hpp"

namespace leakhunt::story {
namespace {

using Json = nlohmann::ordered_json;

Json time(double unix_s) {
  return std::isfinite(unix_s) ? Json(telemetry::formatTime(unix_s)) : Json(nullptr);
}

}  // namespace

Json storySummaryJson(const StorySummary& s, const report::ReportFiles& files) {
  Json alarms = Json::array();
  for (const AlarmSummary& a : s.alarms)
    alarms.push_back({{"time", time(a.alarm_s)},
                      {"leak_rate_kg_s", report::finiteOrNull(a.rate_kg_s)},
                      {"leak_rate_sigma_kg_s", report::finiteOrNull(a.rateSigma_kg_s)},
                      {"estimate_time", time(a.estimate_s)},
                      {"segment", a.segment},
                      {"acted_on", a.actedOn},
                      {"hole_diameter_m", report::finiteOrNull(a.holeDiameter_m)},
                      {"hole_low_m", report::finiteOrNull(a.holeLow_m)},
                      {"hole_high_m", report::finiteOrNull(a.holeHigh_m)},
                      {"hole_at_least", a.holeAtLeast},
                      {"cd", report::finiteOrNull(a.cd)},
                      {"segment_emptied", a.emptied}});
  // Written after the run: the simulator's truth beside each answer above.
  const BesideTheTruth& t = s.truth;
  Json judged = Json::array();
  for (const BesideTheTruth::Alarm& a : t.alarms)
    judged.push_back({{"time", time(a.alarm_s)}, {"true_alarm", a.trueAlarm}, {"why", a.why}});
  const Json truth{{"leak_module", t.leakModule},
                   {"leak_onset", time(t.leakOnset_s)},
                   {"leak_diameter_m", report::finiteOrNull(t.leakDiameter_m)},
                   {"time_to_alarm_s", report::finiteOrNull(s.alarm_s - t.leakOnset_s)},
                   {"localized_correct", t.localizedCorrect},
                   {"patch_on_the_hole", t.patchOnTheHole},
                   {"regrowth_crossed_5pct_time", time(t.regrowthCrossed5pct_s)},
                   {"alarms", judged}};
  return {{"scenario", s.scenario},
          {"alarms", alarms},
          {"alarm_raised", s.alarmRaised},
          {"alarm_time", time(s.alarm_s)},
          {"alarm_segment", s.alarmSegment},
          {"leak_rate_kg_s", report::finiteOrNull(s.rate_kg_s)},
          {"leak_rate_sigma_kg_s", report::finiteOrNull(s.rateSigma_kg_s)},
          {"pressure_drop_rate_pa_s", report::finiteOrNull(s.pressureDropRate_pa_s)},
          {"diameter_m", report::finiteOrNull(s.diameter_m)},
          {"diameter_interval_m",
           {report::finiteOrNull(s.diameterLow_m), report::finiteOrNull(s.diameterHigh_m)}},
          {"reserve_time_s", report::finiteOrNull(s.reserve_s)},
          {"reserve_time_with_repress_s", report::finiteOrNull(s.reserveWithRepress_s)},
          {"localisation", s.localisation},
          {"localized_module", s.localizedModule},
          {"cornered", s.cornered},
          {"localized_time", time(s.localized_s)},
          {"time_to_locate_s", report::finiteOrNull(s.localized_s - s.alarm_s)},
          {"hatch_operations", s.hatchOperations},
          {"patched", s.patched},
          {"patch_module", s.patchModule},
          {"patch_time", time(s.patch_s)},
          {"patch_verified", s.patchVerified},
          {"residual_rate_kg_s", report::finiteOrNull(s.residualRate_kg_s)},
          {"residual_bound_kg_s", report::finiteOrNull(s.residualBound_kg_s)},
          {"regrowth_detected", s.regrowthDetected},
          {"regrowth_detected_time", time(s.regrowthDetected_s)},
          {"regrowth_detected_by", s.regrowthBy},
          {"incidents", s.incidents},
          {"onset_profile", s.onsetProfile},
          {"onset_estimate", time(s.onsetEstimate_s)},
          {"onset_interval", {time(s.onsetLow_s), time(s.onsetHigh_s)}},
          {"ground_test_run", s.groundTestRun},
          {"ground_test_diameter_m", report::finiteOrNull(s.groundTestDiameter_m)},
          {"ground_test_passes", s.groundTestPasses},
          {"ground_test_passes_smallest", s.groundTestPassesSmallest},
          {"beside_truth", truth},
          {"report_html", files.html.string()},
          {"report_json", files.json.string()}};
}

}  // namespace leakhunt::story
