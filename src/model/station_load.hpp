// Reading station descriptions (docs/formats.md) and checking them. The load functions stop
// at nothing short of a valid description: any error makes them return an Error listing every
// problem as "file:line:col: error: what is wrong". Scenarios (the truth) are read by
// model/load.hpp, on the harness side of the truth wall; a station is for everyone.
#pragma once

#include <string>

#include "base/result.hpp"
#include "model/station.hpp"

namespace leakhunt::model {

struct Diagnostic {
  SourceLocation where;
  enum Severity { Error, Warning } severity = Error;
  std::string message;
};

// "iss.yaml:41:7: error: hatch 'h7' joins unknown module 'zvezdaa' (did you mean 'zvezda'?)"
std::string format(const Diagnostic& d);

Result<Station> loadStation(const std::string& path);
// The same from text; `fileName` only labels messages.
Result<Station> parseStation(const std::string& yamlText, const std::string& fileName);

}  // namespace leakhunt::model
