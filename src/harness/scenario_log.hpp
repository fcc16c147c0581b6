// A scenario's log: what the station's log would say happened in it (hatch operations,
// repressurisations, crew moves, patches), and nothing of its leaks. This is the one door
// from a scenario (the truth) to the estimators, which get only detect::LoggedEvents.
#pragma once

#include <string>

#include "base/result.hpp"
#include "base/truth_wall.hpp"
#include "detect/logged_events.hpp"
#include "model/scenario.hpp"
#include "model/station.hpp"

namespace leakhunt::harness {

// A repress as the crew log it: the gas and the mass with its stated error, as the scenario has
// them, from `start_s` (Unix time) into module index `module`.
detect::LoggedRepress loggedRepressOf(const model::RepressEvent& r, double start_s, int module);

// The logged part of a scenario's events, in Unix time. Leak events (the truth) and sensor
// faults (the detector must find those itself) are dropped; so are temperature set points
// (the thermometers see them). Ids are resolved against `station`; unknown ids are skipped.
detect::LoggedEvents loggedEventsOf(const model::Scenario& scenario, const model::Station& station);

// The logged part (hatch, repress, crew moves, patches) of a scenario file, or of a file of
// events only, whose station is `stationPath`. Leak events are never read.
Result<detect::LoggedEvents> loadEventLog(const std::string& path, const std::string& stationPath,
                                          const model::Station& station);

}  // namespace leakhunt::harness
