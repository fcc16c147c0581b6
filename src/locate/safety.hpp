// The constraints of physics.md section 6 on a hatch configuration held for a dwell time.
// A configuration is safe when every one of these holds:
//  - a hatch the station marks not closable stays as the station declares it;
//  - every crew member's segment holds a module of their own lifeboat (a path to it);
//  - every crewed segment has life support: O2 generation and CO2 removal in the segment, or
//    the crew member sits inside their own lifeboat (a spacecraft carries its own);
//  - no crewed segment that may hold the leak falls below the evacuation pressure plus a
//    margin before the dwell ends and its hatches can be reopened, at the leak's upper rate.
// Reopening a hatch is allowed only after equalising (see SafetyRules::equalise_s): the plan
// carries that step and its time; it is not a property of one configuration.
#pragma once

#include <string>
#include <vector>

#include "locate/configuration.hpp"
#include "locate/station_facts.hpp"
#include "model/station.hpp"

namespace leakhunt::locate {

struct SafetyRules {
  double pressureMargin_pa = 20.0 * 133.322387415;  // kept above the evacuation pressure
  double equaliseAbove_pa = 133.322387415;  // a hatch with more across it is equalised first
  double equalise_s = 120.0;                // time to equalise through the hatch's valve
};

// Crew positions: module index per Station::crew entry.
using CrewPlaces = std::vector<int>;

CrewPlaces declaredCrewPlaces(const model::Station& station);

// What the crew rules need of the station, resolved once for code that checks many
// configurations (the planner checks some hundred thousand for one step on a large station).
struct SafetyIndex {
  std::vector<std::vector<int>> lifeboatModules;  // per crew member: their lifeboat's modules
  SafetyIndex(const model::Station& station, const CrewPlaces& crew);
};

struct SafetyQuery {
  const model::Station* station = nullptr;
  const StationFacts* facts = nullptr;
  const CrewPlaces* crew = nullptr;
  const std::vector<double>* leakProbability = nullptr;  // per module; > 0 may hold the leak
  double leakRateUpper_kg_s = 0.0;
  const std::vector<double>* pressure_pa = nullptr;  // per module now; null: the declared
  SafetyRules rules;
  const HatchGraph* graph = nullptr;   // optional: resolved hatch ends, for speed
  const SafetyIndex* index = nullptr;  // optional: for speed, of the same station and crew
};

// Every broken constraint, in words a crew can read; empty when the configuration is safe to
// hold for `hold_s` (the dwell plus the time to reopen).
std::vector<std::string> violations(const SafetyQuery& q, const HatchSet& open, double hold_s);

// The longest hold [s] the configuration is safe for: 0 when it breaks a rule already,
// infinite when no crewed segment may hold the leak.
double longestSafeHold(const SafetyQuery& q, const HatchSet& open);
// The same, with the configuration's segments already labelled (labelSegments).
double longestSafeHold(const SafetyQuery& q, const HatchSet& open,
                       const std::vector<int>& segmentOf, int segments);

inline bool isSafe(const SafetyQuery& q, const HatchSet& open, double hold_s) {
  return violations(q, open, hold_s).empty();
}

// Pressure of a segment of `inventory_kg` after losing `rate_kg_s` for `t_s`, isothermal and
// choked (p falls as exp(-L t / M) with L proportional to p; physics.md section 2).
double pressureAfter(double pressure_pa, double inventory_kg, double rate_kg_s, double t_s);

}  // namespace leakhunt::locate
