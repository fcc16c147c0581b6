// `leakhunt verify STATION TELEMETRY --since TIME [--target 0.05 kg/day] [--events FILE]
// [--json]`: after a patch, the residual leak rate per segment with its one-sided 95 % upper
// bound, whether the target is met, and if not yet, how much longer to watch. A thin shell over
// src/verify (verify.hpp); the detector's residual inventory does the seeing.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/command_error.hpp"
#include "cli/commands.hpp"
#include "cli/implausible.hpp"
#include "cli/telemetry_input.hpp"
#include "gas/units.hpp"
#include "harness/scenario_log.hpp"
#include "model/load.hpp"
#include "model/utc_time.hpp"
#include "report/result_json.hpp"
#include "telemetry/telemetry_io.hpp"
#include "verify/residual_run.hpp"
#include "verify/verify.hpp"

namespace leakhunt::cli {
namespace {

struct VerifyArgs {
  std::string station, telemetry, since, target = "0.05 kg/day", events;
  double confidence = 0.95;
  bool json = false;
};

std::string watchHours(double s) {
  if (!std::isfinite(s)) return "never at this estimate";
  char b[32];
  std::snprintf(b, sizeof b, "%.1f h", s / 3600.0);
  return b;
}

int runVerify(const VerifyArgs& a) {
  const Result<double> since = model::parseUtc(a.since);
  if (!since) return fail("verify", "--since: " + since.error().message, 2);
  const Result<double> target = gas::parseQuantity(a.target, gas::Dimension::MassRate);
  if (!target) return fail("verify", "--target: " + target.error().message, 2);
  if (!(*target > 0.0)) return fail("verify", "--target must be above zero (e.g. 0.05 kg/day)", 2);
  if (!(a.confidence > 0.5 && a.confidence < 1.0))
    return fail("verify", "--confidence must be between 0.5 and 1 (e.g. 0.95)", 2);
  const Result<model::Station> station = model::loadStation(a.station);
  if (!station) return fail("verify", station.error().message, 1);
  warnImplausible(*station, "verify");
  detect::LoggedEvents log;
  if (!a.events.empty()) {
    Result<detect::LoggedEvents> l = harness::loadEventLog(a.events, a.station, *station);
    if (!l) return fail("verify", l.error().message, 1);
    log = *l;
  }
  verify::SeriesCollector collector;
  const std::string path = a.telemetry;
  telemetry::TelemetryGuard guard(*station);
  const Result<std::size_t> read = verify::runResiduals(
      *station, log, {[path, &guard](telemetry::ChannelTable& c, const verify::SampleCallback& f) {
        return guard.read(path, c, f);
      }},
      collector);
  if (!read) return fail("verify", read.error().message, 1);
  if (const int refused = reportTelemetryGuard(guard, "verify")) return refused;
  const std::vector<bool> watchedModules = guard.watchedModules();
  std::vector<bool> inSeries(station->modules.size(), false);

  verify::VerifyOptions options;
  options.target_kg_s = *target;
  options.confidence = a.confidence;
  nlohmann::ordered_json doc;
  doc["since"] = telemetry::formatTime(*since);
  doc["target_kg_s"] = *target;
  doc["confidence"] = a.confidence;
  doc["segments"] = nlohmann::ordered_json::array();
  if (!a.json)
    std::printf("since %s, target %.3g kg/day, one-sided %.0f %% bounds\n",
                telemetry::formatTime(*since).c_str(), *target * 86400.0, a.confidence * 100.0);
  int shown = 0;
  for (const verify::SegmentVerdict& v : verify::verifySince(collector.series(), *since, options)) {
    if (!segmentWatched(v.modules, watchedModules)) continue;
    for (int m : v.modules) inSeries[static_cast<std::size_t>(m)] = true;
    const verify::VerifyResult& r = v.result;
    std::vector<std::string> modules;
    for (int m : v.modules) modules.push_back(station->modules[static_cast<std::size_t>(m)].id);
    doc["segments"].push_back(report::segmentVerdictJson(v, modules, report::Times::Iso));
    ++shown;
    if (a.json) continue;
    std::string names;
    for (const std::string& id : modules) names += (names.empty() ? "" : ", ") + id;
    if (names.size() > 60) names = names.substr(0, 57) + "...";
    std::printf("\nsegment [%s]\n", names.c_str());
    if (!r.valid) {
      std::printf("  too little data since the patch (%d blocks): watch longer\n", r.points);
      continue;
    }
    std::printf("  watched          %.2f h of valid data\n", r.watched_s / 3600.0);
    std::printf("  residual leak    %.3g +- %.2g kg/day\n", r.rate_kg_s * 86400.0,
                r.rateSigma_kg_s * 86400.0);
    std::printf("  upper bound      %.3g kg/day (target %.3g kg/day)\n", r.upper_kg_s * 86400.0,
                *target * 86400.0);
    std::printf("  verdict          %s\n", r.verdict == verify::Verdict::Met ? "target met"
                                           : r.verdict == verify::Verdict::NotMet
                                               ? "target NOT met (lower bound above it)"
                                               : "not decided yet");
    if (r.verdict == verify::Verdict::Undecided)
      std::printf(
          "  watch            %s more (%s in all; Cramer-Rao figure %s, %s with the "
          "temperature wander)\n",
          watchHours(r.watchMore_s).c_str(), watchHours(r.watchTotal_s).c_str(),
          watchHours(r.cramerRaoWatch_s).c_str(), watchHours(r.modelWatch_s).c_str());
    if (r.stepsRemoved > 0)
      std::printf("  left out         %d step(s) of %+.3g kg in all (unlogged repress or vent?)\n",
                  r.stepsRemoved, r.stepsRemoved_kg);
  }
  nlohmann::ordered_json notWatched = nlohmann::ordered_json::array();
  for (std::size_t m = 0; m < inSeries.size(); ++m)
    if (!inSeries[m]) {
      notWatched.push_back(station->modules[m].id);
      if (!a.json)
        std::printf("\nmodule %s: not watched since %s (no pressure data): not verified\n",
                    station->modules[m].id.c_str(), telemetry::formatTime(*since).c_str());
    }
  doc["not_watched"] = notWatched;
  if (a.json) std::cout << doc.dump(2) << "\n";
  // Nothing after the patch to verify from: not an answer, a failure to get one.
  if (shown == 0)
    return fail("verify",
                "no usable telemetry after " + telemetry::formatTime(*since) + ": nothing verified",
                1);
  return 0;
}

}  // namespace

void addVerifyCommand(CLI::App& app) {
  auto args = std::make_shared<VerifyArgs>();
  CLI::App* cmd = app.add_subcommand(
      "verify", "After a patch: residual leak rate per segment, its 95% upper bound, verdict");
  cmd->add_option("STATION", args->station, "Station description (YAML)")->required();
  cmd->add_option("TELEMETRY", args->telemetry, "Telemetry file (CSV or JSON Lines)")->required();
  cmd->add_option("--since", args->since, "Patch time, UTC (e.g. 2018-08-30T16:30:00Z)")
      ->required();
  cmd->add_option("--target", args->target, "Residual leak to show the segment is below")
      ->capture_default_str();
  cmd->add_option("--confidence", args->confidence, "One-sided confidence of the bound")
      ->capture_default_str();
  cmd->add_option("--events", args->events,
                  "Logged events: a scenario file (its leaks are ignored) or an events file");
  cmd->add_flag("--json", args->json, "Print one JSON document (SI units)");
  cmd->footer(
      "The residual leak is the slope of the segment's gas inventory (after known sources) since "
      "--since, averaged in 10 batches so the bound carries the temperature wander as well as "
      "the sensor noise, plus the detector's model of the slower wander (Student t, 8 degrees of "
      "freedom for the batches; Welch-Satterthwaite for the sum). 'met' means the upper bound is "
      "below "
      "the target; 'not decided yet' comes with the watch time the current noise needs.\n"
      "Example: leakhunt verify data/stations/iss-2018.yaml tm.csv --since "
      "2018-08-30T16:30:00Z --target '0.05 kg/day'");
  cmd->callback([args] {
    const int rc = runVerify(*args);
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace leakhunt::cli
