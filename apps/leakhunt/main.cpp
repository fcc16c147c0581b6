// leakhunt: find, size and help fix air leaks in crewed spacecraft.
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{
      "leakhunt: simulate a pressurised vehicle, detect and size an air leak in its telemetry,\n"
      "plan hatch closures to find it, and check the repair.\n"
      "Quantities in files carry units (\"75 m^3\", \"760 mmHg\"); output is SI with --json."};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show the help of every subcommand");
  leakhunt::cli::addCheckCommand(app);
  leakhunt::cli::addSimulateCommand(app);
  leakhunt::cli::addDetectCommand(app);
  leakhunt::cli::addCampaignCommand(app);
  leakhunt::cli::addExportNetworkCommand(app);
  leakhunt::cli::addLocateCommand(app);
  leakhunt::cli::addVerifyCommand(app);
  leakhunt::cli::addTrendCommand(app);
  leakhunt::cli::addOnsetCommand(app);
  leakhunt::cli::addGroundTestCommand(app);
  leakhunt::cli::addDemoCommand(app);
  leakhunt::cli::addServeCommand(app);
  leakhunt::cli::addAuditCommand(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return 0;
}
