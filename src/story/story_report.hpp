// The story drawn for people: the timeline, leakhunt beside the public record, the figures
// (pressures and inventory with events marked, the leak-rate estimate with its band, the
// weeks after the patch) and the station schematic at each step of the isolation.
#pragma once

#include <string>

#include "harness/drill.hpp"
#include "report/report.hpp"
#include "story/after_the_hole.hpp"
#include "story/recorder.hpp"
#include "story/story.hpp"
#include "story/story_scenario.hpp"
#include "story/timeline.hpp"

namespace leakhunt::story {

// What the scenario itself makes happen, told when the simulation passes it: the hidden leak,
// hatch operations, patch, repress, and the failing patch passing 5 % of the hole's area.
std::vector<report::TimelineEntry> scheduledEntries(const StoryScenario& story,
                                                    const harness::DrillResult* drill,
                                                    const StorySummary& summary);

report::Report storyReport(const model::Scenario& base, const StoryScenario& story,
                           const Recorder& recorder, const Timeline& timeline,
                           const AfterTheHole& after, const harness::DrillResult* drill,
                           const StorySummary& summary);

}  // namespace leakhunt::story
