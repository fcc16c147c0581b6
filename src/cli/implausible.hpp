// Values no crewed cabin has, named on stderr by every command that reads a station (issue 21,
// items 14 and 16): a 1e6 K cabin, a 100 m hatch or one that takes a century to operate is legal
// to the reader and was accepted in silence, giving a negative leak rate or a 36,524-day plan.
// `check` lists them too; the commands warn and go on (the file may be a deliberate test).
#pragma once

#include <vector>

#include "model/station.hpp"
#include "model/station_load.hpp"

namespace leakhunt::cli {

// Prints each implausible value as "leakhunt COMMAND: warning: file:line: ..." on stderr.
void warnImplausible(const model::Station& station, const char* command);

// The scenario reader's warnings (model::Scenario::warnings: a repress of more gas than the
// station holds, an overdrawn tank), printed the same way by the commands that run a scenario.
void warnScenario(const std::vector<model::Diagnostic>& warnings, const char* command);

}  // namespace leakhunt::cli
