// `leakhunt locate`: plan hatch closures, infer and drill where the leak is.
// Placeholder registered so the command line is wired; its issue replaces this file.
#include <cstdio>

#include "cli/commands.hpp"

namespace leakhunt::cli {

void addLocateCommand(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand(
      "locate", "plan hatch closures, infer and drill where the leak is (not built yet)");
  cmd->allow_extras();
  cmd->callback([] {
    std::fprintf(stderr, "leakhunt locate: not built yet\n");
    throw CLI::RuntimeError(2);
  });
}

}  // namespace leakhunt::cli
