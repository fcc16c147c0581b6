// Reading station and scenario descriptions (docs/formats.md) and checking them.
// The load functions stop at nothing short of a valid description: any error makes them
// return an Error listing every problem as "file:line:col: error: what is wrong".
// A scenario holds the truth, so this header is harness-side (scenario.hpp); the station half,
// which the estimators may use, is model/station_load.hpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "model/scenario.hpp"
#include "model/station.hpp"
#include "model/station_load.hpp"

namespace leakhunt::model {

// `station:` is a path relative to the scenario file, or an inline mapping.
Result<Scenario> loadScenario(const std::string& path);

// The same from text; `fileName` only labels messages. `baseDir` resolves a `station:` path.
Result<Scenario> parseScenario(const std::string& yamlText, const std::string& fileName,
                               const std::string& baseDir);

enum class FileKind { Station, Scenario };

// A file with a top-level `station:` or `events:` key is a scenario; anything else is checked
// as a station.
FileKind detectKind(const std::string& yamlText);

// Everything `check` found in one file, plus what it parsed (possibly partial).
struct CheckReport {
  FileKind kind = FileKind::Station;
  std::vector<Diagnostic> diagnostics;  // in file order per file; station file first
  std::optional<Station> station;       // set when no errors
  std::optional<Scenario> scenario;     // set for a scenario with no errors
  int errorCount() const;
  int warningCount() const;
};

// Never throws and never stops at the first problem: YAML syntax, unknown keys, bad
// references, units, graph problems are all reported (up to a cap on hostile input).
CheckReport checkDescription(const std::string& path);
CheckReport checkText(const std::string& yamlText, const std::string& fileName,
                      const std::string& baseDir);
std::vector<Diagnostic> checkFile(const std::string& path);

}  // namespace leakhunt::model
