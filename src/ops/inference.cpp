#include "ops/inference.hpp"

#include "ops/record_replay.hpp"

namespace leakhunt::ops {
namespace {

// What the core said, kept as it said it.
class Record final : public OperationsObserver {
 public:
  explicit Record(double nominal_pa) : m_vacuum(nominal_pa) {}
  void onAlarm(const Alarm& a) override {
    m_out.alarm = a;
    m_vacuum.see(a.report.time_s, a.segment, a.report.pressure_pa);
  }
  // A hole that empties its segment leaves nothing to read: a window at vacuum reads a rate near
  // zero, or below it from noise (issue 21, item 3; "leak -2.1e+03 kg/day" once).
  void onEstimate(const Estimate& e) override {
    m_vacuum.see(e.report.time_s, e.segment, e.report.pressure_pa);
  }
  void onStepOutcome(const StepOutcome& o) override { m_out.windows.push_back({o, {}}); }
  void onPosterior(const Posterior& p) override {
    m_out.posterior = p.modules;
    if (!m_out.windows.empty() && m_out.windows.back().posterior.empty())
      m_out.windows.back().posterior = p.modules;
  }
  void onProposedStep(const ProposedStep& p) override { m_out.next = p; }
  void onCornered(const Cornered& c) override { m_out.cornered = c; }
  void onNoSafeTest(const NoSafeTest& n) override { m_out.noSafeTest = n; }

  Inference take() {
    m_out.emptied = m_vacuum.emptied();
    return std::move(m_out);
  }

 private:
  Inference m_out;
  VacuumWatch m_vacuum;
};

}  // namespace

const ModuleProbability* Inference::best() const {
  const ModuleProbability* out = nullptr;
  for (const ModuleProbability& p : posterior)
    if (!out || p.probability > out->probability) out = &p;
  return out;
}

const EmptiedSegment* Inference::atVacuum(const std::vector<std::string>& segment,
                                          double from_s) const {
  const EmptiedSegment* e = holding(emptied, segment);
  return e != nullptr && from_s >= e->since_s ? e : nullptr;
}

Inference inferFromRecord(const model::Station& station,
                          const std::vector<std::string>& channelNames,
                          std::span<const telemetry::Sample> samples, detect::LoggedEvents log,
                          OperationsOptions options) {
  options.followLog = true;
  const double given = options.leakRate_kg_s;
  Record record(station.atmosphere.pressure_pa);
  {
    OperationsCore core(station, channelNames, std::move(options), &record);
    replayRecord(core, samples, log);
  }
  Inference out = record.take();
  out.leakRate_kg_s =
      given > 0.0 ? given : (out.alarm ? detect::incidentRate_kg_s(out.alarm->report) : 0.0);
  return out;
}

}  // namespace leakhunt::ops
