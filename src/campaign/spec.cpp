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
#include "model/yaml_reader.hpp"
#include "telemetry/telemetry_io.hpp"

namespace leakhunt::campaign {
namespace {

namespace yaml = model::yaml;
using yaml::Need;

// Bounds that keep a spec from asking for more than a machine can plan: a run is at most a year
// of simulated time, a campaign at most a million runs per kind.
constexpr double kMaxRun_s = 366.0 * 86400.0;
constexpr std::uint64_t kMaxRuns = 1000000;
constexpr std::uint64_t kMaxSeed = 1000000000;
constexpr double kMaxEventsPerDay = 1440.0;

constexpr std::string_view kKeys[] = {"name",
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
                                      "score_after_alarm",
                                      "limit_horizon"};
constexpr std::string_view kLeakKeys[] = {"reference", "onset_window", "follow",
                                          "modules",   "sizes",        "repress_probability"};
constexpr std::string_view kSizeKeys[] = {"diameter", "rate", "cda", "runs", "follow"};
constexpr std::string_view kFreeKeys[] = {
    "runs",    "duration",           "represses_per_day", "hatch_cycles_per_day", "hatch_closed",
    "hatches", "crew_moves_per_day", "crew_away",         "crew_modules"};
constexpr std::string_view kDetectors[] = {"slope-change", "state-space"};

std::string fmt(const char* f, double v) {
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

// "1/yr", "2/day", "0.5/h", or a number per year; nothing (reported) when it is none of these.
std::optional<double> perYear(yaml::Reader& r, const yaml::Fields& f, std::string_view key) {
  const auto text = f.text(key);
  if (!text) return std::nullopt;
  const auto slash = text->find('/');
  const std::string count = text->substr(0, slash);
  char* end = nullptr;
  const double n = std::strtod(count.c_str(), &end);
  const bool whole = !count.empty() && end == count.c_str() + count.size();
  const std::string u = slash == std::string::npos ? "yr" : text->substr(slash + 1);
  const double scale = u == "day" || u == "d"     ? 365.25
                       : u == "h"                 ? 8766.0
                       : u == "yr" || u == "year" ? 1.0
                                                  : 0.0;
  const double v = n * scale;
  if (whole && v > 0.0 && std::isfinite(v) && v <= 1e6 * 8766.0) return v;
  r.error(*f.get(key),
          "expected a rate such as 1/yr, 2/day or 0.5/h, got " + yaml::inQuotes(*text));
  return std::nullopt;
}

void readLeakRuns(yaml::Reader& r, const yaml::Fields& f, const model::Station& station,
                  const gas::Upstream& cabin, CampaignSpec& s) {
  s.reference_s = f.quantityWithin("reference", gas::Dimension::Time, 3600.0, kMaxRun_s)
                      .value_or(s.reference_s);
  s.onsetWindow_s = f.quantityWithin("onset_window", gas::Dimension::Time, 0.0, kMaxRun_s)
                        .value_or(s.onsetWindow_s);
  s.follow_s =
      f.quantityWithin("follow", gas::Dimension::Time, 60.0, kMaxRun_s).value_or(s.follow_s);
  s.repressProbability = f.number("repress_probability", 0.0, 1.0).value_or(0.0);
  std::vector<std::string> ids;
  for (const model::Module& m : station.modules) ids.push_back(m.id);
  const std::vector<std::string_view> known(ids.begin(), ids.end());
  // `modules: all` (or no key): a hole in any module; else a list of module ids.
  const auto all = f.get("modules");
  if (!(all && all->IsScalar() && all->Scalar() == "all"))
    s.modules = f.names("modules", known, "module");
  for (const YAML::Node& node : yaml::items(r, f, "sizes")) {
    const auto size = yaml::Fields::open(r, node, "leak size", kSizeKeys);
    if (!size) continue;
    LeakSize l;
    l.runs = static_cast<int>(size->count("runs", kMaxRuns).value_or(10));
    l.follow_s =
        size->quantityWithin("follow", gas::Dimension::Time, 60.0, kMaxRun_s).value_or(s.follow_s);
    const auto area = [&](double diameter_m) {
      return s.cd * 3.141592653589793 * 0.25 * diameter_m * diameter_m;
    };
    const auto diameterOf = [&](double cda_m2) {
      return std::sqrt(4.0 * cda_m2 / (s.cd * 3.141592653589793));
    };
    if (size->has("diameter")) {
      l.label = size->text("diameter").value_or("");
      l.diameter_m =
          size->quantity("diameter", gas::Dimension::Length, yaml::Bound::Positive).value_or(0.0);
      l.cda_m2 = area(l.diameter_m);
      l.rate_kg_s = gas::chokedMassFlow(l.cda_m2, cabin);
    } else if (size->has("cda")) {  // a sudden breach given by its effective area
      l.label = size->text("cda").value_or("");
      l.cda_m2 = size->quantity("cda", gas::Dimension::Area, yaml::Bound::Positive).value_or(0.0);
      l.rate_kg_s = gas::chokedMassFlow(l.cda_m2, cabin);
      l.diameter_m = diameterOf(l.cda_m2);
    } else if (size->has("rate")) {
      l.label = size->text("rate").value_or("");
      l.rate_kg_s =
          size->quantity("rate", gas::Dimension::MassRate, yaml::Bound::Positive).value_or(0.0);
      l.cda_m2 = gas::effectiveAreaForChokedFlow(l.rate_kg_s, cabin);
      l.diameter_m = diameterOf(l.cda_m2);
    } else {
      r.error(node, "a leak size needs 'diameter:', 'rate:' or 'cda:'");
      continue;
    }
    s.sizes.push_back(l);
  }
}

void readLeakFree(const yaml::Fields& f, const model::Station& station, CampaignSpec& s) {
  s.leakFreeRuns = static_cast<int>(f.count("runs", kMaxRuns).value_or(0));
  s.leakFreeDuration_s = f.quantityWithin("duration", gas::Dimension::Time, 2.0 * 3600.0, kMaxRun_s)
                             .value_or(s.leakFreeDuration_s);
  s.repressesPerDay = f.number("represses_per_day", 0.0, kMaxEventsPerDay).value_or(0.0);
  s.hatchCyclesPerDay = f.number("hatch_cycles_per_day", 0.0, kMaxEventsPerDay).value_or(0.0);
  s.hatchClosed_s = f.quantityWithin("hatch_closed", gas::Dimension::Time, 60.0, 86400.0)
                        .value_or(s.hatchClosed_s);
  std::vector<std::string> hatchIds, moduleIds;
  for (const model::Hatch& h : station.hatches) hatchIds.push_back(h.id);
  for (const model::Module& m : station.modules) moduleIds.push_back(m.id);
  s.hatches =
      f.names("hatches", std::vector<std::string_view>(hatchIds.begin(), hatchIds.end()), "hatch");
  s.crewMovesPerDay = f.number("crew_moves_per_day", 0.0, kMaxEventsPerDay).value_or(0.0);
  s.crewAway_s =
      f.quantityWithin("crew_away", gas::Dimension::Time, 60.0, 86400.0).value_or(s.crewAway_s);
  s.crewModules = f.names(
      "crew_modules", std::vector<std::string_view>(moduleIds.begin(), moduleIds.end()), "module");
}

}  // namespace

Result<CampaignSpec> parseCampaignSpec(const std::string& text, const std::string& fileName,
                                       const std::string& baseDir) {
  std::vector<model::Diagnostic> problems;
  yaml::Reader r(fileName, problems);
  const auto failed = [&]() -> std::optional<Error> { return yaml::errorOf(problems); };
  CampaignSpec s;
  s.baseDir = baseDir;
  try {
    const std::optional<YAML::Node> root =
        yaml::readDocument(r, text, "a campaign spec (docs/detection.md)");
    if (!root) return *failed();
    const auto f = yaml::Fields::open(r, *root, "a campaign spec", kKeys);
    if (!f) return *failed();
    s.name = f->text("name").value_or(fileName);
    const auto stationText = f->text("station", Need::Required);
    if (!stationText) return *failed();
    std::filesystem::path sp = *stationText;
    if (sp.is_relative()) sp = std::filesystem::path(baseDir) / sp;
    s.stationPath = std::filesystem::absolute(sp).lexically_normal().string();
    const Result<model::Station> station = model::loadStation(s.stationPath);
    if (!station) return station.error();
    s.start_s = f->time("start").value_or(*model::parseUtc("2018-08-29T00:00:00Z"));
    s.seed = f->count("seed", kMaxSeed).value_or(1);
    s.spinUp_s =
        f->quantityWithin("spin_up", gas::Dimension::Time, 0.0, kMaxRun_s).value_or(s.spinUp_s);
    s.cd = f->number("cd", 0.01, 1.0).value_or(s.cd);
    s.falseAlarmsPerYear = perYear(r, *f, "false_alarm_rate").value_or(1.0);
    if (const auto d = f->choice("detector", kDetectors))
      s.detector = *d == 1 ? detect::DetectorModel::StateSpace : detect::DetectorModel::SlopeChange;
    s.checkAfter_s = f->quantityWithin("check_after", gas::Dimension::Time, 60.0, kMaxRun_s)
                         .value_or(s.checkAfter_s);
    s.scoreAfterAlarm_s =
        f->quantityWithin("score_after_alarm", gas::Dimension::Time, 0.0, 2.0 * 86400.0)
            .value_or(0.0);
    s.limitHorizon_s =
        f->quantityWithin("limit_horizon", gas::Dimension::Time, 0.0, 60.0 * 86400.0).value_or(0.0);
    if (const auto rp = f->get("repress")) {
      // The event as the scenario reader will read it in each run; only its length is ours.
      YAML::Emitter e;
      e << YAML::Flow << *rp;
      s.repress = e.c_str();
      if (rp->IsMap() && (*rp)["duration"]) {
        const auto d =
            yaml::readQuantity(r, (*rp)["duration"], "repress duration", gas::Dimension::Time,
                               yaml::Bound::Positive, yaml::Reading::Absolute);
        if (d && (*d < 1.0 || *d > 86400.0))
          r.error((*rp)["duration"], "repress duration must be from 1 s to 86400 s");
        else if (d)
          s.repressDuration_s = *d;
      }
    }
    const gas::MixtureProperties mix =
        gas::mixtureProperties(gas::toMassFractions(station->atmosphere.composition));
    const gas::Upstream cabin{station->atmosphere.pressure_pa, station->atmosphere.temperature_k,
                              mix.r_j_kgk, mix.gamma};
    if (const auto node = f->get("leak_runs"))
      if (const auto lr = yaml::Fields::open(r, *node, "leak_runs", kLeakKeys))
        readLeakRuns(r, *lr, *station, cabin, s);
    if (s.modules.empty())
      for (const model::Module& m : station->modules) s.modules.push_back(m.id);
    if (const auto node = f->get("leak_free"))
      if (const auto lf = yaml::Fields::open(r, *node, "leak_free", kFreeKeys))
        readLeakFree(*lf, *station, s);
    if (s.crewModules.empty())
      for (const model::Module& m : station->modules) s.crewModules.push_back(m.id);
    for (const model::CrewMember& c : station->crew) s.crewHomes.emplace_back(c.id, c.location);
    if (s.crewMovesPerDay > 0.0 && s.crewHomes.empty())
      r.error(*f->get("leak_free"), "crew moves are asked for but the station has no crew");
    if ((s.repressProbability > 0.0 || s.repressesPerDay > 0.0) && s.repress.empty())
      r.error(*root, "represses are asked for but no 'repress:' event is given");
    if (s.hatchCyclesPerDay > 0.0 && s.hatches.empty())
      r.error(*root, "hatch cycles are asked for but no 'hatches:' are listed");
  } catch (const YAML::Exception& e) {
    // A value of the wrong shape (a list where a name goes, ...), at its place in the file.
    r.report({fileName, e.mark.line + 1, e.mark.column + 1}, model::Diagnostic::Error, e.msg);
  }
  if (auto error = failed()) return *error;
  return s;
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
      p.truth = harness::RunTruth{"leak-1",
                                  module,
                                  spec.start_s + onset,
                                  spec.checkAfter_s,
                                  spec.scoreAfterAlarm_s,
                                  spec.limitHorizon_s};
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
