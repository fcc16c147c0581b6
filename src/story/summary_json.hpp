// The demo's summary of one story as a JSON document (`leakhunt demo --json`; issue 16: one
// rendering per result type, in its own layer): every alarm, the isolation, the patch and its
// verdict, the regrowth, the onset and the ground test, and, written after the run, the
// simulator's truth beside each answer. Infinite or missing figures are null.
#pragma once

#include <nlohmann/json.hpp>

#include "report/render.hpp"
#include "story/story.hpp"

namespace leakhunt::story {

nlohmann::ordered_json storySummaryJson(const StorySummary& summary,
                                        const report::ReportFiles& files);

}  // namespace leakhunt::story
