// Reading a campaign spec (docs/detection.md, "Campaign spec") and planning its runs.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "campaign/campaign.hpp"
#include "gas/orifice.hpp"
#include "gas/species.hpp"
#include "gas/units.hpp"
#include "model/load.hpp"
#include "model/utc_time.hpp"
#include "telemetry/telemetry_io.hpp"

namespace leakhunt::campaign {
namespace {

struct Reader {
  std::string file;
  std::vector<std::string> errors;
  void fail(const YAML::Node& n, const std::string& what) {
    const YAML::Mark m = n.Mark();
    errors.push_back(file + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1) +
                     ": error: " + what);
  }
  double quantity(const YAML::Node& n, gas::Dimension dim, double fallback) {
    if (!n) return fallback;
    const Result<double> v = gas::parseQuantity(n.as<std::string>(), dim);
    if (!v) {
      fail(n, v.error().message);
      return fallback;
    }
    return *v;
  }
  double number(const YAML::Node& n, double fallback) {
    if (!n) return fallback;
    try {
      const double v = n.as<double>();
      if (std::isfinite(v)) return v;
    } catch (...) {
    }
    fail(n, "expected a number");
    return fallback;
  }
  // A number within [lo, hi], or the fallback and an error.
  double within(const YAML::Node& n, double fallback, double lo, double hi, const char* what) {
    const double v = number(n, fallback);
    if (v >= lo && v <= hi) return v;
    fail(n, std::string(what) + " must be from " + fmtNumber(lo) + " to " + fmtNumber(hi));
    return fallback;
  }
  // A whole count within [0, most]: run counts and seeds, which become integers.
  int64_t count(const YAML::Node& n, int64_t fallback, int64_t most, const char* what) {
    const double v = number(n, static_cast<double>(fallback));
    if (v >= 0.0 && v <= static_cast<double>(most) && v == std::floor(v))
      return static_cast<int64_t>(v);
    fail(n, std::string(what) + " must be a whole number from 0 to " + std::to_string(most));
    return fallback;
  }
  // A duration within [lo, hi] seconds.
  double duration(const YAML::Node& n, double fallback, double lo, double hi, const char* what) {
    const double v = quantity(n, gas::Dimension::Time, fallback);
    if (v >= lo && v <= hi) return v;
    fail(n, std::string(what) + " must be from " + fmtNumber(lo) + " s to " + fmtNumber(hi) + " s");
    return fallback;
  }
  static std::string fmtNumber(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%g", v);
    return b;
  }
};

// Bounds that keep a spec from asking for more than a machine can plan: a run is at most a year
// of simulated time, a campaign at most a million runs per kind.
constexpr double kMaxRun_s = 366.0 * 86400.0;
constexpr int64_t kMaxRuns = 1000000;
constexpr int64_t kMaxSeed = 1000000000;
constexpr double kMaxEventsPerDay = 1440.0;

const std::vector<std::string> kKeys{"name",
                                     "station",
                                     "start",
                                     "seed",
                                     "spin_up",
                                     "cd",
                                     "false_alarm_rate",
                                     "check_after",
                                     "leak_runs",
                                     "leak_free",
                                     "repress",
                                     "detector",
                                     "score_after_alarm"};
const std::vector<std::string> kLeakKeys{"reference", "onset_window", "follow",
                                         "modules",   "sizes",        "repress_probability"};
const std::vector<std::string> kFreeKeys{
    "runs",    "duration",           "represses_per_day", "hatch_cycles_per_day", "hatch_closed",
    "hatches", "crew_moves_per_day", "crew_away",         "crew_modules"};

void checkKeys(Reader& r, const YAML::Node& map, const std::vector<std::string>& keys) {
  for (const auto& kv : map) {
    const std::string k = kv.first.as<std::string>();
    if (std::find(keys.begin(), keys.end(), k) == keys.end())
      r.fail(kv.first, "unknown key '" + k + "'");
  }
}

std::string fmt(const char* f, double v) {
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

}  // namespace

namespace {

Result<CampaignSpec> parseSpec(const std::string& text, const std::string& fileName,
                               const std::string& baseDir) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return Error{fileName + ": " + e.what()};
  }
  if (!root.IsMap()) return Error{fileName + ": error: a campaign spec is a mapping"};
  Reader r{fileName, {}};
  checkKeys(r, root, kKeys);
  CampaignSpec s;
  s.baseDir = baseDir;
  s.name = root["name"] ? root["name"].as<std::string>() : fileName;
  if (!root["station"]) return Error{fileName + ": error: 'station:' is required"};
  std::filesystem::path sp = root["station"].as<std::string>();
  if (sp.is_relative()) sp = std::filesystem::path(baseDir) / sp;
  s.stationPath = std::filesystem::absolute(sp).lexically_normal().string();
  const Result<model::Station> station = model::loadStation(s.stationPath);
  if (!station) return station.error();
  if (root["start"]) {
    const Result<double> t = model::parseUtc(root["start"].as<std::string>());
    if (!t)
      r.fail(root["start"], t.error().message);
    else
      s.start_s = *t;
  } else {
    s.start_s = *model::parseUtc("2018-08-29T00:00:00Z");
  }
  s.seed = static_cast<uint64_t>(r.count(root["seed"], 1, kMaxSeed, "seed"));
  s.spinUp_s = r.duration(root["spin_up"], s.spinUp_s, 0.0, kMaxRun_s, "spin_up");
  s.cd = r.within(root["cd"], s.cd, 0.01, 1.0, "cd");
  if (root["false_alarm_rate"]) {  // "1/yr" or a number per year
    const std::string f = root["false_alarm_rate"].as<std::string>();
    const auto slash = f.find('/');
    const std::string count = f.substr(0, slash);
    char* end = nullptr;
    s.falseAlarmsPerYear = std::strtod(count.c_str(), &end);
    const bool whole = !count.empty() && end == count.c_str() + count.size();
    const std::string u = slash == std::string::npos ? "yr" : f.substr(slash + 1);
    const double perYear = u == "day" || u == "d"     ? 365.25
                           : u == "h"                 ? 8766.0
                           : u == "yr" || u == "year" ? 1.0
                                                      : 0.0;
    s.falseAlarmsPerYear *= perYear;
    if (!whole || !(s.falseAlarmsPerYear > 0.0) || !std::isfinite(s.falseAlarmsPerYear) ||
        s.falseAlarmsPerYear > 1e6 * 8766.0) {
      r.fail(root["false_alarm_rate"], "expected a rate such as 1/yr, 2/day or 0.5/h");
      s.falseAlarmsPerYear = 1.0;
    }
  }
  if (const YAML::Node d = root["detector"]) {  // "slope-change" (default) or "state-space"
    const std::string v = d.as<std::string>();
    if (v == "state-space")
      s.detector = detect::DetectorModel::StateSpace;
    else if (v != "slope-change")
      r.fail(d, "expected slope-change or state-space");
  }
  s.checkAfter_s = r.duration(root["check_after"], s.checkAfter_s, 60.0, kMaxRun_s, "check_after");
  s.scoreAfterAlarm_s =
      r.duration(root["score_after_alarm"], 0.0, 0.0, 2.0 * 86400.0, "score_after_alarm");
  if (const YAML::Node rp = root["repress"]) {
    YAML::Emitter e;
    e << YAML::Flow << rp;
    s.repress = e.c_str();
    s.repressDuration_s = r.duration(rp["duration"], 600.0, 1.0, 86400.0, "repress duration");
  }
  const gas::MixtureProperties mix =
      gas::mixtureProperties(gas::toMassFractions(station->atmosphere.composition));
  const gas::Upstream cabin{station->atmosphere.pressure_pa, station->atmosphere.temperature_k,
                            mix.r_j_kgk, mix.gamma};
  if (const YAML::Node lr = root["leak_runs"]) {
    checkKeys(r, lr, kLeakKeys);
    s.reference_s = r.duration(lr["reference"], s.reference_s, 0.0, kMaxRun_s, "reference");
    s.onsetWindow_s =
        r.duration(lr["onset_window"], s.onsetWindow_s, 0.0, kMaxRun_s, "onset_window");
    s.follow_s = r.duration(lr["follow"], s.follow_s, 60.0, kMaxRun_s, "follow");
    s.repressProbability =
        r.within(lr["repress_probability"], 0.0, 0.0, 1.0, "repress_probability");
    if (lr["modules"] && lr["modules"].IsSequence())
      for (const auto& m : lr["modules"]) s.modules.push_back(m.as<std::string>());
    for (const auto& sz : lr["sizes"]) {
      LeakSize l;
      l.runs = static_cast<int>(r.count(sz["runs"], 10, kMaxRuns, "runs"));
      l.follow_s = r.duration(sz["follow"], s.follow_s, 60.0, kMaxRun_s, "follow");
      if (sz["diameter"]) {
        l.label = sz["diameter"].as<std::string>();
        l.diameter_m = r.quantity(sz["diameter"], gas::Dimension::Length, 0.0);
        l.cda_m2 = s.cd * 3.141592653589793 * 0.25 * l.diameter_m * l.diameter_m;
        l.rate_kg_s = gas::chokedMassFlow(l.cda_m2, cabin);
      } else if (sz["cda"]) {  // a sudden breach given by its effective area
        l.label = sz["cda"].as<std::string>();
        l.cda_m2 = r.quantity(sz["cda"], gas::Dimension::Area, 0.0);
        l.rate_kg_s = gas::chokedMassFlow(l.cda_m2, cabin);
        l.diameter_m = std::sqrt(4.0 * l.cda_m2 / (s.cd * 3.141592653589793));
      } else if (sz["rate"]) {
        l.label = sz["rate"].as<std::string>();
        l.rate_kg_s = r.quantity(sz["rate"], gas::Dimension::MassRate, 0.0);
        l.cda_m2 = gas::effectiveAreaForChokedFlow(l.rate_kg_s, cabin);
        l.diameter_m = std::sqrt(4.0 * l.cda_m2 / (s.cd * 3.141592653589793));
      } else {
        r.fail(sz, "a size needs 'diameter:', 'rate:' or 'cda:'");
        continue;
      }
      if (!(l.cda_m2 > 0.0)) r.fail(sz, "the leak size must be > 0");
      s.sizes.push_back(l);
    }
  }
  if (s.modules.empty())
    for (const model::Module& m : station->modules) s.modules.push_back(m.id);
  for (const std::string& m : s.modules) {
    const bool known = std::any_of(station->modules.begin(), station->modules.end(),
                                   [&](const model::Module& x) { return x.id == m; });
    if (!known) r.fail(root["leak_runs"]["modules"], "unknown module '" + m + "'");
  }
  if (const YAML::Node lf = root["leak_free"]) {
    checkKeys(r, lf, kFreeKeys);
    s.leakFreeRuns = static_cast<int>(r.count(lf["runs"], 0, kMaxRuns, "runs"));
    s.leakFreeDuration_s =
        r.duration(lf["duration"], s.leakFreeDuration_s, 2.0 * 3600.0, kMaxRun_s, "duration");
    s.repressesPerDay =
        r.within(lf["represses_per_day"], 0.0, 0.0, kMaxEventsPerDay, "represses_per_day");
    s.hatchCyclesPerDay =
        r.within(lf["hatch_cycles_per_day"], 0.0, 0.0, kMaxEventsPerDay, "hatch_cycles_per_day");
    s.hatchClosed_s =
        r.duration(lf["hatch_closed"], s.hatchClosed_s, 60.0, 86400.0, "hatch_closed");
    for (const auto& h : lf["hatches"]) {
      s.hatches.push_back(h.as<std::string>());
      if (station->hatchIndex(s.hatches.back()) < 0)
        r.fail(h, "unknown hatch '" + s.hatches.back() + "'");
    }
    s.crewMovesPerDay =
        r.within(lf["crew_moves_per_day"], 0.0, 0.0, kMaxEventsPerDay, "crew_moves_per_day");
    s.crewAway_s = r.duration(lf["crew_away"], s.crewAway_s, 60.0, 86400.0, "crew_away");
    for (const auto& m : lf["crew_modules"]) {
      s.crewModules.push_back(m.as<std::string>());
      if (station->moduleIndex(s.crewModules.back()) < 0)
        r.fail(m, "unknown module '" + s.crewModules.back() + "'");
    }
  }
  if (s.crewModules.empty())
    for (const model::Module& m : station->modules) s.crewModules.push_back(m.id);
  for (const model::CrewMember& c : station->crew) s.crewHomes.emplace_back(c.id, c.location);
  if (s.crewMovesPerDay > 0.0 && s.crewHomes.empty())
    r.fail(root["leak_free"], "crew moves are asked for but the station has no crew");
  if (s.reference_s < 3600.0)
    r.fail(root["leak_runs"], "reference must be at least 1 h (the detector's baseline)");
  if ((s.repressProbability > 0.0 || s.repressesPerDay > 0.0) && s.repress.empty())
    r.fail(root, "represses are asked for but no 'repress:' event is given");
  if (s.hatchCyclesPerDay > 0.0 && s.hatches.empty())
    r.fail(root, "hatch cycles are asked for but no 'hatches:' are listed");
  if (!r.errors.empty()) {
    std::string msg;
    for (const std::string& e : r.errors) msg += (msg.empty() ? "" : "\n") + e;
    return Error{msg};
  }
  return s;
}

}  // namespace

Result<CampaignSpec> parseCampaignSpec(const std::string& text, const std::string& fileName,
                                       const std::string& baseDir) {
  try {
    return parseSpec(text, fileName, baseDir);
  } catch (const YAML::Exception& e) {
    // A value of the wrong shape (a list where a name goes, ...), at its place in the file.
    return Error{fileName + ":" + std::to_string(e.mark.line + 1) + ":" +
                 std::to_string(e.mark.column + 1) + ": error: " + e.msg};
  }
}

std::vector<PlannedRun> planCampaign(const CampaignSpec& spec, int runsPerSize, int leakFreeRuns) {
  std::vector<PlannedRun> plan;
  std::mt19937_64 rng(spec.seed * 0x9E3779B97F4A7C15ull + 17);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  uint64_t runSeed = spec.seed * 100000;
  const auto header = [&](double duration_s) {
    return "name: campaign run\nstation: " + spec.stationPath +
           "\nstart: " + telemetry::formatTime(spec.start_s) +
           "\nduration: " + fmt("%.0f s", duration_s) + "\nseed: " + std::to_string(++runSeed) +
           "\noutput_period: 1 s\nthermal: isothermal\nevents:\n";
  };
  const auto at = [](double offset_s) { return fmt("  - at: +%.0f s\n", offset_s); };
  for (std::size_t k = 0; k < spec.sizes.size(); ++k) {
    const LeakSize& size = spec.sizes[k];
    const int n = runsPerSize >= 0 ? runsPerSize : size.runs;
    for (int i = 0; i < n; ++i) {
      PlannedRun p;
      p.size = static_cast<int>(k);
      const double onset = std::round(spec.reference_s + unit(rng) * spec.onsetWindow_s);
      const std::string module =
          spec.modules[static_cast<std::size_t>(unit(rng) *
                                                static_cast<double>(spec.modules.size())) %
                       spec.modules.size()];
      p.duration_s = onset + size.follow_s;
      std::string text = header(p.duration_s);
      if (unit(rng) < spec.repressProbability) {
        // The onset falls inside the repress.
        const double start = std::max(3600.0, onset - unit(rng) * spec.repressDuration_s);
        text += at(start) + "    repress: " + spec.repress + "\n";
      }
      text += at(onset) + "    leak: {id: leak-1, module: " + module +
              fmt(", cda: %.9g mm^2", size.cda_m2 * 1e6) +
              fmt(", cd: %.4g, onset: step}\n", spec.cd);
      p.scenarioText = std::move(text);
      p.truth = harness::RunTruth{"leak-1", module, spec.start_s + onset, spec.checkAfter_s,
                                  spec.scoreAfterAlarm_s};
      plan.push_back(std::move(p));
    }
  }
  const int free = leakFreeRuns >= 0 ? leakFreeRuns : spec.leakFreeRuns;
  for (int i = 0; i < free; ++i) {
    PlannedRun p;
    p.duration_s = spec.leakFreeDuration_s;
    std::string text = header(p.duration_s);
    const double days = p.duration_s / 86400.0;
    // Events spread over equal slots after the first hour, one per slot at a random place.
    const auto slots = [&](double perDay, double length_s, auto&& emit) {
      const int count = static_cast<int>(std::floor(perDay * days + unit(rng)));
      if (count <= 0) return;
      const double slot = (p.duration_s - 3600.0) / count;
      for (int c = 0; c < count; ++c) {
        const double t = 3600.0 + c * slot + unit(rng) * std::max(0.0, slot - length_s - 60.0);
        emit(std::round(t));
      }
    };
    std::vector<std::pair<double, std::string>> events;
    slots(spec.repressesPerDay, spec.repressDuration_s,
          [&](double t) { events.emplace_back(t, at(t) + "    repress: " + spec.repress + "\n"); });
    slots(spec.hatchCyclesPerDay, spec.hatchClosed_s, [&](double t) {
      const std::string& h =
          spec.hatches[static_cast<std::size_t>(unit(rng) *
                                                static_cast<double>(spec.hatches.size())) %
                       spec.hatches.size()];
      events.emplace_back(t, at(t) + "    hatch: {id: " + h + ", state: closed}\n");
      events.emplace_back(t + spec.hatchClosed_s,
                          at(t + spec.hatchClosed_s) + "    hatch: {id: " + h + ", state: open}\n");
    });
    // Drawn only when asked for, after everything else: the plan of a spec without crew moves
    // is the one it always had.
    if (spec.crewMovesPerDay > 0.0)
      slots(spec.crewMovesPerDay, spec.crewAway_s, [&](double t) {
        const auto pick = [&](std::size_t n) {
          return static_cast<std::size_t>(unit(rng) * static_cast<double>(n)) % n;
        };
        const auto& [crew, home] = spec.crewHomes[pick(spec.crewHomes.size())];
        const std::string& to = spec.crewModules[pick(spec.crewModules.size())];
        events.emplace_back(t, at(t) + "    crew_move: {crew: " + crew + ", module: " + to + "}\n");
        events.emplace_back(t + spec.crewAway_s, at(t + spec.crewAway_s) +
                                                     "    crew_move: {crew: " + crew +
                                                     ", module: " + home + "}\n");
      });
    std::stable_sort(events.begin(), events.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& e : events) text += e.second;
    if (events.empty()) text += "  []\n";
    p.scenarioText = std::move(text);
    plan.push_back(std::move(p));
  }
  return plan;
}

}  // namespace leakhunt::campaign
