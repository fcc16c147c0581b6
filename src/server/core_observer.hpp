// The operations core's observer inside the server's core (core.hpp): what the core says
// becomes derived samples, events, the alarm list and the plan's record. Private to
// src/server: core.cpp and core_operations.cpp include it.
#pragma once

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "report/result_json.hpp"
#include "server/core.hpp"
#include "server/plan_document.hpp"

namespace leakhunt::server {

// Turns what the operations core says into derived samples, events, the alarm list and the
// plan's record. During a replay (a restart of the operations core from the archive) what was
// already reported live is not reported again.
class Core::Observer : public ops::OperationsObserver {
 public:
  explicit Observer(Core& core) : m_core(core) {}

  void onAlarm(const ops::Alarm& a) override {
    Core& c = m_core;
    const detect::LeakReport& r = a.report;
    std::lock_guard lock(c.m_statusMutex);
    const bool old = c.m_replaying && r.alarmTime_s <= c.m_highWater_s;
    if (old && !c.m_alarms.empty()) {
      m_alarm = c.m_alarms.back()["id"].get<int>();
      return;
    }
    const int id = static_cast<int>(c.m_alarms.size()) + 1;
    m_alarm = id;
    // The alarm's number and acknowledgement, and the estimate as detect --json renders it (its
    // times in ms); each later estimate replaces the estimate's keys.
    nlohmann::json alarm{{"id", id}, {"acknowledged", false}};
    alarm.update(nlohmann::json(report::leakEstimateJson(r, a.segment, report::Times::UnixMs)));
    c.m_alarms.push_back(std::move(alarm));
    if (old) return;
    c.emitDerived(r.alarmTime_s, c.m_catalog.find(derived::kLeakAlarm), 1.0);
    c.emitEvent(
        r.alarmTime_s, "CRITICAL",
        fmt::format("leak alarm {}: segment [{}], leak rate {:.3g} kg/s (z {:.1f} > {:.1f})", id,
                    fmt::join(a.segment, ", "), r.rate_kg_s, r.statistic, r.threshold));
    estimate(r, id);
  }

  void onEstimate(const ops::Estimate& e) override {
    Core& c = m_core;
    if (c.m_replaying && e.report.time_s <= c.m_highWater_s) return;
    std::lock_guard lock(c.m_statusMutex);
    estimate(e.report, m_alarm);
  }

  void onProposedStep(const ops::ProposedStep& p) override {
    Core& c = m_core;
    if (c.m_replaying && p.proposedAt_s <= c.m_highWater_s) return;
    c.emitEvent(p.proposedAt_s, "INFO", stepSummary(p), "leakhunt");
    c.m_newProposals.push_back(p);
  }

  void onStepOutcome(const ops::StepOutcome& o) override {
    Core& c = m_core;
    c.m_record.outcomes.push_back(o);
    if (c.m_replaying && o.to_s <= c.m_highWater_s) return;
    std::vector<std::string> parts;
    for (const ops::SegmentOutcome& s : o.segments)
      parts.push_back(fmt::format("[{}] {}", fmt::join(s.segment, ", "),
                                  !s.read    ? "not read"
                                  : s.losing ? fmt::format("losing {:.3g} kg/h", s.rate_kg_s * 3600)
                                             : "steady"));
    c.emitEvent(o.to_s, "INFO", fmt::format("step {} read: {}", o.step + 1, fmt::join(parts, "; ")),
                "leakhunt");
  }

  void onCornered(const ops::Cornered& k) override {
    Core& c = m_core;
    c.m_record.cornered = k;
    if (c.m_replaying && k.time_s <= c.m_highWater_s) return;
    c.emitEvent(k.time_s, "WARNING",
                fmt::format("cornered in {} (probability {:.3f})", fmt::join(k.modules, " and "),
                            k.probability),
                "leakhunt");
  }

  void onNoSafeTest(const ops::NoSafeTest& n) override {
    Core& c = m_core;
    c.m_record.noSafeTest = n;
    if (c.m_replaying && n.time_s <= c.m_highWater_s) return;
    std::vector<std::string> suspects;
    for (const ops::ModuleProbability& m : n.suspects)
      suspects.push_back(fmt::format("{} {:.2f}", m.module, m.probability));
    c.emitEvent(
        n.time_s, "WARNING",
        fmt::format("no safe test remains (suspects {}): {}", fmt::join(suspects, ", "), n.why),
        "leakhunt");
  }

  void onRepairVerdict(const ops::RepairVerdict& v) override {
    Core& c = m_core;
    if (c.m_replaying && v.time_s <= c.m_highWater_s) return;
    const bool met = v.result.verdict == verify::Verdict::Met;
    c.emitEvent(v.time_s, met ? "INFO" : "CRITICAL",
                fmt::format("repair of [{}]: {} (residual {:.3g} kg/h, bound {:.3g} kg/h, target "
                            "{:.3g} kg/h, watched {:.1f} h)",
                            fmt::join(v.segment, ", "), verify::toString(v.result.verdict),
                            v.result.rate_kg_s * 3600, v.result.upper_kg_s * 3600,
                            v.result.target_kg_s * 3600, v.result.watched_s / 3600),
                "leakhunt");
  }

  void onTrendChange(const ops::TrendChange& t) override {
    Core& c = m_core;
    if (c.m_replaying && t.change.reportedAt_s <= c.m_highWater_s) return;
    c.emitEvent(t.change.reportedAt_s, "WARNING",
                fmt::format("trend of [{}]: the loss rate changed from {:.3g} to {:.3g} kg/h "
                            "(z {:.1f})",
                            fmt::join(t.segment, ", "), t.change.before_kg_s * 3600,
                            t.change.after_kg_s * 3600, t.change.z),
                "leakhunt");
  }

 private:
  // Under m_statusMutex.
  void estimate(const detect::LeakReport& r, int id) {
    Core& c = m_core;
    c.emitDerived(r.time_s, c.m_catalog.find(derived::kLeakRate), r.rate_kg_s);
    c.emitDerived(r.time_s, c.m_catalog.find(derived::kLeakRateSigma), r.rateSigma_kg_s);
    c.emitDerived(r.time_s, c.m_catalog.find(derived::kHoleDiameter), r.diameter_m);
    c.emitDerived(r.time_s, c.m_catalog.find(derived::kSegmentInventory), r.inventory_kg);
    if (std::isfinite(r.reserveTime_s))
      c.emitDerived(r.time_s, c.m_catalog.find(derived::kReserveTime), r.reserveTime_s);
    if (id < 1 || static_cast<std::size_t>(id) > c.m_alarms.size()) return;
    nlohmann::json& a = c.m_alarms[static_cast<std::size_t>(id - 1)];
    // The segment stays the alarm's (an estimate names the same one).
    nlohmann::json e(report::leakEstimateJson(r, a["segment"].get<std::vector<std::string>>(),
                                              report::Times::UnixMs));
    a.update(e);
    const double warnBelow =
        c.m_catalog.info(c.m_catalog.find(derived::kReserveTime)).warning.low.value_or(0);
    if (std::isfinite(r.reserveTime_s) && r.reserveTime_s < warnBelow &&
        !a.contains("reserve_warned")) {
      a["reserve_warned"] = true;
      c.emitEvent(r.time_s, "WARNING",
                  fmt::format("leak alarm {}: reserve time {:.1f} h is below {:.1f} h", id,
                              r.reserveTime_s / 3600.0, warnBelow / 3600.0));
    }
  }

  Core& m_core;
  int m_alarm = -1;  // the incident's alarm number
};

}  // namespace leakhunt::server
