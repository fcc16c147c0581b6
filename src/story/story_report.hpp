// The story drawn for people: the timeline, leakhunt beside the public record, the figures
// (pressures and inventory with events marked, the leak-rate estimate with its band, the
// weeks after the patch) and the station schematic at each step of the isolation.
#pragma once

#include <string>

#include "report/report.hpp"
#include "story/recorder.hpp"
#include "story/story.hpp"
#include "story/story_scenario.hpp"

namespace leakhunt::story {

report::Report storyReport(const model::Scenario& base, const StoryScenario& story,
                           const Recorder& recorder, const StorySummary& summary);

// "2 h 13 min", "4.2 d": a duration a controller reads at a glance; "n/a" when not finite.
std::string humanDuration(double seconds);
// "2018-08-29 20:00 UTC"
std::string humanTime(double unix_s);

}  // namespace leakhunt::story
