// `leakhunt demo`: the 2018 Soyuz MS-09 story end to end, with a report.
// Placeholder registered so the command line is wired; its issue replaces this file.
#include <cstdio>

#include "cli/commands.hpp"

namespace leakhunt::cli {

void addDemoCommand(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand(
      "demo", "the 2018 Soyuz MS-09 story end to end, with a report (not built yet)");
  cmd->allow_extras();
  cmd->callback([] {
    std::fprintf(stderr, "leakhunt demo: not built yet\n");
    throw CLI::RuntimeError(2);
  });
}

}  // namespace leakhunt::cli
