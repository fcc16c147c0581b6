#include "ops/operations_core.hpp"

#include <algorithm>
#include <cmath>

#include "locate/plan_tree.hpp"
#include "locate/reading_noise.hpp"
#include "ops/repair_watch.hpp"
#include "ops/step_proposal.hpp"
#include "ops/stretch_reading.hpp"

namespace leakhunt::ops {

const char* toString(Phase phase) {
  switch (phase) {
    case Phase::Waiting:
      return "waiting";
    case Phase::Planning:
      return "planning";
    case Phase::Cornered:
      return "cornered";
    case Phase::NoSafeTest:
      return "no-safe-test";
  }
  return "?";
}

OperationsCore::OperationsCore(model::Station station, std::vector<std::string> channelNames,
                               OperationsOptions options, OperationsObserver* observer,
                               detect::LoggedEvents log)
    : m_station(std::move(station)),
      m_facts(locate::factsOf(m_station)),
      m_channels(std::move(channelNames)),
      m_o(std::move(options)),
      m_observer(observer != nullptr ? observer : &m_silent),
      m_log(detect::boundedLog(std::move(log))),
      m_open(locate::declaredHatches(m_station)),
      m_crew(locate::declaredCrewPlaces(m_station)) {
  m_o.verify.blockPeriod_s = m_o.detector.blockPeriod_s;
  // The planner expects readings through the detector's own windows (one noise model).
  m_o.planner.noise = m_o.detector.test;
  m_o.planner.noise.period_s = m_o.detector.blockPeriod_s;
  for (const detect::LoggedHatch& h : m_log.hatches)
    if (h.hatch >= 0 && static_cast<std::size_t>(h.hatch) < m_open.size())
      m_open[static_cast<std::size_t>(h.hatch)] = h.open;
  for (const detect::LoggedCrewMove& c : m_log.crewMoves)
    if (c.crew >= 0 && static_cast<std::size_t>(c.crew) < m_crew.size())
      m_crew[static_cast<std::size_t>(c.crew)] = c.module;
  rebuild();
}

OperationsCore::~OperationsCore() = default;

void OperationsCore::rebuild() {
  const detect::LoggedEvents log = detect::boundedLog(m_log);
  // One detector: its residual stream feeds the steps' readings (kept from the start, a point a
  // block per segment life) and the repair watch (the trend, and verification after a patch).
  m_recorder = std::make_unique<locate::SegmentRecorder>(m_station, m_channels, log, m_o.detector,
                                                         -std::numeric_limits<double>::infinity());
  m_repair = std::make_unique<RepairWatch>(m_o.trend);
  if (!m_repairModules.empty()) m_repair->watch(m_repairModules, m_patch_s);
  m_recorder->passResidualsTo(m_repair.get());
  m_alarmsTold = 0;
  for (const telemetry::Sample& s : m_tape) m_recorder->onSample(s);
  m_stale = false;
}

void OperationsCore::addSamples(std::span<const telemetry::Sample> samples) {
  for (const telemetry::Sample& s : samples) addSample(s);
}

void OperationsCore::addSample(const telemetry::Sample& s) {
  if (m_stale) {
    ++m_rebuilds;
    rebuild();
  }
  m_tape.push_back(s);
  // Keep what a late log entry would need; drop the rest in chunks (amortised).
  if (std::isfinite(m_o.keepTape_s) && m_tape.front().time_s < s.time_s - 1.5 * m_o.keepTape_s) {
    const double from = s.time_s - m_o.keepTape_s;
    m_tape.erase(m_tape.begin(),
                 std::find_if(m_tape.begin(), m_tape.end(),
                              [&](const telemetry::Sample& x) { return x.time_s >= from; }));
  }
  m_recorder->onSample(s);
  m_now_s = s.time_s;
  watchDetector();
  if (m_phase == Phase::Planning && m_underWay && s.time_s >= m_readingDue_s) endStep(s.time_s);
  if (!m_repairModules.empty()) watchRepair(s.time_s);
}

void OperationsCore::tellDetectorAlarms() {
  const std::vector<detect::LeakReport>& alarms = m_recorder->alarms();
  for (; m_alarmsTold < alarms.size(); ++m_alarmsTold) {
    const detect::LeakReport& a = alarms[m_alarmsTold];
    // A detector run again over the kept telemetry raises its alarms again: each is told once.
    if (a.alarmTime_s < m_lastAlarmTold_s ||
        (a.alarmTime_s == m_lastAlarmTold_s && a.detection <= m_lastAlarmToldDetection))
      continue;
    m_lastAlarmTold_s = a.alarmTime_s;
    m_lastAlarmToldDetection = a.detection;
    const std::vector<int>& segment = m_recorder->alarmSegments()[m_alarmsTold];
    m_observer->onDetectorAlarm({a, idsOf(m_station, segment)});
    // A new incident: none yet, or (laterIncidents) the last one closed with its own verdict
    // (one given after its alarm), and this alarm raised after that verdict.
    const bool closed = m_phase != Phase::Planning && m_phase != Phase::Waiting && m_verdict &&
                        m_alarm && m_verdict->time_s > m_alarm->report.alarmTime_s &&
                        a.alarmTime_s > m_verdict->time_s;
    if (m_phase == Phase::Waiting || (m_o.laterIncidents && closed)) startIncident(a, segment);
  }
}

void OperationsCore::watchDetector() {
  tellDetectorAlarms();
  // The incident's leak is its first alarm's: later alarms (segments the steps split off) are
  // evidence the steps read, not new incidents.
  if (!m_alarm || m_recorder->estimates().empty()) return;
  const detect::LeakReport* latest = &m_recorder->estimates().front();
  for (const detect::LeakReport& e : m_recorder->estimates())
    if (e.detection == m_alarm->report.detection) latest = &e;
  if (latest->time_s <= m_lastEstimate_s) return;
  m_lastEstimate_s = latest->time_s;
  m_rate_kg_s = detect::incidentRate_kg_s(*latest);
  m_observer->onEstimate({*latest, m_alarm->segment});
  replanOnNarrowerRate(*latest);
}

void OperationsCore::replanOnNarrowerRate(const detect::LeakReport& estimate) {
  // A big leak's first numbers are a wide "at least" (issue 20: the pressure rate of the first
  // minutes), under which no step may be safe. Such a stop is provisional: the first estimate
  // with a closed interval settles it. If that interval is under half the width the planner
  // was given, the core plans again with it (one block later the same leak may allow the step
  // the first numbers did not); if not, or if still no step is safe, the stop is final.
  if (m_phase != Phase::NoSafeTest || !m_stopProvisional) return;
  if (detect::onlyALowerBound(estimate.rateBasis)) return;
  m_stopProvisional = false;
  // An emptied segment's hole, not its near-zero loss now (detector.hpp, RateBasis).
  const double rate = detect::incidentRate_kg_s(estimate);
  const locate::LeakRate narrower{
      rate, std::max(detect::incidentRateSigma_kg_s(estimate), m_o.rateSigmaFraction * rate)};
  if (!(narrower.sigma_kg_s < 0.5 * m_alarmRate.sigma_kg_s)) return;
  m_alarmRate = narrower;
  m_planningRate = narrower;
  m_phase = Phase::Planning;
  propose(m_now_s);
  if (m_phase == Phase::NoSafeTest) m_stopProvisional = false;  // asked again: final
}

void OperationsCore::startIncident(const detect::LeakReport& alarm,
                                   const std::vector<int>& segment) {
  m_alarm = Alarm{alarm, idsOf(m_station, segment)};
  m_lastEstimate_s = alarm.time_s;
  m_rate_kg_s = detect::incidentRate_kg_s(alarm);
  // A later incident starts its localisation afresh (the repair watch and its trend go on).
  m_steps = 0;
  m_history.clear();
  m_localized.clear();
  m_proposal.reset();
  m_underWay = false;
  m_stopProvisional = false;
  m_pressure.clear();
  m_observer->onAlarm(*m_alarm);
  m_phase = Phase::Planning;
  m_suspects = segment;
  m_belief.emplace(m_station, segment, m_o.prior);
  m_alarmRate = {m_rate_kg_s, std::max(detect::incidentRateSigma_kg_s(alarm),
                                       m_o.rateSigmaFraction * m_rate_kg_s)};
  if (m_o.leakRate_kg_s > 0.0)
    m_alarmRate = {m_o.leakRate_kg_s, m_o.rateSigmaFraction * m_o.leakRate_kg_s};
  m_planningRate = m_alarmRate;
  m_reference_pa = alarm.pressure_pa;
  m_observer->onPosterior({m_now_s, posteriorOf(0.0), m_belief->twoLeakMass()});
  if (m_o.followLog) {
    // The first stretch is the station as the alarm found it.
    m_history.push_back({m_open, m_crew, m_now_s, std::numeric_limits<double>::infinity()});
    m_underWay = true;
    m_readingDue_s = std::numeric_limits<double>::infinity();
    return;
  }
  propose(m_now_s);
}

void OperationsCore::propose(double now_s) {
  locate::CrewPlaces crewTo = m_crew;
  if (m_o.musterInLifeboats && m_steps == 0)
    crewTo = locate::musterInLifeboats(m_station, m_crew, nullptr);
  double held = 0.0;
  if (!m_history.empty() && m_history.back().open == m_open && m_history.back().crew == m_crew)
    held = m_history.back().to_s - m_history.back().from_s;
  const locate::PlanState ps{&m_station, &m_facts, crewTo,     m_planningRate,
                             m_open,     m_steps,  m_pressure, held};
  std::string why;
  const std::optional<locate::PlannedTest> test =
      locate::nextTest(ps, *m_belief, m_o.planner, &why);
  if (!test) {
    m_phase = Phase::NoSafeTest;
    // Before any step the planning rate is the alarm's (steps refine it): so only "at least".
    m_stopProvisional = m_steps == 0 && m_o.leakRate_kg_s <= 0.0 && !m_o.followLog &&
                        m_alarm->report.rateBasis == detect::RateBasis::PressureRateAtLeast;
    m_proposal.reset();
    m_observer->onNoSafeTest({now_s, why, posteriorOf(0.01)});
    return;
  }
  StepContext context;
  context.station = &m_station;
  context.facts = &m_facts;
  context.crewFrom = m_crew;
  context.crewTo = crewTo;
  context.muster_s = m_o.muster_s;
  context.rate = m_planningRate;
  context.pressure_pa = m_pressure;
  context.leakProbability = m_belief->moduleMarginal();
  context.rules = m_o.planner.rules;
  m_proposal = Proposal{proposalOf(*test, context, m_steps, now_s), *test, crewTo};
  m_observer->onProposedStep(m_proposal->step);
  // Staying as the station is: the reading starts now, nothing to wait for in the log.
  if (m_proposal->step.operations.empty()) beginStep(now_s);
}

void OperationsCore::beginStep(double at_s) {
  const ProposedStep& p = m_proposal->step;
  const double from = at_s + p.settle_s, to = from + p.dwell_s;
  // Staying in the configuration just read extends that reading: one window, since the
  // temperature's slow wander does not average out over repeated short readings.
  if (p.operations.empty() && !m_history.empty() && m_history.back().open == m_open &&
      m_history.back().crew == m_crew && m_history.back().to_s >= at_s)
    m_history.back().to_s = to;
  else
    m_history.push_back({m_open, m_crew, from, to});
  m_underWay = true;
  m_readingDue_s = to;
}

void OperationsCore::endStep(double now_s) {
  if (readStretches(now_s)) propose(now_s);
}

void OperationsCore::followTo(double at_s) {
  locate::Stretch& last = m_history.back();
  last.to_s = std::min(last.to_s, at_s);
  if (last.to_s - last.from_s < m_o.minStretch_s)
    m_history.pop_back();  // too short to read: hatch work, or a quick change of mind
  else if (!readStretches(at_s))
    return;
  m_history.push_back(
      {m_open, m_crew, at_s + locate::kSettle_s, std::numeric_limits<double>::infinity()});
  m_underWay = true;
  m_readingDue_s = std::numeric_limits<double>::infinity();
}

void OperationsCore::finish() {
  if (!m_o.followLog || m_phase != Phase::Planning || !m_underWay) return;
  locate::Stretch& last = m_history.back();
  last.to_s = std::min(last.to_s, m_now_s);
  if (last.to_s - last.from_s < m_o.minStretch_s) {
    m_history.pop_back();
    m_underWay = false;
    propose(m_now_s);
    return;
  }
  endStep(m_now_s);
}

bool OperationsCore::readStretches(double now_s) {
  // Every stretch is read again with the detector as it now stands, and the belief rebuilt
  // from all of them. With two leaks, a stretch that isolates one sees only its part: the
  // stretch whose losing segments add up to the most tells the total.
  const std::vector<locate::SegmentSeries>& series = m_recorder->series();
  std::vector<std::vector<locate::SegmentReading>> readings;
  m_planningRate = m_alarmRate;
  StepOutcome outcome;
  outcome.step = m_steps;
  for (std::size_t j = 0; j < m_history.size(); ++j) {
    StretchReading r =
        readStretch(m_station, series, m_history[j], m_o.planner.noise, m_reference_pa);
    const locate::LeakRate fromHere = locate::refinedRate(r.outcome, m_alarmRate);
    if (fromHere.mean_kg_s != m_alarmRate.mean_kg_s &&
        (m_planningRate.mean_kg_s == m_alarmRate.mean_kg_s ||
         fromHere.mean_kg_s > m_planningRate.mean_kg_s))
      m_planningRate = fromHere;
    readings.push_back(std::move(r.readings));
    if (j + 1 == m_history.size()) {
      outcome.from_s = m_history[j].from_s;
      outcome.to_s = m_history[j].to_s;
      outcome.segments = std::move(r.outcome);
    }
  }
  m_belief.emplace(m_station, m_suspects, m_o.prior);
  for (const std::vector<locate::SegmentReading>& rs : readings)
    m_belief->update(rs, m_planningRate);
  const double to = m_history.back().to_s;
  m_pressure.assign(m_station.modules.size(), m_facts.pressure_pa);
  for (const locate::SegmentSeries& x : series)
    if (!x.points.empty() && x.points.back().time_s >= to - m_o.detector.blockPeriod_s &&
        x.points.back().pressure_pa > 0.0)
      for (int m : x.modules) m_pressure[static_cast<std::size_t>(m)] = x.points.back().pressure_pa;
  ++m_steps;
  m_underWay = false;
  m_proposal.reset();
  m_observer->onStepOutcome(outcome);
  m_observer->onPosterior({now_s, posteriorOf(0.0), m_belief->twoLeakMass()});

  const locate::Verdict v = locate::verdictOf(*m_belief, m_o.stopProbability);
  if (!v.modules.empty()) {
    m_phase = Phase::Cornered;
    m_localized = v.modules;
    m_observer->onCornered({now_s, idsOf(m_station, v.modules), v.probability});
    return false;
  }
  if (m_steps >= m_o.maxSteps) {
    m_phase = Phase::NoSafeTest;
    m_observer->onNoSafeTest({now_s, "the step limit is reached", posteriorOf(0.01)});
    return false;
  }
  return true;
}

bool OperationsCore::partOfProposal(const LoggedAction& action) const {
  if (!m_proposal) return false;
  for (const Operation& o : m_proposal->step.operations) {
    if (const auto* h = std::get_if<detect::LoggedHatch>(&action)) {
      const bool kindMatches =
          h->open ? o.kind == OperationKind::EqualiseThenOpen : o.kind == OperationKind::CloseHatch;
      if (kindMatches && o.subject == m_station.hatches[static_cast<std::size_t>(h->hatch)].id)
        return true;
    }
    if (const auto* c = std::get_if<detect::LoggedCrewMove>(&action))
      if (o.kind == OperationKind::CrewMove &&
          o.subject == m_station.crew[static_cast<std::size_t>(c->crew)].id &&
          o.to == m_station.modules[static_cast<std::size_t>(c->module)].id)
        return true;
  }
  return false;
}

void OperationsCore::log(const LoggedAction& action) {
  const double at = timeOf(action);
  bool moved = false;  // the configuration or the crew changed (a repeated entry changes nothing)
  if (const auto* h = std::get_if<detect::LoggedHatch>(&action)) {
    if (h->hatch < 0 || static_cast<std::size_t>(h->hatch) >= m_open.size()) return;
    moved = m_open[static_cast<std::size_t>(h->hatch)] != h->open;
    m_open[static_cast<std::size_t>(h->hatch)] = h->open;
  }
  if (const auto* c = std::get_if<detect::LoggedCrewMove>(&action)) {
    if (c->crew < 0 || static_cast<std::size_t>(c->crew) >= m_crew.size() || c->module < 0 ||
        static_cast<std::size_t>(c->module) >= m_station.modules.size())
      return;
    moved = m_crew[static_cast<std::size_t>(c->crew)] != c->module;
    m_crew[static_cast<std::size_t>(c->crew)] = c->module;
  }
  append(m_log, action);
  // The detector takes an entry of the block in progress as it runs; an older one needs a new
  // detector over the kept telemetry, before the next sample.
  if (!m_stale && !std::visit([&](const auto& e) { return m_recorder->addLogged(e); }, action))
    m_stale = true;
  if (std::holds_alternative<detect::LoggedPatch>(action)) startRepair(at);
  if (!moved || m_phase != Phase::Planning) return;
  if (m_o.followLog) {
    followTo(at);
    return;
  }
  if (m_underWay) {
    // The station changed under a reading: what was read so far still counts, and the next
    // step is planned from the configuration the log now shows.
    m_history.back().to_s = std::min(m_history.back().to_s, at);
    m_underWay = false;
    m_proposal.reset();
    propose(std::max(at, m_now_s));
    return;
  }
  if (!m_proposal) return;
  if (m_open == m_proposal->test.open && m_crew == m_proposal->crew) {
    beginStep(at);
    return;
  }
  if (partOfProposal(action)) return;  // under way: wait for the rest
  m_proposal.reset();
  propose(std::max(at, m_now_s));
}

void OperationsCore::startRepair(double patch_s) {
  if (!m_localized.empty())
    m_repairModules = m_localized;
  else if (!m_suspects.empty())
    m_repairModules = m_suspects;
  else
    return;  // a patch with no incident: nothing of ours to verify
  m_patch_s = patch_s;
  m_verifyTarget_kg_s = m_o.verify.target_kg_s;
  if (m_o.verifyTargetShare > 0.0)
    m_verifyTarget_kg_s = std::max(m_verifyTarget_kg_s, m_o.verifyTargetShare * m_rate_kg_s);
  m_verdict.reset();
  verify::VerifyOptions options = m_o.verify;
  options.target_kg_s = m_verifyTarget_kg_s;
  m_verifyLooks.emplace(options, 10.0 * m_o.detector.blockPeriod_s);
  m_trendChanges = 0;
  // From the patch on (a rebuild before the next sample watches it from the start).
  m_repair->watch(m_repairModules, m_patch_s);
}

void OperationsCore::watchRepair(double time_s) {
  m_repair->takeNewPoints();
  // Verify at planned looks until it decides (verify/sequential_verify.hpp): the fit is over
  // all points since the patch.
  if (!m_verdict && m_repair->points().size() >= 3) {
    const std::optional<verify::VerifyResult> r =
        m_verifyLooks->lookIfDue(time_s - m_patch_s, m_repair->points(), m_repair->noise());
    if (r && r->valid && r->verdict != verify::Verdict::Undecided) {
      m_verdict = RepairVerdict{time_s, idsOf(m_station, m_repair->segment()), *r};
      m_observer->onRepairVerdict(*m_verdict);
    }
  }
  // After the verdict, the trend: its changes appear as periods close.
  if (!m_verdict) return;
  const long period = static_cast<long>(std::floor(time_s / m_o.trend.period_s));
  if (period == m_period) return;
  m_period = period;
  const std::vector<RepairWatch::Change> changes = m_repair->changesSincePatch();
  for (; m_trendChanges < changes.size(); ++m_trendChanges)
    m_observer->onTrendChange(
        {idsOf(m_station, changes[m_trendChanges].segment), changes[m_trendChanges].change});
}

std::vector<ModuleProbability> OperationsCore::posteriorOf(double floor) const {
  std::vector<ModuleProbability> out;
  if (!m_belief) return out;
  const std::vector<double> p = m_belief->moduleMarginal();
  for (std::size_t m = 0; m < p.size(); ++m)
    if (p[m] >= floor) out.push_back({m_station.modules[m].id, p[m]});
  return out;
}

std::vector<detect::SegmentStatus> OperationsCore::segments() const {
  return m_recorder->detector().segments();
}

const std::vector<detect::SensorFault>& OperationsCore::sensorFaults() const {
  return m_recorder->sensorFaults();
}

const std::vector<locate::SegmentSeries>& OperationsCore::series() const {
  return m_recorder->series();
}

const verify::TrendBuilder& OperationsCore::trend() const { return m_repair->trend(); }

OperationsStatus OperationsCore::status() const {
  OperationsStatus s;
  s.phase = m_phase;
  s.time_s = m_now_s;
  s.alarm = m_alarm;
  s.localized = idsOf(m_station, m_localized);
  s.posterior = posteriorOf(0.0);
  if (m_proposal) s.proposed.push_back(m_proposal->step);
  if (m_underWay) s.readingDue_s = m_readingDue_s;
  s.stopProvisional = m_phase == Phase::NoSafeTest && m_stopProvisional;
  s.verifying = !m_repairModules.empty() && !m_verdict;
  s.repair = m_verdict;
  return s;
}

}  // namespace leakhunt::ops
