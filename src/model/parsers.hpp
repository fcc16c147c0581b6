// The station and scenario readers behind load.hpp. Private to the model layer.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/load.hpp"
#include "model/yaml_reader.hpp"

namespace leakhunt::model::yaml {

// Fill the value from a top-level mapping, reporting every problem. The result is partial
// when there are errors, but keeps every entry that has an id so references can be checked.
void readStation(Reader& r, const YAML::Node& root, Station& station);
// `baseDir` resolves a `station:` path; diagnostics of a station file are reported under
// that file's name into the same list.
void readScenario(Reader& r, const YAML::Node& root, const std::string& baseDir,
                  Scenario& scenario);

// The station file's text, or an error saying why it cannot be read (missing, not a regular
// file, too large).
Result<std::string> readTextFile(const std::string& path);

}  // namespace leakhunt::model::yaml
