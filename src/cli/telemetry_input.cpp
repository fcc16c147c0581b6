#include "cli/telemetry_input.hpp"

#include <iostream>

#include "cli/command_error.hpp"

namespace leakhunt::cli {

int reportTelemetryGuard(const telemetry::TelemetryGuard& guard, const std::string& command) {
  for (const std::string& w : guard.warnings())
    std::cerr << "leakhunt " << command << ": warning: " << w << "\n";
  const std::optional<telemetry::GuardFailure> failure = guard.verdict();
  if (!failure) return 0;
  return fail(command, failure->message, failure->exitCode);
}

bool segmentWatched(std::span<const int> modules, const std::vector<bool>& watchedModules) {
  for (int m : modules)
    if (m >= 0 && static_cast<std::size_t>(m) < watchedModules.size() &&
        watchedModules[static_cast<std::size_t>(m)])
      return true;
  return false;
}

}  // namespace leakhunt::cli
