// leakhunt export-network SCENARIO -o net.json: the gas network a scenario builds (geometry,
// hatches, leaks, life support, crew, represses, gas temperatures, the initial state and the
// integrator tolerances) as JSON, so that an independent implementation (bench/scipy_reference.py)
// can integrate the very same equations. A benchmarking aid; isothermal scenarios only.
#include <fmt/core.h>

#include <cmath>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <numbers>
#include <random>

#include "cli/commands.hpp"
#include "gas/species.hpp"
#include "model/load.hpp"
#include "network/gas_network.hpp"
#include "sim/network_builder.hpp"

namespace leakhunt::cli {

namespace {

struct ExportArgs {
  std::string scenario;
  std::string output;
  double rtol = 1e-8;
};

using nlohmann::json;

// The builder seeds each smooth wander from the scenario seed (streamSeed) and draws its periods
// and phases as SmoothNoise does. The terms are private, so they are redrawn here the same way
// and checked against the network's own noise: a mismatch is an error, never a silent drift.
struct NoiseTerms {
  std::vector<double> omega, phase;
};

NoiseTerms redraw(uint64_t seed, double minPeriod_s, double maxPeriod_s) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> period(minPeriod_s, maxPeriod_s);
  std::uniform_real_distribution<double> phase(0.0, 2.0 * std::numbers::pi);
  NoiseTerms n;
  for (int k = 0; k < 4; ++k) {
    n.omega.push_back(2.0 * std::numbers::pi / period(rng));
    n.phase.push_back(phase(rng));
  }
  return n;
}

bool matches(const NoiseTerms& n, const network::SmoothNoise& noise) {
  for (double t : {-432000.0, -1234.5, 0.0, 777.7, 86400.0 * 3.3, 86400.0 * 29.9}) {
    double v = 0.0;
    for (std::size_t k = 0; k < n.omega.size(); ++k) v += std::sin(n.omega[k] * t + n.phase[k]);
    v *= std::sqrt(2.0 / static_cast<double>(n.omega.size()));
    if (std::abs(v - noise.value(t)) > 1e-12) return false;
  }
  return true;
}

json noiseJson(const NoiseTerms& n) { return {{"omega", n.omega}, {"phase", n.phase}}; }

// Purposes of network_builder.cpp's streams (temperature 1, life support 2, crew 3) and the
// period ranges it gives SmoothNoise.
constexpr uint64_t kTemperaturePurpose = 1, kLifeSupportPurpose = 2, kCrewPurpose = 3;

Result<json> wanderJson(const network::Wander& w, uint64_t seed, const std::string& what) {
  const NoiseTerms n = redraw(seed, 1800.0, 6.0 * 3600.0);
  if (w.spread != 0.0 && !matches(n, w.noise))
    return Error{"cannot reproduce the rate wander of " + what + " (network_builder changed?)"};
  return json{{"spread", w.spread}, {"noise", noiseJson(n)}};
}

Result<json> exportNetwork(const model::Scenario& sc, double rtol) {
  if (sc.thermal != model::ThermalModel::Isothermal)
    return Error{"export-network: isothermal scenarios only"};
  const model::Station& st = sc.station;
  sim::BuiltNetwork built = sim::buildNetwork(sc);
  const network::GasNetwork net(built.geometry, built.inputs, sc.thermal);
  const network::NetworkInputs& in = net.inputs();
  json j;
  j["format"] = "leakhunt-network/1";
  j["scenario"] = sc.name;
  j["seed"] = sc.seed;
  j["duration_s"] = sc.duration_s;
  j["output_period_s"] = sc.outputPeriod_s;
  j["thermal"] = "isothermal";
  j["universal_gas_constant"] = gas::kUniversalGasConstant;
  j["hatch_regularisation_pa"] = network::GasNetwork::kHatchRegularisation_pa;
  j["leak_regularisation_pa"] = network::GasNetwork::kLeakRegularisation_pa;
  for (const auto& s : gas::kSpecies)
    j["species"].push_back(
        {{"name", s.name}, {"molar_mass_kg_mol", s.molarMass_kg_mol}, {"cp_j_kgk", s.cp_j_kgk}});
  for (std::size_t i = 0; i < net.moduleCount(); ++i) {
    const network::ModuleThermal& th = in.thermal[i];
    const NoiseTerms n =
        redraw(sim::streamSeed(sc.seed, kTemperaturePurpose, i), 3600.0, 8.0 * 3600.0);
    if (th.unmeasured_k != 0.0 && !matches(n, th.unmeasuredNoise))
      return Error{"cannot reproduce the temperature wander of module " + st.modules[i].id};
    j["modules"].push_back({{"id", st.modules[i].id},
                            {"volume_m3", net.modules()[i].volume_m3},
                            {"set_point_k", th.setPoint_k},
                            {"set_point_changes", th.setPointChanges},
                            {"response_time_s", th.responseTime_s},
                            {"swing_k", th.swing_k},
                            {"orbital_omega_rad_s", th.orbitalOmega_rad_s},
                            {"phase_rad", th.phase_rad},
                            {"unmeasured_k", th.unmeasured_k},
                            {"unmeasured_noise", noiseJson(n)}});
  }
  j["hatches"] = json::array();
  for (std::size_t h = 0; h < in.hatches.size(); ++h) {
    const network::HatchInput& hi = in.hatches[h];
    j["hatches"].push_back({{"id", st.hatches[h].id},
                            {"a", hi.moduleA},
                            {"b", hi.moduleB},
                            {"cda_m2", hi.cda_m2},
                            {"ventilation_m3_s", hi.ventilation_m3_s},
                            {"states", hi.states}});
  }
  j["leaks"] = json::array();
  for (const network::LeakInput& l : in.leaks) {
    json pieces = json::array();
    for (const network::CdaPiece& p : l.pieces)
      pieces.push_back({{"t0_s", p.t0_s},
                        {"t1_s", p.t1_s},
                        {"cda0_m2", p.cda0_m2},
                        {"cda1_m2", p.cda1_m2},
                        {"exponential", p.exponential}});
    j["leaks"].push_back({{"id", l.id}, {"module", l.module}, {"pieces", pieces}});
  }
  // Life-support entries become generators and removers in station order.
  j["generators"] = json::array();
  j["removers"] = json::array();
  std::size_t g = 0, r = 0;
  for (std::size_t k = 0; k < st.lifeSupport.size(); ++k) {
    const uint64_t seed = sim::streamSeed(sc.seed, kLifeSupportPurpose, k);
    const std::string what = "life support " + st.lifeSupport[k].id;
    if (st.lifeSupport[k].kind == model::LifeSupportKind::O2Generation) {
      const network::GeneratorInput& gi = in.generators.at(g++);
      auto w = wanderJson(gi.wander, seed, what);
      if (!w) return w.error();
      j["generators"].push_back({{"module", gi.module},
                                 {"species", gi.species},
                                 {"rate_kg_s", gi.rate_kg_s},
                                 {"wander", *w}});
    } else {
      const network::RemoverInput& ri = in.removers.at(r++);
      auto w = wanderJson(ri.wander, seed, what);
      if (!w) return w.error();
      j["removers"].push_back({{"module", ri.module},
                               {"species", ri.species},
                               {"flow_m3_s", ri.flow_m3_s},
                               {"efficiency", ri.efficiency},
                               {"rate_kg_s", ri.rate_kg_s},
                               {"wander", *w}});
    }
  }
  if (g != in.generators.size() || r != in.removers.size())
    return Error{"export-network: life support does not map onto the network's inputs"};
  j["metabolism"] = {{"o2_kg_s", in.metabolism.o2_kg_s},
                     {"co2_kg_s", in.metabolism.co2_kg_s},
                     {"h2o_kg_s", in.metabolism.h2o_kg_s}};
  j["crew"] = json::array();
  for (std::size_t c = 0; c < in.crew.size(); ++c) {
    auto w = wanderJson(in.crew[c].wander, sim::streamSeed(sc.seed, kCrewPurpose, c),
                        "crew member " + st.crew[c].id);
    if (!w) return w.error();
    j["crew"].push_back({{"locations", in.crew[c].locations}, {"wander", *w}});
  }
  j["represses"] = json::array();
  for (const network::RepressInput& rp : in.represses)
    j["represses"].push_back({{"module", rp.module},
                              {"t0_s", rp.t0_s},
                              {"t1_s", rp.t1_s},
                              {"rate_kg_s", rp.rate_kg_s},
                              {"composition", rp.composition}});
  std::vector<double> breaks;
  for (double b : in.breakpoints())
    if (b > 0.0 && b < sc.duration_s) breaks.push_back(b);
  j["breakpoints_s"] = breaks;

  // The state the scenario runner starts from without spin-up (RunOptions::spinUp_s = 0), and
  // its tolerances: rtol, and per entry rtol * 1e-3 * the module's initial mass.
  std::vector<double> y(net.stateSize());
  net.uniformState(0.0, st.atmosphere.pressure_pa, st.atmosphere.composition, y);
  std::vector<double> atol(y.size());
  for (std::size_t i = 0; i < net.moduleCount(); ++i) {
    double mass = 0.0;
    for (std::size_t s = 0; s < gas::kSpeciesCount; ++s) mass += y[i * net.stride() + s];
    for (std::size_t s = 0; s < gas::kSpeciesCount; ++s)
      atol[i * net.stride() + s] = rtol * 1e-3 * mass;
  }
  j["initial_state_kg"] = y;
  j["initial_pressure_pa"] = st.atmosphere.pressure_pa;
  j["rtol"] = rtol;
  j["atol"] = atol;
  j["note"] =
      "State: species masses [kg], module-major (module i, species s at i * 5 + s). Start at "
      "t = 0 without spin-up; times in seconds since the scenario start.";
  return j;
}

int run(const ExportArgs& a) {
  auto scenario = model::loadScenario(a.scenario);
  if (!scenario) {
    fmt::print(stderr, "{}\n", scenario.error().message);
    return 2;
  }
  auto j = exportNetwork(*scenario, a.rtol);
  if (!j) {
    fmt::print(stderr, "{}: {}\n", a.scenario, j.error().message);
    return 1;
  }
  std::ofstream out(a.output);
  out << j->dump() << "\n";
  if (!out) {
    fmt::print(stderr, "cannot write {}\n", a.output);
    return 2;
  }
  return 0;
}

}  // namespace

void addExportNetworkCommand(CLI::App& app) {
  auto args = std::make_shared<ExportArgs>();
  CLI::App* cmd = app.add_subcommand(
      "export-network",
      "Write the gas network a scenario builds as JSON (for the SciPy reference in bench/).");
  cmd->group("");  // a benchmarking aid: not listed in --help
  cmd->add_option("scenario", args->scenario, "Scenario file (YAML)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", args->output, "JSON file to write")->required();
  cmd->add_option("--rtol", args->rtol, "Relative tolerance to export with the atol vector")
      ->check(CLI::Range(1e-14, 1e-2));
  cmd->callback([args] {
    const int code = run(*args);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace leakhunt::cli
