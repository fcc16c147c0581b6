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
#include "report/result_json.hpp"

namespace leakhunt::harness {

// The campaign runs the localisation estimators; their names read as the domain's here.
using namespace leakhunt::locate;

namespace {

using Json = nlohmann::ordered_json;

std::string where(const std::string& file, const YAML::Node& n) {
  return file + ":" + std::to_string(n.Mark().line + 1) + ":" +
         std::to_string(n.Mark().column + 1) + ": error: ";
}

Result<double> quantity(const std::string& file, const YAML::Node& n, gas::Dimension dim) {
  Result<double> v = gas::parseQuantity(n.as<std::string>(), dim);
  if (!v) return Error{where(file, n) + v.error().message};
  return v;
}

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
    return root.IsMap() && root["kind"] && root["kind"].as<std::string>() == "localisation";
  } catch (const YAML::Exception&) {
    return false;
  }
}

Result<LocalisationSpec> parseLocalisationSpec(const std::string& text, const std::string& file,
                                               const std::string& baseDir) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return Error{file + ":" + std::to_string(e.mark.line + 1) + ": error: " + e.msg};
  }
  LocalisationSpec s;
  try {
    s.name =
        root["name"] ? root["name"].as<std::string>() : std::filesystem::path(file).stem().string();
    if (!root["station"]) return Error{file + ": error: `station:` (a station file) is required"};
    s.stationPath = (std::filesystem::path(baseDir) / root["station"].as<std::string>()).string();
    Result<model::Station> st = model::loadStation(s.stationPath);
    if (!st) return st.error();
    s.station = std::move(st).value();
    s.start_s = *model::parseUtc("2018-08-29T18:00:00Z");
    if (root["start"]) {
      const Result<double> t = model::parseUtc(root["start"].as<std::string>());
      if (!t) return Error{where(file, root["start"]) + t.error().message};
      s.start_s = *t;
    }
    if (root["seed"]) s.seed = root["seed"].as<uint64_t>();
    for (auto [key, into] : {std::pair{"spin_up", &s.spinUp_s}, {"reference", &s.reference_s}}) {
      if (!root[key]) continue;
      Result<double> v = quantity(file, root[key], gas::Dimension::Time);
      if (!v) return v.error();
      *into = *v;
    }
    if (root["cd"]) s.cd = root["cd"].as<double>();
    if (root["modules"] && root["modules"].IsSequence())
      for (const YAML::Node& m : root["modules"]) {
        if (s.station.moduleIndex(m.as<std::string>()) < 0)
          return Error{where(file, m) + "no module '" + m.as<std::string>() + "' in the station"};
        s.modules.push_back(m.as<std::string>());
      }
    const YAML::Node strategies = root["strategies"];
    if (strategies) {
      for (const YAML::Node& n : strategies) {
        const std::string v = n.as<std::string>();
        if (v == "information")
          s.strategies.push_back(Strategy::Information);
        else if (v == "halving")
          s.strategies.push_back(Strategy::HalvingByVolume);
        else if (v == "crew-2018")
          s.strategies.push_back(Strategy::CrewOrder2018);
        else
          return Error{where(file, n) + "strategy '" + v +
                       "' is not information, halving or crew-2018"};
      }
    } else {
      s.strategies = {Strategy::Information, Strategy::HalvingByVolume, Strategy::CrewOrder2018};
    }
    if (!root["sizes"] || !root["sizes"].IsSequence())
      return Error{file +
                   ": error: `sizes:` is required: a list of {diameter: 2 mm} or {rate: 1.4 "
                   "kg/day}, each with runs"};
    for (const YAML::Node& n : root["sizes"]) {
      LeakSpec l;
      l.runs = n["runs"] ? n["runs"].as<int>() : 10;
      l.leaks = n["leaks"] ? n["leaks"].as<int>() : 1;
      if (l.leaks < 1 || l.leaks > 2) return Error{where(file, n) + "`leaks:` is 1 or 2"};
      if (n["diameter"]) {
        Result<double> d = quantity(file, n["diameter"], gas::Dimension::Length);
        if (!d) return d.error();
        l.cda_m2 = s.cd * M_PI * *d * *d / 4.0;
        l.label = n["diameter"].as<std::string>();
      } else if (n["rate"]) {
        Result<double> r = quantity(file, n["rate"], gas::Dimension::MassRate);
        if (!r) return r.error();
        l.cda_m2 = cdaForRate(s.station, *r);
        l.label = n["rate"].as<std::string>();
      } else {
        return Error{where(file, n) + "a size needs `diameter:` or `rate:`"};
      }
      if (l.leaks == 2) l.label = "two of " + l.label;
      s.sizes.push_back(l);
    }
  } catch (const YAML::Exception& e) {
    return Error{file + ":" + std::to_string(e.mark.line + 1) + ": error: " + e.msg};
  }
  if (s.modules.empty()) {
    const Segments seg = segmentsOf(s.station, declaredHatches(s.station));
    std::size_t largest = 0;
    for (std::size_t g = 0; g < seg.members.size(); ++g)
      if (seg.members[g].size() > seg.members[largest].size()) largest = g;
    for (int m : seg.members[largest])
      s.modules.push_back(s.station.modules[static_cast<std::size_t>(m)].id);
  }
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
