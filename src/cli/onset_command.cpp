// `leakhunt onset`: when a leak began and how (step, ramp, growth).
// Placeholder registered so the command line is wired; its issue replaces this file.
#include <cstdio>

#include "cli/commands.hpp"

namespace leakhunt::cli {

void addOnsetCommand(CLI::App& app) {
  CLI::App* cmd =
      app.add_subcommand("onset", "when a leak began and how (step, ramp, growth) (not built yet)");
  cmd->allow_extras();
  cmd->callback([] {
    std::fprintf(stderr, "leakhunt onset: not built yet\n");
    throw CLI::RuntimeError(2);
  });
}

}  // namespace leakhunt::cli
