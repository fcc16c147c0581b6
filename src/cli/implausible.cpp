#include "cli/implausible.hpp"

#include <fmt/core.h>

#include "model/station_lints.hpp"

namespace leakhunt::cli {

void warnImplausible(const model::Station& station, const char* command) {
  for (const model::Diagnostic& d : model::lintPlausibility(station))
    fmt::print(stderr, "leakhunt {}: {}\n", command, model::format(d));
}

void warnScenario(const std::vector<model::Diagnostic>& warnings, const char* command) {
  for (const model::Diagnostic& d : warnings)
    fmt::print(stderr, "leakhunt {}: {}\n", command, model::format(d));
}

}  // namespace leakhunt::cli
