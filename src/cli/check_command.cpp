// `leakhunt check FILE [--json]`: validate a station or scenario description.
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/commands.hpp"
#include "model/load.hpp"

namespace leakhunt::cli {
namespace {

struct CheckOptions {
  std::string file;
  bool json = false;
};

std::string plural(int n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

std::string describeStation(const model::Station& s) {
  double volume_m3 = 0.0;
  for (const auto& m : s.modules) volume_m3 += m.volume_m3;
  char volume[64];
  std::snprintf(volume, sizeof volume, "%.1f", volume_m3);
  return "station '" + s.name + "', " + plural(static_cast<int>(s.modules.size()), "module") +
         ", " + volume + " m^3";
}

std::string summary(const std::string& file, const model::CheckReport& report) {
  const int errors = report.errorCount(), warnings = report.warningCount();
  if (errors > 0) return file + ": " + plural(errors, "error") + ", " + plural(warnings, "warning");
  std::string what;
  if (report.scenario) {
    what = "scenario '" + report.scenario->name + "': " + describeStation(report.station.value()) +
           ", " + plural(static_cast<int>(report.scenario->events.size()), "event");
  } else if (report.station) {
    what = describeStation(*report.station);
  }
  const std::string warned = warnings > 0 ? ", " + plural(warnings, "warning") : "";
  return file + ": ok" + warned + " (" + what + ")";
}

nlohmann::ordered_json toJson(const std::string& file, const model::CheckReport& report) {
  nlohmann::ordered_json diagnostics = nlohmann::ordered_json::array();
  for (const auto& d : report.diagnostics) {
    diagnostics.push_back(
        {{"file", d.where.file},
         {"line", d.where.line},
         {"column", d.where.column},
         {"severity", d.severity == model::Diagnostic::Error ? "error" : "warning"},
         {"message", d.message}});
  }
  nlohmann::ordered_json out{
      {"file", file},
      {"kind", report.kind == model::FileKind::Scenario ? "scenario" : "station"},
      {"ok", report.errorCount() == 0},
      {"errors", report.errorCount()},
      {"warnings", report.warningCount()},
      {"diagnostics", diagnostics}};
  return out;
}

void runCheck(const CheckOptions& options) {
  const model::CheckReport report = model::checkDescription(options.file);
  if (options.json) {
    // Messages may carry bytes from a broken file; replace rather than throw on bad UTF-8.
    std::cout << toJson(options.file, report)
                     .dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
              << '\n';
  } else {
    for (const auto& d : report.diagnostics) std::cerr << model::format(d) << '\n';
    std::cout << summary(options.file, report) << '\n';
  }
  if (report.errorCount() > 0) throw CLI::RuntimeError(1);
}

}  // namespace

void addCheckCommand(CLI::App& app) {
  auto options = std::make_shared<CheckOptions>();
  CLI::App* check = app.add_subcommand(
      "check", "Validate a station or scenario description; errors are printed as file:line:col");
  check->add_option("file", options->file, "Station or scenario YAML file")->required();
  check->add_flag("--json", options->json, "Print one JSON document instead of text");
  check->callback([options] { runCheck(*options); });
}

}  // namespace leakhunt::cli
