// `leakhunt ground-test`: design a pressure-decay ground leak test.
// Placeholder registered so the command line is wired; its issue replaces this file.
#include <cstdio>

#include "cli/commands.hpp"

namespace leakhunt::cli {

void addGroundTestCommand(CLI::App& app) {
  CLI::App* cmd =
      app.add_subcommand("ground-test", "design a pressure-decay ground leak test (not built yet)");
  cmd->allow_extras();
  cmd->callback([] {
    std::fprintf(stderr, "leakhunt ground-test: not built yet\n");
    throw CLI::RuntimeError(2);
  });
}

}  // namespace leakhunt::cli
