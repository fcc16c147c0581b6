// `leakhunt verify`: after a patch: residual leak rate and its 95% bound.
// Placeholder registered so the command line is wired; its issue replaces this file.
#include <cstdio>

#include "cli/commands.hpp"

namespace leakhunt::cli {

void addVerifyCommand(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand(
      "verify", "after a patch: residual leak rate and its 95% bound (not built yet)");
  cmd->allow_extras();
  cmd->callback([] {
    std::fprintf(stderr, "leakhunt verify: not built yet\n");
    throw CLI::RuntimeError(2);
  });
}

}  // namespace leakhunt::cli
