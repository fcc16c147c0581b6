#include "server/plan_document.hpp"

#include <fmt/format.h>

#include "report/result_json.hpp"

namespace leakhunt::server {

using nlohmann::json;

namespace {

json outcomeJson(const ops::StepOutcome& o) {
  json segments = json::array();
  for (const ops::SegmentOutcome& s : o.segments)
    segments.push_back(json(report::segmentReadingJson(s)));
  return {{"step", o.step},
          {"from_ms", o.from_s * 1000.0},
          {"to_ms", o.to_s * 1000.0},
          {"segments", std::move(segments)}};
}

}  // namespace

json stepJson(const ops::ProposedStep& p) {
  json operations = json::array();
  for (const ops::Operation& o : p.operations) {
    json op{{"kind", ops::toString(o.kind)},
            {"subject", o.subject},
            {"start_s", o.start_s},
            {"duration_s", o.duration_s},
            {"text", o.text}};
    if (!o.to.empty()) op["to"] = o.to;
    operations.push_back(std::move(op));
  }
  json reads = json::array();
  for (const ops::Read& r : p.reads)
    reads.push_back({{"segment", r.segment},
                     {"leak_probability", r.leakProbability},
                     {"reading_sigma_kg_s", r.readingSigma_kg_s},
                     {"if_losing", r.ifLosing},
                     {"if_steady", r.ifSteady}});
  json paths = json::array();
  for (const ops::CrewPath& c : p.whySafe.paths)
    paths.push_back({{"crew", c.crew}, {"lifeboat", c.lifeboat}, {"modules", c.modules}});
  return {{"step", p.step},
          {"proposed_at_ms", p.proposedAt_s * 1000.0},
          {"operations", std::move(operations)},
          {"closed_hatches", p.closedHatches},
          {"switch_s", p.switch_s},
          {"settle_s", p.settle_s},
          {"dwell_s", p.dwell_s},
          {"expected_bits", p.expectedBits},
          {"reads", std::move(reads)},
          {"why_safe",
           {{"paths", std::move(paths)},
            {"pressure_margin_pa", p.whySafe.pressureMargin_pa},
            {"hold_s", p.whySafe.hold_s},
            {"longest_hold_s", json(report::finiteOrNull(p.whySafe.longestHold_s))},
            {"violations", p.whySafe.violations}}}};
}

std::string stepSummary(const ops::ProposedStep& p) {
  std::vector<std::string> what;
  for (const ops::Operation& o : p.operations) what.push_back(o.text);
  if (what.empty()) what.emplace_back("hold the station as it is");
  std::vector<std::string> reads;
  for (const ops::Read& r : p.reads)
    reads.push_back("[" + fmt::format("{}", fmt::join(r.segment, ", ")) + "]");
  return fmt::format("step {} proposed: {}; dwell {:.0f} min; read {}", p.step + 1,
                     fmt::join(what, "; "), p.dwell_s / 60.0, fmt::join(reads, ", "));
}

json planDocument(const ops::OperationsStatus& s, const PlanRecord& r) {
  json doc{{"available", s.phase != ops::Phase::Waiting},
           {"status", ops::toString(s.phase)},
           {"time_ms", s.time_s * 1000.0},
           {"localized_module", s.localized.empty() ? json(nullptr) : json(s.localized.front())},
           {"localized_modules", s.localized},
           {"posterior", json(report::posteriorJson(s.posterior))},
           {"verifying", s.verifying}};
  if (s.phase == ops::Phase::Waiting)
    doc["message"] = "no plan yet: no leak alarm (the plan appears on the alarm)";
  if (s.alarm)
    doc["alarm"] =
        json(report::leakEstimateJson(s.alarm->report, s.alarm->segment, report::Times::UnixMs));
  json steps = json::array();
  for (const ops::ProposedStep& p : s.proposed) {
    json step = stepJson(p);
    const bool underWay = s.readingDue_s.has_value();
    step["state"] = underWay ? "under way" : r.confirmedStep == p.step ? "confirmed" : "proposed";
    if (underWay) step["reading_due_ms"] = *s.readingDue_s * 1000.0;
    if (r.confirmedStep == p.step) {
      step["confirmed_by"] = r.confirmedBy;
      step["confirmed_at_ms"] = r.confirmedAt_s * 1000.0;
    }
    steps.push_back(std::move(step));
  }
  doc["steps"] = std::move(steps);
  json history = json::array();
  for (const ops::StepOutcome& o : r.outcomes) history.push_back(outcomeJson(o));
  doc["history"] = std::move(history);
  if (r.cornered && s.phase == ops::Phase::Cornered)
    doc["cornered"] = {{"time_ms", r.cornered->time_s * 1000.0},
                       {"modules", r.cornered->modules},
                       {"probability", r.cornered->probability}};
  if (r.noSafeTest && s.phase == ops::Phase::NoSafeTest) {
    json suspects = json::array();
    for (const ops::ModuleProbability& m : r.noSafeTest->suspects)
      suspects.push_back({{"module", m.module}, {"probability", m.probability}});
    doc["no_safe_test"] = {{"time_ms", r.noSafeTest->time_s * 1000.0},
                           {"why", r.noSafeTest->why},
                           {"suspects", std::move(suspects)}};
  }
  if (s.repair) {
    json repair{{"time_ms", s.repair->time_s * 1000.0},
                {"segment", s.repair->segment},
                {"target_kg_s", s.repair->result.target_kg_s}};
    repair.update(json(report::repairVerdictJson(s.repair->result)));
    doc["repair"] = std::move(repair);
  } else if (s.verifying) {
    doc["repair"] = {{"verdict", "watching"}};
  }
  return doc;
}

}  // namespace leakhunt::server
