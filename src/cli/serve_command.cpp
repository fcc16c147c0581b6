// `leakhunt serve`: live server, Open MCT dashboard and archive.
// Placeholder registered so the command line is wired; its issue replaces this file.
#include <cstdio>

#include "cli/commands.hpp"

namespace leakhunt::cli {

void addServeCommand(CLI::App& app) {
  CLI::App* cmd =
      app.add_subcommand("serve", "live server, Open MCT dashboard and archive (not built yet)");
  cmd->allow_extras();
  cmd->callback([] {
    std::fprintf(stderr, "leakhunt serve: not built yet\n");
    throw CLI::RuntimeError(2);
  });
}

}  // namespace leakhunt::cli
