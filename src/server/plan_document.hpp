// GET /api/plan: what the operations core says now (its status() snapshot) and what it said
// along the way (outcomes, cornered, no safe test, who confirmed a step), as one JSON document
// the dashboard's plan view and schematic render (docs/server.md, "The plan"). Pure.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ops/operations_core.hpp"

namespace leakhunt::server {

// What the server heard from the core besides its snapshot.
struct PlanRecord {
  std::vector<ops::StepOutcome> outcomes;  // in order
  std::optional<ops::Cornered> cornered;
  std::optional<ops::NoSafeTest> noSafeTest;
  // The step an operator (or the autopilot) confirmed last, and who.
  int confirmedStep = -1;
  std::string confirmedBy;
  double confirmedAt_s = 0.0;
};

// {"available", "status": waiting|planning|cornered|no-safe-test, "localized_module",
//  "localized_modules", "posterior": {module: p}, "steps": [...], "history": [...], ...}.
// Times in ms since 1970 (as every time the server sends), durations in s.
nlohmann::json planDocument(const ops::OperationsStatus& status, const PlanRecord& record);

// One proposed step in the document's shape (also the payload of a "confirm" audit entry).
nlohmann::json stepJson(const ops::ProposedStep& step);

// "close node-lab; equalise, then open lab-airlock; dwell 40 min; read [node, lab]": one line
// for the events table.
std::string stepSummary(const ops::ProposedStep& step);

}  // namespace leakhunt::server
