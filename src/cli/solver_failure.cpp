#include "cli/solver_failure.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <variant>

#include "detect/emptied_segment.hpp"
#include "model/station_lints.hpp"
#include "telemetry/telemetry_io.hpp"

namespace leakhunt::cli {

namespace {

std::string sinceStart(double s) {
  if (s < 3600.0) return fmt::format("+{:.0f} min", s / 60.0);
  return fmt::format("+{:.2f} h", s / 3600.0);
}

std::string where(const model::SourceLocation& at) {
  return at.line > 0 ? fmt::format("{}:{}", at.file, at.line) : at.file;
}

// The leaks open by `until` [s since start], each as "leak 'id' in module (CdA ...) from +t at
// file:line".
std::vector<std::string> leaksBefore(const model::Scenario& sc, double until) {
  std::vector<std::string> out;
  for (const model::Event& e : sc.events) {
    const auto* leak = std::get_if<model::LeakEvent>(&e.action);
    if (!leak || e.time_s > until) continue;
    out.push_back(fmt::format("leak '{}' in {} (CdA {:.3g} m^2) from {}, {}", leak->id,
                              leak->module, leak->cda_m2, sinceStart(e.time_s), where(e.where)));
  }
  return out;
}

}  // namespace

std::vector<std::string> explainSolverFailure(const std::string& path, const model::Scenario& sc,
                                              const std::vector<sim::ModuleHabitability>& modules,
                                              std::optional<double> lastOutput_s,
                                              const std::string& solverWords) {
  std::vector<std::string> out;
  const double reached = lastOutput_s ? *lastOutput_s - static_cast<double>(sc.startUnix_s) : -1.0;
  out.push_back(reached >= 0.0
                    ? fmt::format("{}: the simulation cannot go on after {} ({}): {}", path,
                                  telemetry::formatTime(*lastOutput_s), sinceStart(reached),
                                  solverWords)
                    : fmt::format("{}: the simulation could not start: {}", path, solverWords));

  bool explained = false;
  const auto implausible = model::lintPlausibility(sc.station);
  if (!implausible.empty()) {
    explained = true;
    out.push_back("the station has values no crewed cabin has, the likely cause:");
    for (const model::Diagnostic& d : implausible) out.push_back("  " + model::format(d));
  }

  std::string emptied;
  double lowest = 0.0;
  for (const sim::ModuleHabitability& m : modules) {
    // The detector's line for an emptied segment, on the module's lowest pressure.
    if (!m.seen || !detect::isEmptied(m.minPressure_pa, sc.station.atmosphere.pressure_pa))
      continue;
    lowest = emptied.empty() ? m.minPressure_pa : std::min(lowest, m.minPressure_pa);
    emptied += (emptied.empty() ? "" : ", ") + m.module;
  }
  if (!emptied.empty()) {
    explained = true;
    out.push_back(fmt::format(
        "module(s) {} had emptied to vacuum ({:.3g} Pa) by then, through:", emptied, lowest));
    const auto leaks = leaksBefore(sc, reached >= 0.0 ? reached : sc.duration_s);
    for (const std::string& l : leaks) out.push_back("  " + l);
    if (leaks.empty()) out.push_back("  no leak of the scenario: a vent, or represses overdrawn");
    if (sc.thermal == model::ThermalModel::AdiabaticWalls)
      out.push_back(
          "with `thermal: adiabatic-walls` the walls heat a gas with next to no mass, the "
          "hardest part of the run for the solver: try `thermal: isothermal`, which follows a "
          "module to vacuum, or end the run (`duration`) before the module empties");
    else
      out.push_back(
          "end the run (`duration`) before the module empties, or check the hole's size (a CdA "
          "of square metres empties a station in seconds)");
  }
  if (!explained)
    out.push_back(
        "nothing in the input stands out as implausible: try `--solver full` or `--solver "
        "reduced` (the other path), or a looser `--rtol 1e-6`, and report it with the scenario");
  return out;
}

}  // namespace leakhunt::cli
