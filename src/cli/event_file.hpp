// An events file as the analysis commands take it: a scenario file, or a file of events only
// whose station is the one given on the command line.
#pragma once

#include <string>

#include "base/result.hpp"
#include "model/scenario.hpp"

namespace leakhunt::cli {

Result<model::Scenario> loadEvents(const std::string& path, const std::string& stationPath);

}  // namespace leakhunt::cli
