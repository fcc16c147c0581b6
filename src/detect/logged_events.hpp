// What the station's log says happened: hatch operations, repressurisations, crew moves,
// patches. Estimators see only this, the station description and telemetry; never the truth
// of a scenario's leaks (architecture.md).
#pragma once

#include <span>
#include <string>
#include <vector>

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
  // What the log states of it, when it does (0: not stated): the gas's specific gas constant
  // [J/(kg K)], so its kilograms count as moles of cabin air exactly, and the mass's error
  // (1 sd, as a fraction). Unstated, the books take the module's tanks' mean gas with half their
  // range as an error, and a 2 % mass error.
  double gasConstant_j_kgk = 0.0;
  double errorFraction = 0.0;
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

// The longest repress a log entry may stand for [s]. A repress of a whole station from its
// tanks takes hours; the detector leaves every block near a logged repress out of its test, so
// a longer entry would only blind it (a logged duration of 1e300 s once did, for good).
inline constexpr double kMaxRepressDuration_s = 12 * 3600.0;

// `log` as the estimators can use it: entries at non-finite times dropped, each repress ending
// no later than kMaxRepressDuration_s after its start (and not before it), every list in time
// order. The server refuses what is out of range (docs/server.md); this is the floor below it.
LoggedEvents boundedLog(LoggedEvents log);

// A log entry taken while a detector runs, into its bounded `log` in time order (a repress
// bounded as boundedLog bounds it). Refused (false, nothing added) at a time that is not finite
// or before `from_s`, the start of the block in progress: a detector cannot go back over a
// block it has closed.
bool addInOrder(LoggedEvents& log, const LoggedHatch& entry, double from_s);
bool addInOrder(LoggedEvents& log, const LoggedCrewMove& entry, double from_s);
bool addInOrder(LoggedEvents& log, const LoggedPatch& entry, double from_s);
bool addInOrder(LoggedEvents& log, const LoggedRepress& entry, double from_s);

// A repress logged into one of `modules` over any part of [from_s, to_s) of a bounded log
// (found by bisection: a long log costs log(n)).
bool repressInto(const LoggedEvents& log, std::span<const int> modules, double from_s, double to_s);

// The logged part of a scenario is read on the harness side: harness/scenario_log.hpp.

}  // namespace leakhunt::detect
