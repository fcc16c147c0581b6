// Scenario description: a station, a time span, a seed and timed events.
// Times are seconds since the scenario start unless the name says otherwise.
// A scenario is the truth (its leaks): only the harness side may include this header. The
// estimators and the operations core see telemetry, the station and logged events only.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "base/truth_wall.hpp"
#include "gas/species.hpp"
#include "model/station.hpp"
#include "model/station_load.hpp"
#include "model/thermal_model.hpp"

namespace leakhunt::model {

enum class OnsetProfile { Step, Ramp, Growth };

// A hole to space. Effective area CdA ramps or grows from zero to its final value.
struct LeakEvent {
  std::string id;
  std::string module;
  double cda_m2 = 0.0;
  double cd = 0.65;  // kept for reporting a diameter
  OnsetProfile onset = OnsetProfile::Step;
  double onsetDuration_s = 0.0;  // ramp length, or growth time from 1 % to the full CdA
};

struct HatchEvent {
  std::string hatch;
  bool open = false;
};

// A patch reduces a leak to a residual CdA; it may later fail and regrow over a duration.
struct PatchEvent {
  std::string leak;
  double residualCda_m2 = 0.0;
  bool fails = false;
  double failureAfter_s = 0.0;     // from the patch time
  double failureDuration_s = 0.0;  // regrowth from residual to `failureCda_m2`, linear
  double failureCda_m2 = 0.0;
};

// Gas added to a module. `mass_kg` is what the log says; the truth differs by `error_fraction`.
struct RepressEvent {
  std::string module;
  gas::MassFractions composition{};
  double mass_kg = 0.0;
  double duration_s = 600.0;
  double error_fraction = 0.02;  // 1 sigma of delivered / logged - 1
  std::string tank;              // optional: the station's tank it draws on
};

struct CrewMoveEvent {
  std::string crew;
  std::string module;
};

struct TemperatureEvent {
  std::string module;  // empty: every module
  double setPoint_k = 0.0;
};

enum class SensorFaultKind { Dropout, BiasJump, Stuck };

struct SensorFaultEvent {
  std::string channel;
  SensorFaultKind kind = SensorFaultKind::Dropout;
  double bias = 0.0;        // for BiasJump, in the unit the sensor reads (SI; humidity %)
  double duration_s = 0.0;  // 0: until the end
};

using EventAction = std::variant<LeakEvent, HatchEvent, PatchEvent, RepressEvent, CrewMoveEvent,
                                 TemperatureEvent, SensorFaultEvent>;

struct Event {
  double time_s = 0.0;  // since scenario start
  EventAction action;
  SourceLocation where;
};

struct Scenario {
  std::string name;
  Station station;
  std::string stationPath;  // as written, empty when inline
  int64_t startUnix_s = 0;  // UTC
  double duration_s = 86400.0;
  uint64_t seed = 1;
  double outputPeriod_s = 1.0;
  ThermalModel thermal = ThermalModel::Isothermal;
  std::vector<Event> events;  // sorted by time, stable
  SourceLocation where;
  // What the reader warned about in a valid file (a repress of more gas than the station holds,
  // a tank overdrawn): the commands that run the scenario print these, not only `check`.
  std::vector<Diagnostic> warnings;
};

}  // namespace leakhunt::model
