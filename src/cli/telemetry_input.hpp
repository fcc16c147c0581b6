// The analysis commands' telemetry input: every file goes through one TelemetryGuard
// (telemetry/telemetry_guard.hpp), whose warnings and refusal this prints the same way for each.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "telemetry/telemetry_guard.hpp"

namespace leakhunt::cli {

// Prints the guard's warnings to stderr as "leakhunt COMMAND: warning: ..."; on a refusal prints
// it and returns its exit code, else 0. Call after the last file was read.
int reportTelemetryGuard(const telemetry::TelemetryGuard& guard, const std::string& command);

// A segment is watched when one of its modules has a pressure sensor that gave data.
bool segmentWatched(std::span<const int> modules, const std::vector<bool>& watchedModules);

}  // namespace leakhunt::cli
