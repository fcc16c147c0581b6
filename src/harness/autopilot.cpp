#include "harness/autopilot.hpp"

#include <algorithm>
#include <cmath>

#include "harness/scenario_log.hpp"
#include "locate/configuration.hpp"

namespace leakhunt::harness {

void Transcript::onAlarm(const ops::Alarm& a) {
  order.push_back("alarm");
  alarms.push_back(a);
  if (m_also) m_also->onAlarm(a);
}
void Transcript::onDetectorAlarm(const ops::Alarm& a) {
  detectorAlarms.push_back(a);
  if (m_also) m_also->onDetectorAlarm(a);
}
void Transcript::onEstimate(const ops::Estimate& e) {
  ++estimates;
  if (m_also) m_also->onEstimate(e);
}
void Transcript::onProposedStep(const ops::ProposedStep& p) {
  order.push_back("proposed");
  proposals.push_back(p);
  fresh.push_back(p);
  if (m_also) m_also->onProposedStep(p);
}
void Transcript::onStepOutcome(const ops::StepOutcome& o) {
  order.push_back("outcome");
  outcomes.push_back(o);
  if (m_also) m_also->onStepOutcome(o);
}
void Transcript::onPosterior(const ops::Posterior& p) {
  order.push_back("posterior");
  posteriors.push_back(p);
  if (m_also) m_also->onPosterior(p);
}
void Transcript::onCornered(const ops::Cornered& c) {
  order.push_back("cornered");
  cornered.push_back(c);
  if (m_also) m_also->onCornered(c);
}
void Transcript::onNoSafeTest(const ops::NoSafeTest& n) {
  order.push_back("no-safe-test");
  noSafeTest.push_back(n);
  if (m_also) m_also->onNoSafeTest(n);
}
void Transcript::onRepairVerdict(const ops::RepairVerdict& v) {
  order.push_back("verdict");
  verdicts.push_back(v);
  if (m_also) m_also->onRepairVerdict(v);
}
void Transcript::onTrendChange(const ops::TrendChange& t) {
  order.push_back("trend");
  trend.push_back(t);
  if (m_also) m_also->onTrendChange(t);
}

Autopilot::Autopilot(const model::Scenario& world, ops::OperationsObserver* also)
    : m_station(world.station),
      m_start_s(static_cast<double>(world.startUnix_s)),
      m_transcript(also) {}

Result<std::unique_ptr<Autopilot>> Autopilot::start(
    const model::Scenario& world, const sim::RunOptions& run, ops::OperationsOptions options,
    detect::LoggedEvents log, ops::OperationsObserver* also, sim::RunObserver* watcher) {
  std::unique_ptr<Autopilot> a(new Autopilot(world, also));
  sim::RunOptions ro = run;
  ro.emitTelemetry = true;
  ro.emitTruth = watcher != nullptr && run.emitTruth;
  a->watcher = watcher;
  Result<sim::Simulation> s = sim::Simulation::start(world, ro, *a);
  if (!s) return s.error();
  a->m_sim.emplace(std::move(s).value());
  a->m_block_s = options.detector.blockPeriod_s;
  std::vector<std::string> names;
  const telemetry::ChannelTable& tm = a->m_sim->telemetryChannels();
  for (std::size_t c = 0; c < tm.size(); ++c) names.push_back(tm.name(static_cast<int>(c)));
  a->m_open = locate::declaredHatches(a->m_station);
  a->m_crew = locate::declaredCrewPlaces(a->m_station);
  // The world as the log leaves it, for the stranded check.
  for (const detect::LoggedHatch& h : log.hatches)
    if (h.hatch >= 0 && static_cast<std::size_t>(h.hatch) < a->m_open.size())
      a->m_open[static_cast<std::size_t>(h.hatch)] = h.open;
  for (const detect::LoggedCrewMove& c : log.crewMoves)
    if (c.crew >= 0 && static_cast<std::size_t>(c.crew) < a->m_crew.size())
      a->m_crew[static_cast<std::size_t>(c.crew)] = c.module;
  a->m_core = std::make_unique<ops::OperationsCore>(a->m_station, names, std::move(options),
                                                    &a->m_transcript, std::move(log));
  return a;
}

Result<bool> Autopilot::runUntil(double until_s,
                                 const std::function<bool(const ops::OperationsCore&)>& stop) {
  while (m_sim->time_s() < std::min(until_s, m_sim->end_s())) {
    // The detector's blocks are on the Unix clock: stop at each block's end, so the crew's
    // first moves after an alarm are stamped at the end of the block that raised it.
    const double next = std::min(
        {(std::floor((m_start_s + m_sim->time_s()) / m_block_s) + 1.0) * m_block_s - m_start_s,
         until_s, m_sim->end_s()});
    if (Result<bool> r = m_sim->advanceTo(next); !r) return r.error();
    // Each entry due by now is logged before the first sample at or after it, as a crew logs
    // what it does when done: the detector takes it as it runs, with no rerun over the tape.
    std::stable_sort(m_due.begin(), m_due.end(),
                     [](const Due& a, const Due& b) { return a.at_s < b.at_s; });
    for (const telemetry::Sample& s : m_pending) {
      while (!m_due.empty() && m_due.front().at_s <= m_sim->time_s() &&
             m_start_s + m_due.front().at_s <= s.time_s)
        logFront();
      if (watcher) watcher->telemetry(s);
      m_core->addSample(s);
    }
    m_pending.clear();
    std::vector<ops::ProposedStep> fresh = std::move(m_transcript.fresh);
    m_transcript.fresh.clear();
    for (const ops::ProposedStep& p : fresh)
      if (carryOut(p))
        if (Result<bool> r = perform(p); !r) return r.error();
    logDue();
    if (stop(*m_core)) return true;
  }
  return true;
}

Result<bool> Autopilot::perform(const ops::ProposedStep& step) {
  // The crew works to the proposal's schedule, from the next instant.
  const double t0 = m_sim->time_s();
  std::size_t last = 0;  // the operation that completes the step
  for (std::size_t i = 0; i < step.operations.size(); ++i) {
    const ops::Operation& o = step.operations[i];
    const ops::Operation& l = step.operations[last];
    if (o.start_s + o.duration_s >= l.start_s + l.duration_s) last = i;
  }
  for (std::size_t i = 0; i < step.operations.size(); ++i) {
    const ops::Operation& o = step.operations[i];
    // A crew member is in their lifeboat from the start of the muster (its duration is the
    // getting ready before the hatch work); a hatch changes when its operation is done.
    const bool move = o.kind == ops::OperationKind::CrewMove;
    const double t = t0 + o.start_s + (move ? 0.0 : o.duration_s);
    Result<bool> r =
        move
            ? schedule(model::CrewMoveEvent{o.subject, o.to}, t, i == last)
            : schedule(model::HatchEvent{o.subject, o.kind == ops::OperationKind::EqualiseThenOpen},
                       t, i == last);
    if (!r) return r;
    if (!move) ++m_hatchOperations;
  }
  return true;
}

Result<bool> Autopilot::act(const model::EventAction& action, double duration_s,
                            const std::string& logAs) {
  return schedule(action, m_sim->time_s() + duration_s, false, logAs);
}

Result<bool> Autopilot::schedule(const model::EventAction& action, double at_s, bool endsStep,
                                 const std::string& logAs) {
  // A patch that names no hole (the crew patched a module that has none) changes nothing in
  // the world; the crew log it all the same.
  const auto* patch = std::get_if<model::PatchEvent>(&action);
  if (!(patch && patch->leak.empty()))
    if (Result<bool> r = m_sim->add({at_s, action, {}}); !r) return r;
  const double unix = m_start_s + at_s;
  Due due{at_s, detect::LoggedPatch{}, endsStep};
  if (const auto* h = std::get_if<model::HatchEvent>(&action)) {
    due.entry = detect::LoggedHatch{unix, m_station.hatchIndex(h->hatch), h->open};
    m_actions.push_back({at_s, action, {}});
  } else if (const auto* c = std::get_if<model::CrewMoveEvent>(&action)) {
    int crew = -1;
    for (std::size_t k = 0; k < m_station.crew.size(); ++k)
      if (m_station.crew[k].id == c->crew) crew = static_cast<int>(k);
    due.entry = detect::LoggedCrewMove{unix, crew, m_station.moduleIndex(c->module)};
    m_actions.push_back({at_s, action, {}});
  } else if (patch != nullptr) {
    due.entry = detect::LoggedPatch{unix, logAs.empty() ? patch->leak : logAs};
  } else if (const auto* r = std::get_if<model::RepressEvent>(&action)) {
    due.entry = loggedRepressOf(*r, unix, m_station.moduleIndex(r->module));
  } else {
    return true;  // the world changes; nothing the crew logs (a leak, a sensor fault)
  }
  m_due.push_back(std::move(due));
  return true;
}

// Entries are logged once the world has passed them, in time order: the crew logs what is done.
void Autopilot::logDue() {
  std::stable_sort(m_due.begin(), m_due.end(),
                   [](const Due& a, const Due& b) { return a.at_s < b.at_s; });
  while (!m_due.empty() && m_due.front().at_s <= m_sim->time_s()) logFront();
}

void Autopilot::logFront() {
  {
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
    if (m_crew[k] < 0) continue;
    const auto& members =
        seg.members[static_cast<std::size_t>(seg.segmentOf[static_cast<std::size_t>(m_crew[k])])];
    const bool reachable = std::any_of(members.begin(), members.end(), [&](int m) {
      return m_station.modules[static_cast<std::size_t>(m)].vehicle == m_station.crew[k].lifeboat;
    });
    if (!reachable) ++m_stranded;
  }
}

}  // namespace leakhunt::harness
