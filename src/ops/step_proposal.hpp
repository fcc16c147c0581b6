// A planned test as the crew reads it: the operations in order, what each segment's reading
// would mean, and why the step is safe (every crew member's path to their lifeboat, the pressure
// margin). A pure function of the plan and the state of the station the log describes.
#pragma once

#include <vector>

#include "locate/belief.hpp"
#include "locate/planner.hpp"
#include "ops/events.hpp"

namespace leakhunt::ops {

struct StepContext {
  const model::Station* station = nullptr;
  const locate::StationFacts* facts = nullptr;
  locate::CrewPlaces crewFrom;  // as logged now
  locate::CrewPlaces crewTo;    // where the step wants them (a muster, or unchanged)
  double muster_s = 600.0;      // a crew member's move to their lifeboat
  locate::LeakRate rate;
  std::vector<double> pressure_pa;      // per module now; empty: the declared atmosphere
  std::vector<double> leakProbability;  // per module, before the step
  locate::SafetyRules rules;
};

ProposedStep proposalOf(const locate::PlannedTest& test, const StepContext& context, int step,
                        double now_s);

// The modules from `from` to the nearest module of vehicle `lifeboat` through hatches open in
// `open` (both ends included); empty when there is no such path.
std::vector<int> pathToLifeboat(const model::Station& station, const locate::HatchSet& open,
                                int from, const std::string& lifeboat);

std::vector<std::string> idsOf(const model::Station& station, const std::vector<int>& modules);

}  // namespace leakhunt::ops
