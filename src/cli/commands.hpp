// The subcommands of `leakhunt`. Each registers itself on the app; main only wires them.
#pragma once

#include <CLI/CLI.hpp>

namespace leakhunt::cli {

void addCheckCommand(CLI::App& app);
void addSimulateCommand(CLI::App& app);
void addDetectCommand(CLI::App& app);
void addCampaignCommand(CLI::App& app);
void addExportNetworkCommand(CLI::App& app);
void addLocateCommand(CLI::App& app);
void addVerifyCommand(CLI::App& app);
void addTrendCommand(CLI::App& app);
void addOnsetCommand(CLI::App& app);
void addGroundTestCommand(CLI::App& app);
void addDemoCommand(CLI::App& app);
void addServeCommand(CLI::App& app);
void addAuditCommand(CLI::App& app);

}  // namespace leakhunt::cli
