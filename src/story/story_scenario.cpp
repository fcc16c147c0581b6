#include "story/story_scenario.hpp"

#include <algorithm>
#include <limits>

namespace leakhunt::story {
namespace {

template <class A>
bool is(const model::Event& e) {
  return std::holds_alternative<A>(e.action);
}

}  // namespace

std::string leakInModule(const model::Scenario& scenario, const std::string& module, double at_s) {
  for (const model::Event& e : scenario.events)
    if (const auto* leak = std::get_if<model::LeakEvent>(&e.action))
      if (leak->module == module && e.time_s <= at_s) return leak->id;
  return "";
}

StoryScenario storyScenario(const model::Scenario& base, const std::vector<model::Event>& isolation,
                            const RepairPlan& plan) {
  StoryScenario out;
  out.scenario = base;
  model::Scenario& s = out.scenario;
  s.events.clear();
  for (const model::Event& e : base.events)
    if (is<model::LeakEvent>(e) || is<model::TemperatureEvent>(e) || is<model::SensorFaultEvent>(e))
      s.events.push_back(e);
  for (const model::Event& e : isolation)
    if (e.time_s <= plan.patchAt_s) s.events.push_back(e);

  out.patchAt_s = plan.patchAt_s;
  out.reopenAt_s = plan.patchAt_s + plan.reopenAfter_s;
  out.repressAt_s = plan.patchAt_s + plan.repressAfter_s;
  out.patchModule = plan.patchModule;
  out.patchedLeak = leakInModule(base, plan.patchModule, plan.patchAt_s);
  for (const model::Event& e : base.events) {
    const auto* p = std::get_if<model::PatchEvent>(&e.action);
    if (!p || out.patched || plan.patchModule.empty()) continue;
    model::PatchEvent patch = *p;
    if (patch.fails && plan.failureAfter_s > 0.0) {
      patch.failureAfter_s = plan.failureAfter_s;
      patch.failureDuration_s = plan.failureDuration_s;
    }
    // The crew's patch on the named module: it acts on the hole there, or on nothing (the
    // simulator applies a patch only to the leak it names; an empty name matches none).
    patch.leak = out.patchedLeak;
    s.events.push_back({plan.patchAt_s, patch, e.where});
    out.patch = patch;
    out.patched = true;
  }
  // Every hatch back to its described state once the segments are equalised by the patch.
  if (out.patched) {
    std::vector<bool> open;
    for (const model::Hatch& h : base.station.hatches) open.push_back(h.open);
    for (const model::Event& e : s.events)
      if (const auto* h = std::get_if<model::HatchEvent>(&e.action)) {
        const int i = base.station.hatchIndex(h->hatch);
        if (i >= 0) open[static_cast<std::size_t>(i)] = h->open;
      }
    for (std::size_t i = 0; i < open.size(); ++i)
      if (open[i] != base.station.hatches[i].open)
        s.events.push_back(
            {out.reopenAt_s,
             model::HatchEvent{base.station.hatches[i].id, base.station.hatches[i].open},
             {}});
    // The crew go back to where the station description has them at work.
    for (const model::CrewMember& c : base.station.crew)
      s.events.push_back({out.reopenAt_s, model::CrewMoveEvent{c.id, c.location}, {}});
    for (const model::Event& e : base.events)
      if (const auto* r = std::get_if<model::RepressEvent>(&e.action))
        s.events.push_back({out.repressAt_s, *r, e.where});
  }
  s.duration_s =
      out.patched ? plan.patchAt_s + plan.followFor_s : std::max(plan.patchAt_s, base.duration_s);
  std::stable_sort(
      s.events.begin(), s.events.end(),
      [](const model::Event& a, const model::Event& b) { return a.time_s < b.time_s; });
  return out;
}

}  // namespace leakhunt::story
