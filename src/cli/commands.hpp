// The subcommands of `leakhunt`. Each registers itself on the app; main only wires them.
#pragma once

#include <CLI/CLI.hpp>

namespace leakhunt::cli {

void addCheckCommand(CLI::App& app);
void addSimulateCommand(CLI::App& app);
void addDetectCommand(CLI::App& app);
void addCampaignCommand(CLI::App& app);
void addExportNetworkCommand(CLI::App& app);

}  // namespace leakhunt::cli
