// `leakhunt trend`: leak-rate series over weeks to years, with change detection.
// Placeholder registered so the command line is wired; its issue replaces this file.
#include <cstdio>

#include "cli/commands.hpp"

namespace leakhunt::cli {

void addTrendCommand(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand(
      "trend", "leak-rate series over weeks to years, with change detection (not built yet)");
  cmd->allow_extras();
  cmd->callback([] {
    std::fprintf(stderr, "leakhunt trend: not built yet\n");
    throw CLI::RuntimeError(2);
  });
}

}  // namespace leakhunt::cli
