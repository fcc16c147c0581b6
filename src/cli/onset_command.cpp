// `leakhunt onset STATION TELEMETRY [--events FILE] [--json]`: for each leak the detector finds,
// when it started (with a 95 % interval), whether it started as a step, a ramp or an
// exponential growth (the evidence for each), and the logged events inside the onset interval.
// A thin shell over src/verify (onset.hpp).
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
#include "report/result_json.hpp"
#include "telemetry/telemetry_io.hpp"
#include "verify/onset.hpp"
#include "verify/residual_run.hpp"

namespace leakhunt::cli {
namespace {

struct OnsetArgs {
  std::string station, telemetry, events, searchBefore = "8 h", follow = "6 h";
  bool json = false;
};

struct Alarms : detect::DetectionObserver {
  std::vector<detect::LeakReport> reports;  // each detection as it was raised
  std::vector<std::vector<int>> modules;
  void onAlarm(const detect::LeakReport& r) override {
    reports.push_back(r);
    modules.emplace_back(r.modules.begin(), r.modules.end());
  }
  // Later estimates are not used: after a patch the detector's running fit moves on.
};

std::string hm(double s) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f h", s / 3600.0);
  return b;
}

int runOnset(const OnsetArgs& a) {
  const Result<double> before = gas::parseQuantity(a.searchBefore, gas::Dimension::Time);
  if (!before) return fail("onset", "--search-before: " + before.error().message, 2);
  const Result<double> follow = gas::parseQuantity(a.follow, gas::Dimension::Time);
  if (!follow) return fail("onset", "--follow: " + follow.error().message, 2);
  if (!(*before >= 0.0))
    return fail("onset",
                "--search-before must not be negative (a time before the onset interval, e.g. "
                "8 h); got '" +
                    a.searchBefore + "'",
                2);
  if (!(*follow > 0.0))
    return fail(
        "onset",
        "--follow must be positive (data used after the alarm, e.g. 6 h); got '" + a.follow + "'",
        2);
  const Result<model::Station> station = model::loadStation(a.station);
  if (!station) return fail("onset", station.error().message, 1);
  warnImplausible(*station, "onset");
  detect::LoggedEvents log;
  if (!a.events.empty()) {
    Result<detect::LoggedEvents> l = harness::loadEventLog(a.events, a.station, *station);
    if (!l) return fail("onset", l.error().message, 1);
    log = *l;
  }
  verify::SeriesCollector series;
  Alarms alarms;
  const std::string path = a.telemetry;
  telemetry::TelemetryGuard guard(*station);
  const Result<std::size_t> read = verify::runResiduals(
      *station, log, {[path, &guard](telemetry::ChannelTable& c, const verify::SampleCallback& f) {
        return guard.read(path, c, f);
      }},
      series, &alarms);
  if (!read) return fail("onset", read.error().message, 1);
  if (const int refused = reportTelemetryGuard(guard, "onset")) return refused;
  const std::vector<bool> watchedModules = guard.watchedModules();
  std::vector<std::string> notWatched;
  {
    std::vector<bool> inWatched(station->modules.size(), false);
    for (const verify::SegmentSeries& c : series.series())
      if (segmentWatched(c.modules, watchedModules))
        for (int m : c.modules) inWatched[static_cast<std::size_t>(m)] = true;
    for (std::size_t m = 0; m < inWatched.size(); ++m)
      if (!inWatched[m]) notWatched.push_back(station->modules[m].id);
  }

  verify::OnsetOptions options;
  options.follow_s = *follow;
  nlohmann::ordered_json doc;
  doc["leaks"] = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < alarms.reports.size(); ++i) {
    const detect::LeakReport& rep = alarms.reports[i];
    const verify::SegmentSeries* s = nullptr;
    for (const verify::SegmentSeries& c : series.series())
      if (c.modules == alarms.modules[i] && !c.points.empty() &&
          c.points.front().time_s <= rep.alarmTime_s && c.points.back().time_s >= rep.alarmTime_s)
        s = &c;
    if (s == nullptr) continue;
    const verify::OnsetResult r =
        verify::analyseOnset(s->points, rep.onsetLow_s - *before, rep.alarmTime_s, options);
    std::string names;
    std::vector<std::string> modules;
    for (int m : s->modules) {
      modules.push_back(station->modules[static_cast<std::size_t>(m)].id);
      names += (names.empty() ? "" : ", ") + station->modules[static_cast<std::size_t>(m)].id;
    }
    const std::vector<verify::EventInWindow> events =
        r.valid ? verify::eventsBetween(log, *station, r.onsetLow_s, r.onsetHigh_s)
                : std::vector<verify::EventInWindow>{};
    doc["leaks"].push_back(report::leakOnsetJson(r, modules, rep.alarmTime_s, events));
    if (a.json) continue;
    if (names.size() > 60) names = names.substr(0, 57) + "...";
    std::printf("leak in [%s], alarm %s\n", names.c_str(),
                telemetry::formatTime(rep.alarmTime_s).c_str());
    if (!r.valid) {
      std::printf("  too little data around the alarm for the onset profiles\n");
      continue;
    }
    std::printf("  onset %s, 95 %% interval %s to %s; profile: %s\n",
                telemetry::formatTime(r.onset_s).c_str(),
                telemetry::formatTime(r.onsetLow_s).c_str(),
                telemetry::formatTime(r.onsetHigh_s).c_str(), verify::toString(r.best));
    std::printf("  %-8s %-26s %-12s %-16s %-14s %s\n", "profile", "onset [UTC]", "duration",
                "rate [kg/day]", "log-lik", "weight");
    for (const verify::ProfileEvidence& e : r.profiles)
      if (e.valid)
        std::printf("  %-8s %-26s %-12s %-16.4g %-14.1f %.3g\n", verify::toString(e.profile),
                    telemetry::formatTime(e.onset_s).c_str(), hm(e.duration_s).c_str(),
                    e.rate_kg_s * 86400.0, e.logLikelihood, e.weight);
    if (events.empty()) std::printf("  no logged event inside the onset interval\n");
    for (const verify::EventInWindow& e : events)
      std::printf("  inside the interval: %s %s %s\n", telemetry::formatTime(e.time_s).c_str(),
                  e.kind.c_str(), e.what.c_str());
  }
  doc["not_watched"] = notWatched;
  if (a.json) {
    std::cout << doc.dump(2) << "\n";
  } else {
    for (const std::string& m : notWatched)
      std::printf("module %s: not watched (no pressure sensor gave data)\n", m.c_str());
    if (alarms.reports.empty())
      std::printf("no leak found%s: nothing to date\n",
                  notWatched.empty() ? "" : " in the watched modules");
  }
  if (alarms.reports.empty() && notWatched.size() == station->modules.size())
    return fail("onset", "no module was watched: nothing could be concluded", 1);
  return 0;
}

}  // namespace

void addOnsetCommand(CLI::App& app) {
  auto args = std::make_shared<OnsetArgs>();
  CLI::App* cmd = app.add_subcommand(
      "onset", "When a leak started (step, ramp or growth, by likelihood) and the events then");
  cmd->add_option("STATION", args->station, "Station description (YAML)")->required();
  cmd->add_option("TELEMETRY", args->telemetry, "Telemetry file (CSV or JSON Lines)")->required();
  cmd->add_option("--events", args->events,
                  "Logged events (scenario or events file): lined up against the onset interval");
  cmd->add_option("--search-before", args->searchBefore,
                  "Look for the onset this much before the detector's onset interval")
      ->capture_default_str();
  cmd->add_option("--follow", args->follow, "Data used after the alarm")->capture_default_str();
  cmd->add_flag("--json", args->json, "Print one JSON document (SI units)");
  cmd->footer(
      "Each profile (step; ramp over D; exponential growth from 1 % to the full rate over D) is "
      "fitted to the leaking segment's gas inventory for every onset and D; the evidence is the "
      "log-likelihood with a BIC penalty for D, corrected for correlated noise. The onset "
      "interval is the 95 % likelihood cut of the chosen profile.\n"
      "Example: leakhunt onset data/stations/iss-2018.yaml tm.csv --events "
      "data/scenarios/soyuz-ms09-2018.yaml");
  cmd->callback([args] {
    const int rc = runOnset(*args);
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace leakhunt::cli
