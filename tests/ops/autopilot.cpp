#include "autopilot.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "locate/configuration.hpp"

namespace leakhunt::ops::testing {

sim::RunOptions quickRun() {
  sim::RunOptions o;  // as the drill's tests run it
  o.spinUp_s = 0.5 * 86400.0;
  o.relativeTolerance = 1e-6;
  o.emitTelemetry = true;
  o.emitTruth = false;
  return o;
}

model::Scenario scenarioOf(const model::Station& station, const std::string& leakModule,
                           double onset_s, double duration_s, uint64_t seed) {
  model::Scenario s;
  s.name = "ops test";
  s.station = station;
  s.startUnix_s = 1535565600;  // 2018-08-29T18:00:00Z
  s.duration_s = duration_s;
  s.seed = seed;
  if (!leakModule.empty()) {
    model::LeakEvent leak;
    leak.id = "hole";
    leak.module = leakModule;
    leak.cd = 0.65;
    leak.cda_m2 = leak.cd * std::numbers::pi * 0.001 * 0.001;  // 2 mm
    s.events.push_back({onset_s, leak, {}});
  }
  return s;
}

Autopilot::Autopilot(const model::Scenario& world, const sim::RunOptions& run,
                     OperationsOptions options)
    : m_station(world.station), m_start_s(static_cast<double>(world.startUnix_s)) {
  Result<sim::Simulation> s = sim::Simulation::start(world, run, *this);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  m_sim.emplace(std::move(s).value());
  std::vector<std::string> names;
  const telemetry::ChannelTable& tm = m_sim->telemetryChannels();
  for (std::size_t c = 0; c < tm.size(); ++c) names.push_back(tm.name(static_cast<int>(c)));
  m_core = std::make_unique<OperationsCore>(m_station, names, std::move(options), &m_transcript);
  m_open = locate::declaredHatches(m_station);
  m_crew = locate::declaredCrewPlaces(m_station);
}

void Autopilot::runUntil(double until_s, const std::function<bool(const OperationsCore&)>& stop) {
  const double block = 60.0;
  while (m_sim->time_s() < std::min(until_s, m_sim->end_s())) {
    const double next =
        std::min({(std::floor(m_sim->time_s() / block) + 1.0) * block, until_s, m_sim->end_s()});
    const Result<bool> r = m_sim->advanceTo(next);
    ASSERT_TRUE(r.ok()) << r.error().message;
    m_core->addSamples(m_pending);
    m_pending.clear();
    std::vector<ProposedStep> fresh = std::move(m_transcript.fresh);
    m_transcript.fresh.clear();
    for (const ProposedStep& p : fresh)
      if (carryOut(p)) perform(p);
    logDue();
    if (stop(*m_core)) return;
  }
}

void Autopilot::perform(const ProposedStep& step) {
  // The crew works to the proposal's schedule, from the next instant.
  const double t0 = m_sim->time_s();
  std::size_t last = 0;  // the operation that completes the step
  for (std::size_t i = 0; i < step.operations.size(); ++i) {
    const Operation& o = step.operations[i];
    const Operation& l = step.operations[last];
    if (o.start_s + o.duration_s >= l.start_s + l.duration_s) last = i;
  }
  for (std::size_t i = 0; i < step.operations.size(); ++i) {
    const Operation& o = step.operations[i];
    const double t = t0 + o.start_s + o.duration_s;
    if (o.kind == OperationKind::CrewMove)
      schedule(model::CrewMoveEvent{o.subject, o.to}, t, i == last);
    else
      schedule(model::HatchEvent{o.subject, o.kind == OperationKind::EqualiseThenOpen}, t,
               i == last);
  }
}

void Autopilot::act(const model::EventAction& action, double duration_s) {
  schedule(action, m_sim->time_s() + duration_s, false);
}

void Autopilot::schedule(const model::EventAction& action, double at_s, bool endsStep) {
  const Result<bool> r = m_sim->add({at_s, action, {}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  const double unix = m_start_s + at_s;
  Due due{at_s, detect::LoggedPatch{}, endsStep};
  if (const auto* h = std::get_if<model::HatchEvent>(&action))
    due.entry = detect::LoggedHatch{unix, m_station.hatchIndex(h->hatch), h->open};
  else if (const auto* c = std::get_if<model::CrewMoveEvent>(&action)) {
    int crew = -1;
    for (std::size_t k = 0; k < m_station.crew.size(); ++k)
      if (m_station.crew[k].id == c->crew) crew = static_cast<int>(k);
    due.entry = detect::LoggedCrewMove{unix, crew, m_station.moduleIndex(c->module)};
  } else if (const auto* p = std::get_if<model::PatchEvent>(&action))
    due.entry = detect::LoggedPatch{unix, p->leak};
  m_due.push_back(std::move(due));
}

// Entries are logged once the world has passed them, in time order: the crew logs what is done.
void Autopilot::logDue() {
  std::stable_sort(m_due.begin(), m_due.end(),
                   [](const Due& a, const Due& b) { return a.at_s < b.at_s; });
  while (!m_due.empty() && m_due.front().at_s <= m_sim->time_s()) {
    const Due due = m_due.front();
    m_due.erase(m_due.begin());
    if (const auto* h = std::get_if<detect::LoggedHatch>(&due.entry))
      m_open[static_cast<std::size_t>(h->hatch)] = h->open;
    if (const auto* c = std::get_if<detect::LoggedCrewMove>(&due.entry))
      m_crew[static_cast<std::size_t>(c->crew)] = c->module;
    m_core->log(due.entry);
    if (due.endsStep) {
      ++m_stepsDone;
      checkCrew();
    }
  }
}

void Autopilot::checkCrew() {
  const locate::Segments seg = locate::segmentsOf(m_station, m_open);
  for (std::size_t k = 0; k < m_station.crew.size(); ++k) {
    const auto& members =
        seg.members[static_cast<std::size_t>(seg.segmentOf[static_cast<std::size_t>(m_crew[k])])];
    const bool reachable = std::any_of(members.begin(), members.end(), [&](int m) {
      return m_station.modules[static_cast<std::size_t>(m)].vehicle == m_station.crew[k].lifeboat;
    });
    if (!reachable) ++m_stranded;
  }
}

}  // namespace leakhunt::ops::testing
