// `leakhunt audit`: verify an archive's audit log and telemetry gaps.
// Placeholder registered so the command line is wired; its issue replaces this file.
#include <cstdio>

#include "cli/commands.hpp"

namespace leakhunt::cli {

void addAuditCommand(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand(
      "audit", "verify an archive's audit log and telemetry gaps (not built yet)");
  cmd->allow_extras();
  cmd->callback([] {
    std::fprintf(stderr, "leakhunt audit: not built yet\n");
    throw CLI::RuntimeError(2);
  });
}

}  // namespace leakhunt::cli
