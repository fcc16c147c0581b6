// The scenario a story lives through: the base scenario's leaks, the isolation the crew
// performed (hatches, crew moves), then the repair as the base scenario describes it (its
// patch, moved to when the leak was found; its repress after that), the hatches opened again,
// and the weeks that follow, long enough for a failing patch to show.
#pragma once

#include <optional>
#include <vector>

#include "model/scenario.hpp"

namespace leakhunt::story {

struct RepairPlan {
  double patchAt_s = 0.0;        // since the scenario start
  double reopenAfter_s = 900.0;  // hatches opened this long after the patch (equalised first)
  double repressAfter_s = 1800.0;
  double followFor_s = 0.0;  // after the patch
  // Compress a patch failure so a short run still shows it (CI); 0 keeps the base's.
  double failureAfter_s = 0.0, failureDuration_s = 0.0;
};

struct StoryScenario {
  model::Scenario scenario;
  bool patched = false;                    // the base scenario has a patch for its leak
  std::optional<model::PatchEvent> patch;  // as applied
  double patchAt_s = 0.0, reopenAt_s = 0.0, repressAt_s = 0.0;
};

// `isolation`: hatch and crew events up to the patch, times since the scenario start.
StoryScenario storyScenario(const model::Scenario& base, const std::vector<model::Event>& isolation,
                            const RepairPlan& plan);

// The base scenario's own isolation (the historical crew's order): its hatch and crew events
// between the first leak and its first patch.
std::vector<model::Event> scriptedIsolation(const model::Scenario& base);

// Time of the base's first patch since the start, if any.
std::optional<double> firstPatchTime(const model::Scenario& base);

}  // namespace leakhunt::story
