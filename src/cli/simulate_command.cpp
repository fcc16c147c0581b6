// leakhunt simulate SCENARIO -o TELEMETRY [--truth FILE]: run a scenario, write what the sensors
// read, and summarise what happened to each segment.
#include <fmt/core.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/implausible.hpp"
#include "cli/output_file.hpp"
#include "cli/output_size.hpp"
#include "cli/progress.hpp"
#include "cli/solver_failure.hpp"
#include "gas/species.hpp"
#include "model/load.hpp"
#include "sim/habitability.hpp"
#include "sim/scenario_runner.hpp"
#include "sim/summary_json.hpp"
#include "telemetry/telemetry_io.hpp"

namespace leakhunt::cli {

namespace {

struct SimulateArgs {
  std::string scenario;
  std::string output;
  std::string truth;
  std::string format = "csv";
  std::string solver = "auto";
  double rtol = 1e-8;
  double spinUp_days = 5.0;
  std::string maxOutput = "2 GB";
  bool json = false;
};

class FileObserver : public sim::RunObserver {
 public:
  telemetry::Format format = telemetry::Format::Csv;
  std::ostream* telemetryOut = nullptr;
  std::ostream* truthOut = nullptr;
  const model::Station* station = nullptr;
  std::unique_ptr<sim::HabitabilityWatch> habitability;
  void begin(const telemetry::ChannelTable& tm, const telemetry::ChannelTable& truth) override {
    if (telemetryOut)
      telemetryWriter = std::make_unique<telemetry::TelemetryWriter>(*telemetryOut, format, tm);
    if (truthOut)
      truthWriter = std::make_unique<telemetry::TelemetryWriter>(*truthOut, format, truth);
    if (station) habitability = std::make_unique<sim::HabitabilityWatch>(*station, truth);
  }
  std::unique_ptr<telemetry::TelemetryWriter> telemetryWriter;
  std::unique_ptr<telemetry::TelemetryWriter> truthWriter;
  void telemetry(const telemetry::Sample& s) override {
    if (telemetryWriter) telemetryWriter->write(s);
  }
  void truth(const telemetry::Sample& s) override {
    if (truthWriter) truthWriter->write(s);
    if (habitability) habitability->onTruth(s);
  }
};

std::string hours(double s) {
  if (s < 0.0) return "not falling";
  if (s == 0.0) return "below the limit";
  if (s > 2.0 * 86400.0) return fmt::format("{:.1f} days", s / 86400.0);
  return fmt::format("{:.1f} h", s / 3600.0);
}

std::string outside(double s) { return s > 0.0 ? fmt::format("{:.1f} h", s / 3600.0) : "-"; }

// Each module's worst air and its time outside each limit (model::Limits, docs/formats.md).
void printHabitability(const sim::HabitabilityWatch& w) {
  const model::Limits& l = w.limits();
  fmt::print(stderr,
             "worst air per module; time outside the limits (evacuation {:.0f} mmHg, ppO2 "
             "{:.1f}-{:.1f} kPa, ppCO2 {:.1f} mmHg, humidity {:.0f}-{:.0f} %):\n",
             l.evacuationPressure_pa / gas::kMmHg_pa, l.nominalPpO2Low_pa / 1e3,
             l.nominalPpO2High_pa / 1e3, l.maxPpCo2_pa / gas::kMmHg_pa, 100.0 * l.minHumidity,
             100.0 * l.maxHumidity);
  fmt::print(stderr, "{:>10} {:>15} {:>13} {:>12} {:>9} {:>9} {:>9} {:>9}  {}\n", "min [mmHg]",
             "ppO2 [kPa]", "ppCO2 [mmHg]", "RH [%]", "t<evac", "t ppO2", "t ppCO2", "t RH",
             "module");
  for (const sim::ModuleHabitability& m : w.modules()) {
    if (!m.seen) continue;
    fmt::print(stderr, "{:>10.1f} {:>15} {:>13.2f} {:>12} {:>9} {:>9} {:>9} {:>9}  {}\n",
               m.minPressure_pa / gas::kMmHg_pa,
               fmt::format("{:.1f}-{:.1f}", m.minPpO2_pa / 1e3, m.maxPpO2_pa / 1e3),
               m.maxPpCo2_pa / gas::kMmHg_pa,
               fmt::format("{:.0f}-{:.0f}", 100.0 * m.minHumidity, 100.0 * m.maxHumidity),
               outside(m.belowEvacuation_s), outside(m.outsidePpO2Band_s), outside(m.overPpCo2_s),
               outside(m.outsideHumidityBand_s), m.module);
  }
}

int run(const SimulateArgs& a) {
  auto scenario = model::loadScenario(a.scenario);
  if (!scenario) {
    fmt::print(stderr, "{}\n", scenario.error().message);
    return 2;
  }
  warnImplausible(scenario->station, "simulate");
  warnScenario(scenario->warnings, "simulate");
  sim::RunOptions options;
  options.solver = a.solver == "full"      ? sim::Solver::Full
                   : a.solver == "reduced" ? sim::Solver::Reduced
                                           : sim::Solver::Auto;
  options.relativeTolerance = a.rtol;
  options.spinUp_s = a.spinUp_days * 86400.0;
  options.emitTelemetry = !a.output.empty();
  // The truth feeds the habitability summary even when no --truth file is written.
  options.emitTruth = true;
  const telemetry::Format format =
      a.format == "jsonl" ? telemetry::Format::JsonLines : telemetry::Format::Csv;

  if (auto r = checkOutputsAreNew(
          {{"the scenario", a.scenario}, {"the station file", scenario->station.where.file}},
          {{"-o", a.output}, {"--truth", a.truth}});
      !r) {
    fmt::print(stderr, "leakhunt simulate: {}\n", r.error().message);
    return 2;
  }
  // What the run will write, before it writes (output_period 1e-9 s once wrote 12.4 GB).
  const Result<double> maxOutput = parseByteSize("--max-output", a.maxOutput);
  if (!maxOutput) {
    fmt::print(stderr, "leakhunt simulate: {}\n", maxOutput.error().message);
    return 2;
  }
  const OutputEstimate size =
      estimateSimulateOutput(*scenario, !a.output.empty(), !a.truth.empty(), format);
  if (size.bytes > *maxOutput) {
    fmt::print(stderr,
               "leakhunt simulate: {}: this run would write about {} ({:.3g} telemetry rows, "
               "{:.3g} truth rows over {:.4g} s at output_period {:.3g} s), above --max-output "
               "{}; lengthen output_period or the sensors' periods, shorten the duration, or "
               "raise --max-output. Nothing was written\n",
               a.scenario, byteText(size.bytes), size.telemetryRows, size.truthRows,
               scenario->duration_s, scenario->outputPeriod_s, byteText(*maxOutput));
    return 2;
  }
  removeTemporariesOnSignals();  // Ctrl-C leaves no `*.tmp.PID` behind
  // The channel tables are filled by the run before any sample arrives; writers hold references.
  std::unique_ptr<OutputFile> telemetryFile, truthFile;
  for (auto [path, file] :
       {std::pair{&a.output, &telemetryFile}, std::pair{&a.truth, &truthFile}}) {
    if (path->empty()) continue;
    *file = std::make_unique<OutputFile>(*path);
    if (auto r = (*file)->open(); !r) {
      fmt::print(stderr, "{}\n", r.error().message);
      return 2;
    }
  }
  if (scenario->station.sensors.empty())
    fmt::print(stderr,
               "leakhunt simulate: warning: station '{}' has no sensors: the telemetry will hold "
               "no samples and detect will have nothing to read (add sensors: docs/formats.md)\n",
               scenario->station.name);
  FileObserver observer;
  observer.station = &scenario->station;
  observer.format = format;
  observer.telemetryOut = telemetryFile ? &telemetryFile->stream() : nullptr;
  observer.truthOut = truthFile ? &truthFile->stream() : nullptr;

  Progress progress("simulate " + a.scenario);
  options.progress = [&](double f) { progress.update(f); };
  const auto started = std::chrono::steady_clock::now();
  auto result = sim::runScenario(*scenario, options, observer);
  progress.finish();
  if (!result) {
    // The solver's words are about itself: say what in the input made the problem impossible.
    const std::vector<sim::ModuleHabitability> none;
    for (const std::string& line : explainSolverFailure(
             a.scenario, *scenario, observer.habitability ? observer.habitability->modules() : none,
             observer.habitability ? observer.habitability->latestTime_s() : std::nullopt,
             result.error().message))
      fmt::print(stderr, "{}\n", line);
    return 1;
  }
  for (auto* file : {telemetryFile.get(), truthFile.get()}) {
    if (!file) continue;
    if (auto r = file->commit(); !r) {
      fmt::print(stderr, "{}\n", r.error().message);
      return 1;
    }
  }
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const model::Scenario& sc = *scenario;
  if (a.json) {
    nlohmann::ordered_json j;
    j["scenario"] = sc.name;
    j["duration_s"] = sc.duration_s;
    j["solver"] = result->solver;
    j["wall_time_s"] = wall;
    j["steps"] = result->stats.steps;
    for (const sim::SegmentSummary& s : result->segments)
      j["segments"].push_back(sim::segmentSummaryJson(s));
    for (const sim::ModuleHabitability& m : observer.habitability->modules())
      j["modules"].push_back(sim::habitabilityJson(m));
    fmt::print("{}\n", j.dump(2));
    return 0;
  }
  fmt::print(stderr,
             "{}: {} over {:.1f} h of station time, seed {}, {} ({} steps, {} right-hand sides, "
             "{:.2f} s)\n",
             a.scenario, sc.name, sc.duration_s / 3600.0, sc.seed, result->solver,
             result->stats.steps, result->stats.rhsEvaluations, wall);
  fmt::print(stderr, "{:>14} {:>14} {:>16}  {}\n", "end [mmHg]", "drop [mmHg/h]", "to evacuation",
             "segment");
  for (const auto& s : result->segments) {
    std::string names;
    for (const auto& m : s.modules) names += (names.empty() ? "" : " ") + m;
    fmt::print(stderr, "{:>14.2f} {:>14.3f} {:>16}  {}\n", s.pressureEnd_pa / gas::kMmHg_pa,
               s.dropRate_pa_s * 3600.0 / gas::kMmHg_pa, hours(s.timeToEvacuation_s), names);
  }
  printHabitability(*observer.habitability);
  return 0;
}

}  // namespace

void addSimulateCommand(CLI::App& app) {
  auto args = std::make_shared<SimulateArgs>();
  CLI::App* cmd =
      app.add_subcommand("simulate", "Run a scenario through the gas-network simulator");
  cmd->footer(
      "Writes what the sensors read (telemetry: time,channel,value, SI units) and, with --truth,\n"
      "the noise-free state of every module and each leak's mass flow. Prints a summary per\n"
      "segment: end pressure [mmHg], drop rate from the gas inventory over the last hour\n"
      "[mmHg/h] and the time to the evacuation limit at that rate.\n"
      "Example: leakhunt simulate data/scenarios/soyuz-ms09-2018.yaml -o tm.csv --truth truth.csv");
  cmd->add_option("scenario", args->scenario, "Scenario file (YAML)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", args->output, "Telemetry file to write");
  cmd->add_option("--truth", args->truth, "Noise-free state file to write");
  cmd->add_option("--format", args->format, "csv or jsonl")->check(CLI::IsMember({"csv", "jsonl"}));
  cmd->add_option(
         "--solver", args->solver,
         "auto (segment reduction when isothermal), full (every hatch, stiff BDF) or reduced")
      ->check(CLI::IsMember({"auto", "full", "reduced"}));
  cmd->add_option("--rtol", args->rtol, "Relative tolerance of the integrator")
      ->check(CLI::Range(1e-14, 1e-2));
  cmd->add_option("--spin-up", args->spinUp_days,
                  "Days simulated before the start so CO2 and humidity settle [day]")
      ->check(CLI::Range(0.0, 60.0));
  cmd->add_option("--max-output", args->maxOutput,
                  "Refuse a run whose files would be larger (estimated before writing), e.g. "
                  "'500 MB', '10 GB'")
      ->capture_default_str();
  cmd->add_flag("--json", args->json, "Print the summary as JSON on stdout");
  cmd->callback([args] {
    const int code = run(*args);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace leakhunt::cli
