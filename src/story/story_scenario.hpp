// The scenario a story lives through: the base scenario's leaks, the isolation the crew
// performed (hatches, crew moves), then the repair as the base scenario describes it (its
// patch, moved to when the leak was found and put on the module leakhunt named; its repress
// after that), the hatches opened again, and the weeks that follow, long enough for a failing
// patch to show.
//
// This is the harness side: it builds the world, so it may look at the hidden leaks. The crew
// patches a module, not a leak; the world decides what that patch does. A patch of the module
// that holds a hole acts on that hole (the base scenario's patch, its residual and failure);
// a patch of a module with no hole acts on nothing, and the leak goes on.
#pragma once

#include <optional>
#include <vector>

#include "model/scenario.hpp"

namespace leakhunt::story {

struct RepairPlan {
  double patchAt_s = 0.0;        // since the scenario start
  std::string patchModule;       // where the crew put the patch (leakhunt's answer)
  double reopenAfter_s = 900.0;  // hatches opened this long after the patch (equalised first)
  double repressAfter_s = 1800.0;
  double followFor_s = 0.0;  // after the patch
  // Compress a patch failure so a short run still shows it (CI); 0 keeps the base's.
  double failureAfter_s = 0.0, failureDuration_s = 0.0;
};

struct StoryScenario {
  model::Scenario scenario;
  bool patched = false;  // the base scenario has a patch, and it went on `patchModule`
  std::string patchModule;
  // Truth (harness only): the hidden leak the patch acts on, empty when the patched module
  // holds none. Then `patch` names no leak and the simulator leaves every hole open.
  std::string patchedLeak;
  std::optional<model::PatchEvent> patch;  // as applied
  double patchAt_s = 0.0, reopenAt_s = 0.0, repressAt_s = 0.0;
};

// `isolation`: hatch and crew events up to the patch, times since the scenario start.
StoryScenario storyScenario(const model::Scenario& base, const std::vector<model::Event>& isolation,
                            const RepairPlan& plan);

// The id of the first hidden leak in `module` that has begun by `at_s`, empty when none.
std::string leakInModule(const model::Scenario& scenario, const std::string& module, double at_s);

}  // namespace leakhunt::story
