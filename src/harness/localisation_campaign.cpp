#include "harness/localisation_campaign.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <thread>

#include "gas/orifice.hpp"
#include "gas/species.hpp"
#include "gas/units.hpp"
#include "harness/drill_report.hpp"
#include "locate/render.hpp"
#include "model/load.hpp"
#include "model/utc_time.hpp"
#include "model/yaml_reader.hpp"
#include "report/result_json.hpp"

namespace leakhunt::harness {

// The campaign runs the localisation estimators; their names read as the domain's here.
using namespace leakhunt::locate;

namespace {

using Json = nlohmann::ordered_json;

// CdA of a choked hole losing `rate` at the station's atmosphere.
double cdaForRate(const model::Station& st, double rate_kg_s) {
  const gas::MixtureProperties mp =
      gas::mixtureProperties(gas::toMassFractions(st.atmosphere.composition));
  return gas::effectiveAreaForChokedFlow(
      rate_kg_s, {st.atmosphere.pressure_pa, st.atmosphere.temperature_k, mp.r_j_kgk, mp.gamma});
}

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  const auto k = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size()))) - 1;
  return v[std::min(k, v.size() - 1)];
}

}  // namespace

bool isLocalisationSpec(const std::string& text) {
  try {
    const YAML::Node root = YAML::Load(text);
    return root.IsMap() && root["kind"] && root["kind"].IsScalar() &&
           root["kind"].Scalar() == "localisation";
  } catch (const YAML::Exception&) {
    return false;
  }
}

namespace {

namespace yaml = model::yaml;

constexpr std::string_view kSpecKeys[] = {"kind",    "name",       "station",   "start",
                                          "seed",    "spin_up",    "reference", "cd",
                                          "modules", "strategies", "sizes"};
constexpr std::string_view kSizeKeys[] = {"diameter", "rate", "runs", "leaks"};
constexpr std::string_view kStrategies[] = {"information", "halving", "crew-2018"};
constexpr Strategy kStrategyOf[] = {Strategy::Information, Strategy::HalvingByVolume,
                                    Strategy::CrewOrder2018};
constexpr std::uint64_t kMaxRuns = 1000000;
constexpr double kMaxRun_s = 366.0 * 86400.0;

void readSizes(yaml::Reader& r, const yaml::Fields& f, LocalisationSpec& s) {
  const std::vector<YAML::Node> sizes = yaml::items(r, f, "sizes");
  if (sizes.empty())
    r.error(f.node(),
            "`sizes:` is required: a list of {diameter: 2 mm} or {rate: 1.4 kg/day}, "
            "each with runs");
  for (const YAML::Node& node : sizes) {
    const auto size = yaml::Fields::open(r, node, "leak size", kSizeKeys);
    if (!size) continue;
    LeakSpec l;
    l.runs = static_cast<int>(size->count("runs", kMaxRuns).value_or(10));
    l.leaks = static_cast<int>(size->count("leaks", 2).value_or(1));
    if (l.leaks < 1) r.error(*size->get("leaks"), "leaks must be 1 or 2, got 0");
    if (size->has("diameter")) {
      const double d =
          size->quantity("diameter", gas::Dimension::Length, yaml::Bound::Positive).value_or(0.0);
      l.cda_m2 = s.cd * M_PI * d * d / 4.0;
      l.label = size->text("diameter").value_or("");
    } else if (size->has("rate")) {
      const double rate =
          size->quantity("rate", gas::Dimension::MassRate, yaml::Bound::Positive).value_or(0.0);
      l.cda_m2 = rate > 0.0 ? cdaForRate(s.station, rate) : 0.0;
      l.label = size->text("rate").value_or("");
    } else {
      r.error(node, "a leak size needs `diameter:` or `rate:`");
      continue;
    }
    if (l.leaks == 2) l.label = "two of " + l.label;
    s.sizes.push_back(l);
  }
}

}  // namespace

Result<LocalisationSpec> parseLocalisationSpec(const std::string& text, const std::string& file,
                                               const std::string& baseDir) {
  std::vector<model::Diagnostic> problems;
  yaml::Reader r(file, problems);
  LocalisationSpec s;
  try {
    const std::optional<YAML::Node> root =
        yaml::readDocument(r, text, "a localisation spec (docs/localisation.md)");
    const auto f =
        root ? yaml::Fields::open(r, *root, "a localisation spec", kSpecKeys) : std::nullopt;
    if (!f) return *yaml::errorOf(problems);
    s.name = f->text("name").value_or(std::filesystem::path(file).stem().string());
    const auto station = f->text("station", yaml::Need::Required);
    if (!station) return *yaml::errorOf(problems);
    s.stationPath = (std::filesystem::path(baseDir) / *station).string();
    Result<model::Station> st = model::loadStation(s.stationPath);
    if (!st) return st.error();
    s.station = std::move(st).value();
    s.start_s = f->time("start").value_or(*model::parseUtc("2018-08-29T18:00:00Z"));
    s.seed = f->count("seed").value_or(s.seed);
    s.spinUp_s =
        f->quantityWithin("spin_up", gas::Dimension::Time, 0.0, kMaxRun_s).value_or(s.spinUp_s);
    s.reference_s = f->quantityWithin("reference", gas::Dimension::Time, 3600.0, kMaxRun_s)
                        .value_or(s.reference_s);
    s.cd = f->number("cd", 0.01, 1.0).value_or(s.cd);
    std::vector<std::string> ids;
    for (const model::Module& m : s.station.modules) ids.push_back(m.id);
    s.modules =
        f->names("modules", std::vector<std::string_view>(ids.begin(), ids.end()), "module");
    for (const YAML::Node& n : yaml::items(r, *f, "strategies")) {
      const std::string v = n.IsScalar() ? n.Scalar() : "";
      const auto* it = std::find(std::begin(kStrategies), std::end(kStrategies), v);
      if (it == std::end(kStrategies))
        r.error(n, "strategy " + yaml::inQuotes(v) + " is not information, halving or crew-2018");
      else
        s.strategies.push_back(kStrategyOf[it - std::begin(kStrategies)]);
    }
    if (!f->has("strategies"))
      s.strategies = {Strategy::Information, Strategy::HalvingByVolume, Strategy::CrewOrder2018};
    readSizes(r, *f, s);
  } catch (const YAML::Exception& e) {
    r.report({file, e.mark.line + 1, e.mark.column + 1}, model::Diagnostic::Error, e.msg);
  }
  if (auto error = yaml::errorOf(problems)) return *error;
  if (s.modules.empty())
    for (int m : mainSegment(s.station))
      s.modules.push_back(s.station.modules[static_cast<std::size_t>(m)].id);
  return s;
}

std::vector<LocalisationRun> runLocalisationCampaign(const LocalisationSpec& spec,
                                                     const CampaignOptions& options) {
  // The plan is drawn up front from the spec's seed, so it does not depend on threads.
  struct Planned {
    const LeakSpec* size;
    std::vector<std::string> modules;
    uint64_t seed;
  };
  std::vector<Planned> plan;
  std::mt19937_64 rng(spec.seed);
  for (const LeakSpec& l : spec.sizes) {
    const int runs = options.runsPerSize >= 0 ? options.runsPerSize : l.runs;
    for (int k = 0; k < runs; ++k) {
      std::vector<std::string> pool = spec.modules, chosen;
      for (int j = 0; j < l.leaks && !pool.empty(); ++j) {
        const std::size_t i = rng() % pool.size();
        chosen.push_back(pool[i]);
        pool.erase(pool.begin() + static_cast<long>(i));
      }
      plan.push_back({&l, chosen, spec.seed * 100000 + plan.size()});
    }
  }
  model::Scenario base;
  base.name = spec.name;
  base.station = spec.station;
  base.startUnix_s = static_cast<int64_t>(spec.start_s);
  base.outputPeriod_s = 1.0;
  base.thermal = model::ThermalModel::Isothermal;
  base.duration_s = spec.reference_s + 3600.0;
  sim::RunOptions ro;
  ro.spinUp_s = spec.spinUp_s;
  ro.relativeTolerance = 1e-6;
  std::vector<double> settled;
  if (Result<std::vector<double>> s = settledState(base, ro)) settled = std::move(s).value();
  ro.initialState = settled;

  std::vector<LocalisationRun> runs(plan.size());
  std::atomic<std::size_t> next{0};
  std::atomic<int> done{0};
  std::mutex progressLock;
  const auto worker = [&] {
    for (std::size_t k = next++; k < plan.size(); k = next++) {
      const Planned& p = plan[k];
      model::Scenario sc = base;
      sc.seed = p.seed;
      sc.name = spec.name + " run " + std::to_string(k);
      for (std::size_t j = 0; j < p.modules.size(); ++j) {
        model::LeakEvent leak;
        leak.id = "hole-" + std::to_string(j + 1);
        leak.module = p.modules[j];
        leak.cda_m2 = p.size->cda_m2;
        leak.cd = spec.cd;
        sc.events.push_back({spec.reference_s, leak, {}});
      }
      LocalisationRun& out = runs[k];
      out.size = p.size->label;
      out.truth = p.modules;
      out.seed = p.seed;
      for (Strategy strategy : spec.strategies) {
        DrillOptions o;
        o.planner.strategy = strategy;
        o.sim = ro;
        Result<DrillResult> r = runDrill(sc, o, nullptr);
        if (r) {
          out.byStrategy.push_back(std::move(r).value());
        } else {
          out.errors.push_back(r.error().message);
          out.byStrategy.push_back({});
        }
      }
      const int d = ++done;
      if (options.progress) {
        std::lock_guard lock(progressLock);
        options.progress(d, static_cast<int>(plan.size()));
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < std::max(1, options.threads); ++t) pool.emplace_back(worker);
  for (std::thread& t : pool) t.join();
  return runs;
}

std::string localisationReport(const LocalisationSpec& spec,
                               const std::vector<LocalisationRun>& runs, bool json, double wall_s) {
  Json doc;
  doc["name"] = spec.name;
  doc["station"] = spec.station.name;
  doc["runs"] = runs.size();
  doc["wall_s"] = wall_s;
  doc["summary"] = Json::array();
  std::ostringstream text;
  text << "Localisation campaign " << spec.name << " (" << runs.size() << " hidden leaks, "
       << spec.strategies.size() << " strategies each, " << duration(wall_s) << " wall)\n";
  char line[512];
  std::snprintf(line, sizeof line, "%-18s %-18s %5s %8s %8s %8s %10s %10s %10s %6s %6s %6s\n",
                "size", "strategy", "runs", "alarmed", "correct", "wrong", "p50 [h]", "p90 [h]",
                "max [h]", "ops", "insep", "cutoff");
  text << line;
  std::vector<std::string> sizes;
  for (const LocalisationRun& r : runs)
    if (std::find(sizes.begin(), sizes.end(), r.size) == sizes.end()) sizes.push_back(r.size);
  for (const std::string& size : sizes)
    for (std::size_t k = 0; k < spec.strategies.size(); ++k) {
      int n = 0, alarmed = 0, correct = 0, wrong = 0, insep = 0, cut = 0;
      std::vector<double> times, ops;
      for (const LocalisationRun& r : runs) {
        if (r.size != size || k >= r.byStrategy.size()) continue;
        const DrillResult& d = r.byStrategy[k];
        ++n;
        alarmed += d.detected ? 1 : 0;
        const bool ok = d.correct && *d.correct;
        correct += ok ? 1 : 0;
        wrong += d.localized && !ok ? 1 : 0;
        insep += d.inseparable ? 1 : 0;
        cut += d.crewCutOff ? 1 : 0;
        // Time to the module; a run that did not reach it counts as never.
        times.push_back(ok ? d.elapsed_s : INFINITY);
        ops.push_back(d.hatchOperations);
      }
      const double p50 = percentile(times, 0.5), p90 = percentile(times, 0.9),
                   mx = percentile(times, 1.0);
      std::snprintf(line, sizeof line,
                    "%-18s %-18s %5d %8d %8d %8d %10.2f %10.2f %10.2f %6.0f %6d %6d\n",
                    size.c_str(), toString(spec.strategies[k]), n, alarmed, correct, wrong,
                    p50 / 3600.0, p90 / 3600.0, mx / 3600.0, percentile(ops, 0.5), insep, cut);
      text << line;
      using report::finiteOrNull;  // a percentile of runs that never localised is null
      doc["summary"].push_back({{"size", size},
                                {"strategy", toString(spec.strategies[k])},
                                {"runs", n},
                                {"alarmed", alarmed},
                                {"correct", correct},
                                {"wrong", wrong},
                                {"inseparable", insep},
                                {"crew_cut_off", cut},
                                {"time_to_module_p50_s", finiteOrNull(p50)},
                                {"time_to_module_p90_s", finiteOrNull(p90)},
                                {"time_to_module_max_s", finiteOrNull(mx)},
                                {"hatch_operations_p50", finiteOrNull(percentile(ops, 0.5))}});
    }
  text << "(time from the alarm to the module, station time; a run not localised correctly counts "
          "as never; ops: median hatch operations; insep: stopped with no safe test left)\n";
  doc["run_list"] = Json::array();
  for (const LocalisationRun& r : runs) {
    Json x{{"size", r.size}, {"truth", r.truth}, {"seed", r.seed}, {"errors", r.errors}};
    x["strategies"] = Json::array();
    for (std::size_t k = 0; k < r.byStrategy.size(); ++k) {
      const DrillResult& d = r.byStrategy[k];
      x["strategies"].push_back(
          {{"strategy", toString(spec.strategies[k])},
           {"localized_modules", d.localizedModules},
           {"correct", d.correct ? Json(*d.correct) : Json(nullptr)},
           {"elapsed_s", d.elapsed_s},
           {"alarm_delay_s", d.detected ? Json(d.alarm_s - d.onset_s) : Json(nullptr)},
           {"hatch_operations", d.hatchOperations},
           {"steps", d.steps.size()},
           {"inseparable", d.inseparable},
           {"suspects", d.suspects},
           {"crew_cut_off", d.crewCutOff}});
    }
    doc["run_list"].push_back(x);
  }
  for (const LocalisationRun& r : runs)
    for (const std::string& e : r.errors) text << "run failed: " << e << "\n";
  return json ? doc.dump(2) + "\n" : text.str();
}

Result<std::string> localisationCampaign(const std::string& text, const std::string& file,
                                         const std::string& baseDir,
                                         const CampaignOptions& options) {
  Result<LocalisationSpec> spec = parseLocalisationSpec(text, file, baseDir);
  if (!spec) return spec.error();
  const auto t0 = std::chrono::steady_clock::now();
  const std::vector<LocalisationRun> runs = runLocalisationCampaign(*spec, options);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return localisationReport(*spec, runs, options.json, wall);
}

}  // namespace leakhunt::harness
