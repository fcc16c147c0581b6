// `--detector slope-change|state-space` for every command that runs a detector (`detect`,
// `serve`, `demo`, `locate drill`): one option picks the books everywhere
// (detect/leak_detector.hpp), with one default, DetectorOptions::model's.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "detect/detector.hpp"

namespace leakhunt::cli {

// Adds the option to `cmd`, read into `*name` (which starts as the default's name).
void addDetectorOption(CLI::App* cmd, std::string* name);

// The model `name` spells; the option has checked it, anything else is the default.
detect::DetectorModel detectorModelOf(const std::string& name);

}  // namespace leakhunt::cli
