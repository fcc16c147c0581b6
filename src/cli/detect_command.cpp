// `leakhunt detect STATION TELEMETRY [--events FILE] [--false-alarm-rate 1/yr] [--cd 0.65]
// [--json]`: find leaks in telemetry, size them, say since when and how long the crew has.
// A thin shell: the detector (src/detect) does the work and reports through an observer.
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "cli/commands.hpp"
#include "cli/detector_option.hpp"
#include "cli/event_file.hpp"
#include "cli/implausible.hpp"
#include "cli/telemetry_input.hpp"
#include "detect/detector.hpp"
#include "detect/leak_detector.hpp"
#include "detect/logged_events.hpp"
#include "harness/scenario_log.hpp"
#include "model/load.hpp"
#include "report/result_json.hpp"
#include "telemetry/telemetry_io.hpp"

namespace leakhunt::cli {
namespace {

struct DetectArgs {
  std::string station, telemetry, events, falseAlarmRate = "1/yr";
  std::string detector;  // addDetectorOption's
  double cd = 0.65;
  bool json = false;
};

// "1/yr", "12/year", "1/day", "0.5/h" or a bare number per year -> per second. The count must
// be the whole text before the slash: "1 kg" is not a rate (it once read as 1/yr).
Result<double> parseRate(const std::string& text) {
  const Error bad{"--false-alarm-rate: cannot read '" + text +
                  "' (a positive count per period, e.g. 1/yr, 12/year, 1/day, 0.5/h)"};
  const auto slash = text.find('/');
  const std::string countText = text.substr(0, slash);
  double count = 0.0;
  const char* end = countText.data() + countText.size();
  const auto [stop, ec] = std::from_chars(countText.data(), end, count);
  if (ec != std::errc{} || stop != end || !std::isfinite(count) || !(count > 0.0)) return bad;
  const std::string unit = slash == std::string::npos ? "yr" : text.substr(slash + 1);
  const std::map<std::string, double> seconds{{"yr", 365.25 * 86400},
                                              {"year", 365.25 * 86400},
                                              {"day", 86400},
                                              {"d", 86400},
                                              {"h", 3600},
                                              {"hour", 3600},
                                              {"s", 1}};
  const auto it = seconds.find(unit);
  if (it == seconds.end()) return bad;
  return count / it->second;
}

struct Collector : detect::DetectionObserver {
  std::vector<detect::LeakReport> reports;  // last estimate of each detection
  std::vector<detect::SensorFault> faults;
  std::vector<std::vector<int>> modules;
  bool json = false;
  const model::Station* station = nullptr;
  void onAlarm(const detect::LeakReport& r) override {
    reports.push_back(r);
    modules.emplace_back(r.modules.begin(), r.modules.end());
    if (!json)
      std::printf("ALARM %s  segment [%s]  leak %.3g kg/s (z %.1f > %.1f)\n",
                  telemetry::formatTime(r.alarmTime_s).c_str(), names(r.modules).c_str(),
                  r.rate_kg_s, r.statistic, r.threshold);
  }
  void onEstimate(const detect::LeakReport& r) override {
    for (auto& k : reports)
      if (k.detection == r.detection) k = r;
  }
  void onSensorFault(const detect::SensorFault& f) override {
    for (auto& k : faults)
      if (k.channel == f.channel && k.kind == f.kind && k.start_s == f.start_s) {
        k = f;
        return;
      }
    faults.push_back(f);
  }
  std::string names(std::span<const int> ms) const {
    std::string s;
    for (int m : ms)
      s += (s.empty() ? "" : ", ") + station->modules[static_cast<std::size_t>(m)].id;
    return s;
  }
};

std::vector<std::string> moduleIds(const model::Station& station, std::span<const int> modules) {
  std::vector<std::string> ids;
  for (int m : modules) ids.push_back(station.modules[static_cast<std::size_t>(m)].id);
  return ids;
}

std::string days(double s) {
  if (!std::isfinite(s)) return "never";
  char b[32];
  std::snprintf(b, sizeof b, "%.2f d", s / 86400.0);
  return b;
}

int runDetect(const DetectArgs& a) {
  Result<model::Station> station = model::loadStation(a.station);
  if (!station) {
    std::cerr << station.error().message << "\n";
    return 1;
  }
  warnImplausible(*station, "detect");
  const Result<double> rate = parseRate(a.falseAlarmRate);
  if (!rate) {
    std::cerr << rate.error().message << "\n";
    return 2;
  }
  // Outside (0, 1] the reported diameter is inf or nan (ground-test refuses the same range).
  if (!(a.cd > 0.0 && a.cd <= 1.0)) {
    std::cerr << "--cd must be in (0, 1] (a discharge coefficient: 0.65 for a sharp-edged "
                 "hole); got "
              << a.cd << "\n";
    return 2;
  }
  detect::LoggedEvents log;
  if (!a.events.empty()) {
    const Result<model::Scenario> sc = loadEvents(a.events, a.station);
    if (!sc) {
      std::cerr << sc.error().message << "\n";
      return 1;
    }
    warnScenario(sc->warnings, "detect");
    log = harness::loggedEventsOf(*sc, *station);  // leak truth is never read
  }
  telemetry::ChannelTable channels;
  for (const model::Sensor& s : station->sensors) channels.intern(s.channel);
  std::vector<std::string> names;
  for (std::size_t c = 0; c < channels.size(); ++c)
    names.push_back(channels.name(static_cast<int>(c)));
  detect::DetectorOptions options;
  options.falseAlarmRate_per_s = *rate;
  options.cd = a.cd;
  Collector out;
  out.json = a.json;
  out.station = &*station;
  // The detector --detector names (leak_detector.hpp): the same observer, samples and segment
  // statuses for both.
  options.model = detectorModelOf(a.detector);
  const std::unique_ptr<detect::LeakDetector> detector =
      detect::makeLeakDetector(*station, names, log, options, &out);
  telemetry::TelemetryGuard guard(*station);
  const Result<std::size_t> read =
      guard.read(a.telemetry, channels, [&](const telemetry::Sample& s) { detector->onSample(s); });
  detector->finish();
  if (!read) {
    std::cerr << read.error().message << "\n";
    return 1;
  }
  if (const int refused = reportTelemetryGuard(guard, "detect")) return refused;
  const std::vector<detect::SegmentStatus> segments = detector->segments();
  // Never "no leak" for a segment whose silence means nothing (detect/segment_watch.hpp).
  std::vector<std::string> unwatched;
  for (const detect::SegmentStatus& s : segments)
    if (const std::string why = report::notWatchedReason(s); !why.empty())
      unwatched.push_back("[" + out.names(s.modules) + "]: " + why);
  const std::size_t watched = segments.size() - unwatched.size();
  if (a.json) {
    nlohmann::ordered_json doc;
    doc["detector"] = detect::toString(options.model);
    doc["detections"] = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < out.reports.size(); ++i)
      doc["detections"].push_back(report::leakEstimateJson(
          out.reports[i], moduleIds(*station, out.modules[i]), report::Times::Iso));
    doc["sensor_faults"] = nlohmann::ordered_json::array();
    for (const detect::SensorFault& f : out.faults)
      doc["sensor_faults"].push_back(
          report::sensorFaultJson(f, channels.name(f.channel), report::Times::Iso));
    doc["segments"] = nlohmann::ordered_json::array();
    for (const detect::SegmentStatus& s : segments)
      doc["segments"].push_back(report::segmentStatusJson(s, moduleIds(*station, s.modules)));
    std::cout << doc.dump(2) << "\n";
    return watched == 0 && out.reports.empty() ? 1 : 0;
  }
  for (const detect::SensorFault& f : out.faults)
    std::printf("SENSOR FAULT %s  %s  %s%s\n", telemetry::formatTime(f.start_s).c_str(),
                channels.name(f.channel).c_str(), detect::toString(f.kind),
                f.ongoing ? " (ongoing)" : (" until " + telemetry::formatTime(f.end_s)).c_str());
  std::printf("\n%-28s %-24s %-26s %-22s %-18s %-14s %-12s\n", "segment", "onset [UTC]",
              "leak rate [kg/s]", "CdA [mm^2]", "diameter [mm]", "reserve", "w/ repress");
  for (std::size_t i = 0; i < out.reports.size(); ++i) {
    const detect::LeakReport& r = out.reports[i];
    char rateText[64], cda[64], dia[64];
    std::snprintf(rateText, sizeof rateText, "%.3g +- %.2g kg/s", r.rate_kg_s, r.rateSigma_kg_s);
    std::snprintf(cda, sizeof cda, "%.3g mm^2", r.cda_m2 * 1e6);
    std::snprintf(dia, sizeof dia, "%.2f [%.2f, %.2f] mm", r.diameter_m * 1e3,
                  r.diameterLow_m * 1e3, r.diameterHigh_m * 1e3);
    std::string seg = out.names(out.modules[i]);
    if (seg.size() > 27) seg = seg.substr(0, 24) + "...";
    std::printf("%-28s %-24s %-26s %-22s %-18s %-14s %-12s\n", seg.c_str(),
                telemetry::formatTime(r.onsetTime_s).c_str(), rateText, cda, dia,
                days(r.reserveTime_s).c_str(), days(r.reserveTimeWithRepress_s).c_str());
    // The detector sizes an emptied segment from what it saw while there was gas, and its rate
    // is the loss now; say so, so that nobody reads the figures as a measurement at vacuum.
    if (r.rateBasis == detect::RateBasis::EmptiedDecay)
      std::printf(
          "  segment at vacuum (%.3g Pa): losing at most %.3g kg/s now; the hole, timed from its "
          "decay while it held gas, is %.3g mm^2 CdA (95 %%: %.3g to %.3g mm^2)\n",
          r.pressure_pa, r.rateHighest_kg_s, r.cda_m2 * 1e6, r.cdaLow_m2 * 1e6, r.cdaHigh_m2 * 1e6);
    else if (r.rateBasis == detect::RateBasis::EmptiedAtLeast)
      std::printf(
          "  segment at vacuum (%.3g Pa): it emptied faster than its decay could be timed; "
          "the hole is at least %.3g mm^2 CdA (a %.2f mm hole at Cd %.2f)\n",
          r.pressure_pa, r.cdaLow_m2 * 1e6, r.diameterLow_m * 1e3, r.cd);
  }
  for (const std::string& seg : unwatched) std::printf("segment %s\n", seg.c_str());
  if (out.reports.empty() && watched == 0) {
    std::fprintf(stderr, "leakhunt detect: no segment was watched: nothing could be concluded\n");
    return 1;
  }
  if (out.reports.empty())
    std::printf("no leak found in the %zu watched segment(s) (false-alarm rate %s per segment)%s\n",
                watched, a.falseAlarmRate.c_str(),
                unwatched.empty() ? "" : "; the others are not watched");
  return 0;
}

}  // namespace

void addDetectCommand(CLI::App& app) {
  auto args = std::make_shared<DetectArgs>();
  CLI::App* cmd = app.add_subcommand(
      "detect", "Find leaks in telemetry: rate, hole size, onset and reserve time per segment");
  cmd->add_option("STATION", args->station, "Station description (YAML)")->required();
  cmd->add_option("TELEMETRY", args->telemetry, "Telemetry file (CSV or JSON Lines)")->required();
  cmd->add_option("--events", args->events,
                  "Logged events: a scenario file (its leaks are ignored) or an events file");
  cmd->add_option("--false-alarm-rate", args->falseAlarmRate,
                  "False alarms per segment and unit time, e.g. 1/yr");
  cmd->add_option("--cd", args->cd, "Discharge coefficient for the reported diameter");
  addDetectorOption(cmd, &args->detector);
  cmd->add_flag("--json", args->json, "Print one JSON document");
  cmd->callback([args] {
    const int rc = runDetect(*args);
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace leakhunt::cli
