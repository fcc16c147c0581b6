#include "report/result_json.hpp"

#include <cmath>
#include <cstdio>

#include "detect/report_sizing.hpp"
#include "detect/segment_watch.hpp"
#include "telemetry/telemetry_io.hpp"

namespace leakhunt::report {
namespace {

using Json = nlohmann::ordered_json;

struct TimeWriter {
  Times style;
  std::string key(const std::string& k) const {
    return style == Times::UnixMs ? k + "_ms" : style == Times::UnixSeconds ? k + "_s" : k;
  }
  Json value(double unix_s) const {
    if (style == Times::UnixMs) return finiteOrNull(unix_s * 1000.0);
    if (style == Times::UnixSeconds) return finiteOrNull(unix_s);
    return telemetry::formatTime(unix_s);
  }
};

}  // namespace

Json finiteOrNull(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

Json segmentTrendJson(const verify::SegmentTrend& t, const std::vector<std::string>& modules) {
  Json points = Json::array();
  for (const verify::TrendPoint& p : t.points)
    points.push_back({{"start", telemetry::formatTime(p.start_s)},
                      {"end", telemetry::formatTime(p.end_s)},
                      {"leak_rate_kg_s", p.rate_kg_s},
                      {"leak_rate_sigma_kg_s", p.rateSigma_kg_s},
                      {"leak_rate_interval_kg_s", {p.low_kg_s, p.high_kg_s}},
                      {"coverage_s", p.coverage_s},
                      {"usable", p.usable}});
  Json changes = Json::array();
  for (const verify::TrendChange& c : t.changes)
    changes.push_back({{"time", telemetry::formatTime(c.time_s)},
                       {"time_interval",
                        {telemetry::formatTime(c.timeLow_s), telemetry::formatTime(c.timeHigh_s)}},
                       {"reported_at", telemetry::formatTime(c.reportedAt_s)},
                       {"leak_rate_before_kg_s", c.before_kg_s},
                       {"leak_rate_after_kg_s", c.after_kg_s},
                       {"change_kg_s", c.change_kg_s},
                       {"change_interval_kg_s", {c.changeLow_kg_s, c.changeHigh_kg_s}},
                       {"z", c.z},
                       {"threshold", c.threshold}});
  return {{"modules", modules},
          {"scatter_sigma_kg_s", t.scatterSigma_kg_s},
          {"periods", points},
          {"changes", changes}};
}

Json leakOnsetJson(const verify::OnsetResult& r, const std::vector<std::string>& segment,
                   double alarmTime_s, const std::vector<verify::EventInWindow>& events) {
  Json profiles = Json::array();
  for (const verify::ProfileEvidence& e : r.profiles)
    profiles.push_back({{"profile", verify::toString(e.profile)},
                        {"valid", e.valid},
                        {"onset_time", telemetry::formatTime(e.onset_s)},
                        {"duration_s", e.duration_s},
                        {"leak_rate_kg_s", e.rate_kg_s},
                        {"log_likelihood", e.logLikelihood},
                        {"bic", e.bic},
                        {"weight", e.weight}});
  Json inside = Json::array();
  for (const verify::EventInWindow& e : events)
    inside.push_back(
        {{"time", telemetry::formatTime(e.time_s)}, {"kind", e.kind}, {"what", e.what}});
  return {{"segment", segment},
          {"alarm_time", telemetry::formatTime(alarmTime_s)},
          {"valid", r.valid},
          {"profile", verify::toString(r.best)},
          {"onset_time", telemetry::formatTime(r.onset_s)},
          {"onset_interval",
           {telemetry::formatTime(r.onsetLow_s), telemetry::formatTime(r.onsetHigh_s)}},
          {"variance_inflation", r.inflation},
          {"evidence", profiles},
          {"events_in_interval", inside}};
}

Json leakEstimateJson(const detect::LeakReport& r, const std::vector<std::string>& segment,
                      Times times) {
  const TimeWriter t{times};
  return {
      {"segment", segment},
      {t.key("alarm_time"), t.value(r.alarmTime_s)},
      {t.key("onset_time"), t.value(r.onsetTime_s)},
      {t.key("onset_interval"), {t.value(r.onsetLow_s), t.value(r.onsetHigh_s)}},
      {"leak_rate_kg_s", r.rate_kg_s},
      {"leak_rate_sigma_kg_s", r.rateSigma_kg_s},
      {"rate_basis", detect::rateBasisName(r.rateBasis)},
      {"cda_m2", r.cda_m2},
      {"cda_interval_m2", {r.cdaLow_m2, r.cdaHigh_m2}},
      {"cd", r.cd},
      {"diameter_m", r.diameter_m},
      {"diameter_interval_m", {r.diameterLow_m, r.diameterHigh_m}},
      {"reserve_time_s", finiteOrNull(r.reserveTime_s)},
      {"reserve_time_interval_s", {finiteOrNull(r.reserveLow_s), finiteOrNull(r.reserveHigh_s)}},
      {"reserve_time_with_repress_s", finiteOrNull(r.reserveTimeWithRepress_s)},
      {"reserve_pressure_s", finiteOrNull(r.reservePressure_s)},
      {"reserve_ppo2_s", finiteOrNull(r.reservePpO2_s)},
      {"repress_gas_kg", r.repressGas_kg},
      {t.key("estimate_time"), t.value(r.time_s)},
      {"statistic", r.statistic},
      {"threshold", r.threshold},
      {"pressure_pa", r.pressure_pa},
      {"temperature_k", r.temperature_k},
      {"volume_m3", r.volume_m3}};
}

Json sensorFaultJson(const detect::SensorFault& f, const std::string& channel, Times times) {
  const TimeWriter t{times};
  Json j{{"channel", channel},
         {"kind", detect::toString(f.kind)},
         {t.key("start_time"), t.value(f.start_s)},
         {t.key("end_time"), f.ongoing ? Json(nullptr) : t.value(f.end_s)}};
  if (f.kind == detect::SensorFaultKind::BiasJump) j["bias"] = f.magnitude;
  return j;
}

Json posteriorJson(const std::vector<ops::ModuleProbability>& posterior) {
  Json j = Json::object();
  for (const ops::ModuleProbability& m : posterior)
    if (m.probability > 1e-12) j[m.module] = m.probability;
  return j;
}

Json inferenceJson(const ops::Inference& r, Times times) {
  const TimeWriter t{times};
  const ops::ModuleProbability* best = r.best();
  Json j;
  j["alarmed"] = r.alarm.has_value();
  j[t.key("alarm_time")] = r.alarm ? t.value(r.alarm->report.alarmTime_s) : Json(nullptr);
  j["leak_rate_kg_s"] = r.leakRate_kg_s;
  j["suspects"] = r.alarm ? r.alarm->segment : std::vector<std::string>{};
  j["status"] = r.cornered ? "cornered" : (r.noSafeTest ? "no-safe-test" : "planning");
  j["localized_modules"] = r.cornered ? r.cornered->modules : std::vector<std::string>{};
  j["best_module"] = best ? best->module : "";
  j["best_probability"] = best ? best->probability : 0.0;
  j["posterior"] = posteriorJson(r.posterior);
  j["windows"] = Json::array();
  for (const ops::InferenceWindow& w : r.windows) {
    Json segments = Json::array();
    for (const locate::SegmentOutcome& so : w.outcome.segments) {
      Json s = segmentReadingJson(so);
      s["at_vacuum"] = r.atVacuum(so.segment, w.outcome.from_s) != nullptr;
      segments.push_back(std::move(s));
    }
    j["windows"].push_back({{t.key("from"), t.value(w.outcome.from_s)},
                            {t.key("to"), t.value(w.outcome.to_s)},
                            {"segments", std::move(segments)},
                            {"posterior", posteriorJson(w.posterior)}});
  }
  if (r.next && !r.cornered)
    j["next_step"] = {{"closed_hatches", r.next->closedHatches},
                      {"dwell_s", r.next->dwell_s},
                      {"expected_bits", r.next->expectedBits}};
  if (r.noSafeTest) j["no_safe_test"] = r.noSafeTest->why;
  return j;
}

std::string notWatchedReason(const detect::SegmentStatus& s) {
  switch (detect::watchOf(s)) {
    case detect::SegmentWatch::Watched:
      return {};
    case detect::SegmentWatch::NoPressureData:
      return "not watched (no pressure sensor gave data): a leak there cannot be seen";
    case detect::SegmentWatch::TooShort:
      break;
  }
  char text[256];
  std::snprintf(text, sizeof text,
                "not watched long enough (%.0f min of valid data behind the test, %.0f min "
                "needed; increments across hatch changes, represses and dropouts are left out)",
                s.history_s / 60.0, s.needed_s / 60.0);
  return text;
}

Json segmentStatusJson(const detect::SegmentStatus& s, const std::vector<std::string>& modules) {
  const std::string notWatched = notWatchedReason(s);
  return {{"modules", modules},
          {"volume_m3", s.volume_m3},
          {"pressure_pa", s.pressure_pa},
          {"temperature_k", s.temperature_k},
          {"inventory_kg", s.inventory_kg},
          {"residual_kg", s.residual_kg},
          {"known_sources_kg_s", s.knownSources_kg_s},
          {"white_sigma_kg", s.whiteSigma_kg},
          {"wander_rate_sigma_kg_s", s.wanderRateSigma_kg_s},
          {"statistic", s.statistic},
          {"threshold", s.threshold},
          {"alarmed", s.alarmed},
          {"history_s", s.history_s},
          {"watched", detect::watchOf(s) == detect::SegmentWatch::Watched},
          {"not_watched_reason", notWatched.empty() ? Json(nullptr) : Json(notWatched)}};
}

Json segmentReadingJson(const locate::SegmentOutcome& o) {
  return {{"segment", o.segment},
          {"read", o.read},
          {"leak_rate_kg_s", o.rate_kg_s},
          {"leak_rate_sigma_kg_s", o.sigma_kg_s},
          {"losing", o.losing}};
}

Json repairVerdictJson(const verify::VerifyResult& r) {
  return {{"valid", r.valid},
          {"watched_s", r.watched_s},
          {"residual_rate_kg_s", r.rate_kg_s},
          {"residual_rate_sigma_kg_s", r.rateSigma_kg_s},
          {"degrees_of_freedom", r.effectiveDof},  // of the quantile: Welch-Satterthwaite
          {"upper_bound_kg_s", r.upper_kg_s},
          {"lower_bound_kg_s", r.lower_kg_s},
          {"target_met", r.verdict == verify::Verdict::Met},
          {"verdict", verify::toString(r.verdict)},
          {"watch_total_s", finiteOrNull(r.watchTotal_s)},
          {"watch_more_s", finiteOrNull(r.watchMore_s)},
          {"cramer_rao_watch_s", r.cramerRaoWatch_s},
          {"model_watch_s", finiteOrNull(r.modelWatch_s)},
          {"white_sigma_kg", r.whiteSigma_kg},
          {"wander_sigma_kg_s", r.wanderSigma_kg_s},
          {"steps_removed", r.stepsRemoved},
          {"steps_removed_kg", r.stepsRemoved_kg}};
}

Json segmentVerdictJson(const verify::SegmentVerdict& v, const std::vector<std::string>& modules,
                        Times times) {
  const TimeWriter t{times};
  Json j{{"modules", modules}, {t.key("from"), t.value(v.from_s)}, {t.key("to"), t.value(v.to_s)}};
  j.update(repairVerdictJson(v.result));
  return j;
}

}  // namespace leakhunt::report
