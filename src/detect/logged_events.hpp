// What the station's log says happened: hatch operations, repressurisations, crew moves,
// patches. Estimators see only this, the station description and telemetry; never the truth
// of a scenario's leaks (architecture.md).
#pragma once

#include <string>
#include <vector>

#include "model/scenario.hpp"
#include "model/station.hpp"

namespace leakhunt::detect {

struct LoggedHatch {
  double time_s = 0.0;  // Unix time
  int hatch = -1;       // index into Station::hatches
  bool open = false;
};

// Gas let into a module: the logged mass over [start_s, end_s].
struct LoggedRepress {
  double start_s = 0.0;
  double end_s = 0.0;
  int module = -1;
  double mass_kg = 0.0;
};

struct LoggedCrewMove {
  double time_s = 0.0;
  int crew = -1;
  int module = -1;
};

struct LoggedPatch {
  double time_s = 0.0;
  std::string leak;
};

struct LoggedEvents {
  std::vector<LoggedHatch> hatches;  // each list in time order
  std::vector<LoggedRepress> represses;
  std::vector<LoggedCrewMove> crewMoves;
  std::vector<LoggedPatch> patches;
};

// The logged part of a scenario's events, in Unix time. Leak events (the truth) and sensor
// faults (the detector must find those itself) are dropped; so are temperature set points
// (the thermometers see them). Ids are resolved against `station`; unknown ids are skipped.
LoggedEvents loggedEventsOf(const model::Scenario& scenario, const model::Station& station);

}  // namespace leakhunt::detect
