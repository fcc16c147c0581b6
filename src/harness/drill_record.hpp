// The drill's result written from an operations core's events as they come (times since the
// alarm): the drill's report, and the demo's story, which runs the same loop for weeks.
#pragma once

#include <string>
#include <utility>

#include "base/truth_wall.hpp"
#include "harness/drill.hpp"
#include "ops/events.hpp"

namespace leakhunt::harness {

class DrillRecord final : public ops::OperationsObserver {
 public:
  DrillRecord(DrillResult& out, DrillObserver* observer) : m_out(out), m_observer(observer) {}

  void onAlarm(const ops::Alarm& a) override {
    m_out.detected = true;
    m_out.alarm_s = a.report.alarmTime_s;
    m_out.alarmRate_kg_s = a.report.rate_kg_s;
    if (m_observer != nullptr) m_observer->onAlarm(m_out);
  }
  void onProposedStep(const ops::ProposedStep& p) override {
    DrillStep ds;
    ds.closedHatches = p.closedHatches;
    for (const ops::Operation& o : p.operations)
      if (o.kind != ops::OperationKind::CrewMove) ds.operations.push_back(o.text);
    ds.start_s = p.proposedAt_s - m_out.alarm_s;
    ds.switch_s = p.switch_s;
    ds.settle_s = p.settle_s;
    ds.dwell_s = p.dwell_s;
    ds.expectedBits = p.expectedBits;
    m_proposed = std::move(ds);
  }
  void onStepOutcome(const ops::StepOutcome& o) override {
    DrillStep ds = m_proposed;
    ds.outcome = o.segments;
    m_out.steps.push_back(std::move(ds));
    m_out.elapsed_s = o.to_s - m_out.alarm_s;
    m_awaitingPosterior = true;
  }
  void onPosterior(const ops::Posterior& p) override {
    m_out.posterior.clear();
    for (const ops::ModuleProbability& m : p.modules) m_out.posterior.push_back(m.probability);
    if (!m_awaitingPosterior) return;
    m_awaitingPosterior = false;
    m_out.steps.back().posterior = m_out.posterior;
    if (m_observer != nullptr) m_observer->onStep(m_out.steps.back(), m_out);
  }
  void onCornered(const ops::Cornered& c) override {
    m_out.localized = true;
    m_out.inseparable = false;  // a planner that stopped on a first wide estimate went on
    m_out.localizedModules = c.modules;
    m_out.why = (c.modules.size() == 1 ? "one module holds a leak with probability "
                                       : "two leaks, each with probability at least ") +
                std::to_string(c.probability);
  }
  void onNoSafeTest(const ops::NoSafeTest& n) override {
    m_out.inseparable = n.why != kStepLimit;
    m_out.why = n.why;
  }

  static constexpr const char* kStepLimit = "the step limit is reached";

 private:
  DrillResult& m_out;
  DrillObserver* m_observer;
  DrillStep m_proposed;
  bool m_awaitingPosterior = false;
};

}  // namespace leakhunt::harness
