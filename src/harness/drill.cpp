#include "harness/drill.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>

#include "detect/logged_events.hpp"
#include "harness/scenario_log.hpp"
#include "locate/plan_tree.hpp"
#include "locate/segment_recorder.hpp"
#include "locate/stretch.hpp"
#include "sim/simulation.hpp"

namespace leakhunt::harness {

// The drill runs the localisation estimators; their names read as the domain's here.
using namespace leakhunt::locate;

namespace {

constexpr double kBlock_s = 60.0;
constexpr double kLeadIn_s = 2.0 * 3600.0;

// Feeds the detector the simulated telemetry, as a live station's would be.
class Feed final : public sim::RunObserver {
 public:
  Feed(const model::Scenario& world, const detect::DetectorOptions& options, double recordFrom_s)
      : m_world(world), m_options(options), m_recordFrom_s(recordFrom_s) {}
  void begin(const telemetry::ChannelTable& tm, const telemetry::ChannelTable&) override {
    for (std::size_t c = 0; c < tm.size(); ++c) names.push_back(tm.name(static_cast<int>(c)));
    recorder = std::make_unique<SegmentRecorder>(m_world.station, names,
                                                 loggedEventsOf(m_world, m_world.station),
                                                 m_options, m_recordFrom_s);
  }
  void telemetry(const telemetry::Sample& s) override {
    if (keep) tape.push_back(s);
    if (recorder) recorder->onSample(s);
  }
  std::vector<std::string> names;
  std::unique_ptr<SegmentRecorder> recorder;
  bool keep = false;                    // keep every sample, to read again with a newer log
  std::vector<telemetry::Sample> tape;  // what the sensors sent, in time order

 private:
  const model::Scenario& m_world;
  const detect::DetectorOptions& m_options;
  double m_recordFrom_s;
};

// The outside world of a drill: the simulated station, which the drill's events change, and
// a detector that reads its telemetry with the station's log as it stands. Times are seconds
// since the world's start.
class World {
 public:
  virtual ~World() = default;
  // Runs until the detector's first alarm (a first look at `firstLook_s`, then on to `until_s`
  // without one); what the detector saw.
  virtual Result<std::unique_ptr<SegmentRecorder>> awaitAlarm(double firstLook_s,
                                                              double until_s) = 0;
  // The earliest time a new event may be stamped.
  virtual double now_s() const = 0;
  virtual double end_s() const = 0;
  virtual Result<bool> add(model::Event event) = 0;
  // Runs to `until_s` and reads the telemetry from the start with the log as it now stands,
  // keeping segment series from `recordFrom_s` (Unix time).
  virtual Result<std::unique_ptr<SegmentRecorder>> observe(double until_s, double recordFrom_s) = 0;
  virtual const model::Scenario& scenario() const = 0;  // with the events added so far
};

// The world continued: the simulation advances from where it stood, and the detector reads
// the kept telemetry again at each step (it takes the log only at its start: the drill's
// hatch operations must be in it before the blocks they fall in).
class ContinuingWorld final : public World {
 public:
  // The live recorder only watches for the alarm: it keeps no segment series.
  ContinuingWorld(const model::Scenario& world, const DrillOptions& o)
      : m_world(world), m_feed(world, o.detector, 1e300), m_options(o) {}
  Result<bool> start() {
    sim::RunOptions ro = m_options.sim;
    ro.emitTruth = false;
    ro.emitTelemetry = true;
    Result<sim::Simulation> s = sim::Simulation::start(m_world, ro, m_feed);
    if (!s) return s.error();
    m_sim.emplace(std::move(s).value());
    return true;
  }
  Result<std::unique_ptr<SegmentRecorder>> awaitAlarm(double, double until_s) override {
    // Block by block, so the world stops at the end of the block that raised the alarm and
    // the crew's first moves can be stamped there.
    const double start = static_cast<double>(m_sim->scenario().startUnix_s);
    const double block = m_options.detector.blockPeriod_s;
    m_feed.keep = true;
    while (m_sim->time_s() < until_s) {
      const double next = (std::floor((start + m_sim->time_s()) / block) + 1.0) * block - start;
      if (Result<bool> r = m_sim->advanceTo(std::min(next, until_s)); !r) return r.error();
      if (!m_feed.recorder->alarms().empty()) break;
    }
    if (m_feed.recorder->alarms().empty()) m_feed.recorder->finish();
    return std::move(m_feed.recorder);
  }
  double now_s() const override { return m_sim->time_s(); }
  double end_s() const override { return m_sim->end_s(); }
  Result<bool> add(model::Event event) override { return m_sim->add(std::move(event)); }
  Result<std::unique_ptr<SegmentRecorder>> observe(double until_s, double recordFrom_s) override {
    if (Result<bool> r = m_sim->advanceTo(until_s); !r) return r.error();
    const model::Scenario& w = m_sim->scenario();
    auto rec = std::make_unique<SegmentRecorder>(
        w.station, m_feed.names, loggedEventsOf(w, w.station), m_options.detector, recordFrom_s);
    // Not finished: the block in progress at until_s has not been seen whole.
    for (const telemetry::Sample& s : m_feed.tape) rec->onSample(s);
    return rec;
  }
  const model::Scenario& scenario() const override { return m_sim->scenario(); }

 private:
  const model::Scenario& m_world;  // as it started; the simulation keeps the events added since
  Feed m_feed;
  const DrillOptions& m_options;
  std::optional<sim::Simulation> m_sim;
};

// The world re-simulated from the settled state at every look, with every event added so far
// (deterministic: same seed, same noise). Its cost grows with the square of the steps; kept as
// the peer of bench/drill_continue.cpp (DrillOptions::resimulate).
class ReplayingWorld final : public World {
 public:
  ReplayingWorld(model::Scenario world, const DrillOptions& o)
      : m_world(std::move(world)), m_options(o) {}
  Result<std::unique_ptr<SegmentRecorder>> awaitAlarm(double firstLook_s, double until_s) override {
    std::unique_ptr<SegmentRecorder> seen;
    for (double horizon : {firstLook_s, until_s}) {
      Result<std::unique_ptr<SegmentRecorder>> r = run(horizon, 1e300);
      if (!r) return r.error();
      seen = std::move(r).value();
      if (!seen->alarms().empty()) break;
    }
    return seen;
  }
  double now_s() const override { return 0.0; }
  double end_s() const override { return m_world.duration_s; }
  Result<bool> add(model::Event event) override {
    auto at = std::upper_bound(m_world.events.begin(), m_world.events.end(), event.time_s,
                               [](double v, const model::Event& e) { return v < e.time_s; });
    m_world.events.insert(at, std::move(event));
    return true;
  }
  Result<std::unique_ptr<SegmentRecorder>> observe(double until_s, double recordFrom_s) override {
    return run(until_s + kBlock_s, recordFrom_s);  // one block more, as the drill read it then
  }
  const model::Scenario& scenario() const override { return m_world; }

 private:
  Result<std::unique_ptr<SegmentRecorder>> run(double until_s, double recordFrom_s) const {
    model::Scenario w = m_world;
    w.duration_s = until_s;
    Feed feed(w, m_options.detector, recordFrom_s);
    sim::RunOptions ro = m_options.sim;
    ro.emitTruth = false;
    ro.emitTelemetry = true;
    Result<sim::RunResult> r = sim::runScenario(w, ro, feed);
    if (!r) return r.error();
    feed.recorder->finish();
    return std::move(feed.recorder);
  }

  model::Scenario m_world;
  const DrillOptions& m_options;
};

// The rate the planner sizes its dwells for: the sum of the segments clearly seen losing gas
// (more than 3 sd), once there are any; the alarm's estimate before.
LeakRate refinedRate(const std::vector<SegmentOutcome>& outcome, const LeakRate& before) {
  double total = 0.0, var = 0.0;
  for (const SegmentOutcome& o : outcome)
    if (o.sigma_kg_s > 0.0 && o.rate_kg_s > 3.0 * o.sigma_kg_s) {
      total += o.rate_kg_s;
      var += o.sigma_kg_s * o.sigma_kg_s;
    }
  if (total <= 0.0) return before;
  return {total, std::max(std::sqrt(var), 0.3 * total)};
}

std::vector<std::string> idsOf(const model::Station& st, const std::vector<int>& modules) {
  std::vector<std::string> out;
  for (int m : modules) out.push_back(st.modules[static_cast<std::size_t>(m)].id);
  return out;
}

}  // namespace

Result<std::vector<double>> settledState(const model::Scenario& scenario,
                                         const sim::RunOptions& options) {
  sim::RunOptions ro = options;
  ro.stopAfterSpinUp = true;
  ro.initialState.clear();
  sim::RunObserver none;
  Result<sim::RunResult> r = sim::runScenario(scenario, ro, none);
  if (!r) return r.error();
  return r->initialState;
}

Result<DrillResult> runDrill(const model::Scenario& scenario, const DrillOptions& options,
                             DrillObserver* observer) {
  DrillOptions o = options;
  const model::Station& st = scenario.station;
  const StationFacts facts = factsOf(st);
  DrillResult out;
  out.scenario = scenario.name;
  out.strategy = toString(o.planner.strategy);
  for (const model::Module& m : st.modules) out.moduleIds.push_back(m.id);

  // The hidden truth, kept for scoring only.
  double onset = -1.0;
  for (const model::Event& e : scenario.events)
    if (const auto* leak = std::get_if<model::LeakEvent>(&e.action)) {
      if (onset < 0.0) onset = e.time_s;
      if (std::find(out.truthModules.begin(), out.truthModules.end(), leak->module) ==
          out.truthModules.end())
        out.truthModules.push_back(leak->module);
    }
  if (onset < 0.0) onset = 0.0;
  // The detector needs an hour of reference before it can alarm (docs/detection.md): a scenario
  // whose leak starts sooner gets a quiet lead-in, the world starting earlier, same clock.
  model::Scenario world = scenario;
  const double lead = std::max(0.0, kLeadIn_s - onset);
  world.startUnix_s -= static_cast<int64_t>(std::ceil(lead));
  for (model::Event& e : world.events) e.time_s += std::ceil(lead);
  world.duration_s += std::ceil(lead);
  onset += std::ceil(lead);
  const double start = static_cast<double>(world.startUnix_s);
  out.onset_s = start + onset;

  std::erase_if(world.events, [&](const model::Event& e) {
    return e.time_s >= onset && (std::holds_alternative<model::HatchEvent>(e.action) ||
                                 std::holds_alternative<model::CrewMoveEvent>(e.action));
  });
  if (o.sim.initialState.empty()) {
    Result<std::vector<double>> settled = settledState(world, o.sim);
    if (!settled) return settled.error();
    o.sim.initialState = std::move(settled).value();
  }
  // Long enough for the detection window, the localisation and the longest last dwell.
  world.duration_s = onset + o.detectWithin_s + o.maxLocalise_s + 2.0 * 86400.0;
  std::unique_ptr<World> outside;
  if (o.resimulate) {
    outside = std::make_unique<ReplayingWorld>(world, o);
  } else {
    auto continuing = std::make_unique<ContinuingWorld>(world, o);
    if (Result<bool> r = continuing->start(); !r) return r.error();
    outside = std::move(continuing);
  }

  // 1. Wait for the alarm.
  Result<std::unique_ptr<SegmentRecorder>> alarmed =
      outside->awaitAlarm(onset + 7200.0, onset + o.detectWithin_s);
  if (!alarmed) return alarmed.error();
  const std::unique_ptr<SegmentRecorder> seen = std::move(alarmed).value();
  if (seen->alarms().empty()) {
    out.why = "no alarm within the detection window";
    return out;
  }
  out.detected = true;
  out.alarm_s = seen->alarms().front().alarmTime_s;
  out.alarmRate_kg_s = seen->alarms().front().rate_kg_s;
  if (observer != nullptr) observer->onAlarm(out);
  const std::vector<int> suspects = seen->alarmSegments().front();
  Belief belief(st, suspects, o.prior);
  const LeakRate rate{out.alarmRate_kg_s, std::max(seen->alarms().front().rateSigma_kg_s,
                                                   o.rateSigmaFraction * out.alarmRate_kg_s)};

  // 2. State of the station at the alarm, from what the log says.
  // The crew acts from the end of the alarm's block, and never before the world's own time.
  double now = std::max(std::ceil((out.alarm_s - start) / kBlock_s) * kBlock_s, outside->now_s());
  HatchSet current = declaredHatches(st);
  CrewPlaces crew = declaredCrewPlaces(st);
  for (const model::Event& e : world.events) {
    if (e.time_s > now) break;
    if (const auto* h = std::get_if<model::HatchEvent>(&e.action))
      current[static_cast<std::size_t>(st.hatchIndex(h->hatch))] = h->open;
    if (const auto* c = std::get_if<model::CrewMoveEvent>(&e.action))
      for (std::size_t k = 0; k < st.crew.size(); ++k)
        if (st.crew[k].id == c->crew) crew[k] = st.moduleIndex(c->module);
  }
  if (o.musterInLifeboats) {
    const CrewPlaces to = musterInLifeboats(st, crew, nullptr);
    for (std::size_t k = 0; k < st.crew.size(); ++k)
      if (to[k] != crew[k])
        if (Result<bool> r =
                outside->add({now,
                              model::CrewMoveEvent{st.crew[k].id,
                                                   st.modules[static_cast<std::size_t>(to[k])].id},
                              {}});
            !r)
          return r.error();
    crew = to;
    now += o.muster_s;
  }
  const double alarmRel = out.alarm_s - start;

  // 3. Test after test. A stretch is a run of steps in one configuration: it is read as one
  // window, since the temperature's slow wander does not average out over repeated short
  // readings of the same segment. The belief is rebuilt from all stretches after each step.
  SafetyQuery safety;
  safety.station = &st;
  safety.facts = &facts;
  safety.crew = &crew;
  const double reference_pa = seen->alarms().front().pressure_pa;
  std::vector<Stretch> history;
  LeakRate planningRate = rate;
  std::vector<double> pressure;
  const auto readStretch = [&](const SegmentRecorder& rec, std::size_t j,
                               std::vector<SegmentOutcome>* shown) {
    const Stretch& s = history[j];
    std::vector<SegmentReading> readings;
    for (const std::vector<int>& modules : segmentsOf(st, s.open).members) {
      const SegmentSeries* best = nullptr;
      for (const SegmentSeries& x : rec.series())
        if (x.modules == modules && x.since_s <= start + s.from_s &&
            (!best || x.since_s > best->since_s))
          best = &x;
      int people = 0;
      for (int place : s.crew)
        if (std::find(modules.begin(), modules.end(), place) != modules.end()) ++people;
      SegmentOutcome so;
      so.modules = idsOf(st, modules);
      if (best != nullptr)
        if (auto reading = readWindow(*best, start + s.from_s, start + s.to_s, facts, people,
                                      o.planner.noise, reference_pa)) {
          readings.push_back(*reading);
          so.rate_kg_s = reading->rate_kg_s;
          so.sigma_kg_s = reading->sigma_kg_s;
          so.losing = reading->rate_kg_s > 3.0 * reading->sigma_kg_s;
        }
      if (shown != nullptr) shown->push_back(so);
    }
    return readings;
  };
  for (int step = 0; step < o.maxSteps; ++step) {
    const double held = history.empty() ? 0.0 : history.back().to_s - history.back().from_s;
    PlanState ps{&st, &facts, crew, planningRate, current, step, pressure, held};
    std::string why;
    const std::optional<PlannedTest> test = nextTest(ps, belief, o.planner, &why);
    if (!test) {
      out.inseparable = true;
      out.why = why;
      break;
    }
    DrillStep ds;
    ds.start_s = now - alarmRel;
    ds.closedHatches = closedByPlan(st, test->open);
    ds.switch_s = test->switch_s;
    ds.settle_s = test->changes.empty() ? 0.0 : kSettle_s;
    ds.dwell_s = test->dwell_s;
    ds.expectedBits = test->expectedBits;
    const double from = now + test->switch_s + ds.settle_s;
    const double to = from + test->dwell_s;
    if (to > outside->end_s()) {
      out.why = "time limit reached";
      break;
    }
    // One crew member works the hatches one after another.
    double t = now;
    for (const HatchChange& c : test->changes) {
      const model::Hatch& h = st.hatches[static_cast<std::size_t>(c.hatch)];
      Result<model::Event> e = sim::hatchOperation(st, h.id, c.open, t, o.planner.rules.equalise_s);
      if (!e) return e.error();
      t = e->time_s;
      if (Result<bool> r = outside->add(std::move(e).value()); !r) return r.error();
      ds.operations.push_back((c.open ? "equalise and open " : "close ") + h.id);
    }
    out.hatchOperations += static_cast<int>(test->changes.size());
    if (test->changes.empty() && !history.empty())
      history.back().to_s = to;
    else
      history.push_back({test->open, crew, from, to});
    // Safety is checked again on what is actually done, as a guard against planner bugs.
    std::vector<double> mass = belief.moduleMarginal();
    safety.leakProbability = &mass;
    for (const std::string& v : violations(safety, test->open, 0.0))
      if (v.find("cut off") != std::string::npos) out.crewCutOff = true;

    Result<std::unique_ptr<SegmentRecorder>> r =
        outside->observe(to, start + history.front().from_s - kBlock_s);
    if (!r) return r.error();
    // The rate at an alarm can be several times off for a slow leak; once a segment is clearly
    // losing gas, its reading is the better estimate of the rate, for the belief and the plan.
    // With two leaks, a stretch that isolates one of them sees only its part: the stretch
    // whose losing segments add up to the most tells the total.
    std::vector<std::vector<SegmentReading>> readings;
    planningRate = rate;
    for (std::size_t j = 0; j < history.size(); ++j) {
      std::vector<SegmentOutcome> seen;
      readings.push_back(readStretch(**r, j, &seen));
      const LeakRate fromHere = refinedRate(seen, rate);
      if (fromHere.mean_kg_s != rate.mean_kg_s &&
          (planningRate.mean_kg_s == rate.mean_kg_s || fromHere.mean_kg_s > planningRate.mean_kg_s))
        planningRate = fromHere;
      if (j + 1 == history.size()) ds.outcome = seen;
    }
    belief = Belief(st, suspects, o.prior);
    for (const std::vector<SegmentReading>& rs : readings) belief.update(rs, planningRate);
    pressure.assign(st.modules.size(), facts.pressure_pa);
    for (const SegmentSeries& x : (*r)->series())
      if (!x.points.empty() && x.points.back().time_s >= start + to - kBlock_s &&
          x.points.back().pressure_pa > 0.0)
        for (int m : x.modules) pressure[static_cast<std::size_t>(m)] = x.points.back().pressure_pa;
    ds.posterior = belief.moduleMarginal();
    now = to;
    current = test->open;
    out.steps.push_back(ds);
    out.elapsed_s = now - alarmRel;
    if (observer != nullptr) observer->onStep(out.steps.back(), out);

    const Verdict v = verdictOf(belief, o.stopProbability);
    if (!v.modules.empty()) {
      out.localized = true;
      out.localizedModules = idsOf(st, v.modules);
      out.why = (v.modules.size() == 1 ? "one module holds a leak with probability "
                                       : "two leaks, each with probability at least ") +
                std::to_string(v.probability);
      break;
    }
    if (out.elapsed_s > o.maxLocalise_s) {
      out.why = "time limit reached";
      break;
    }
  }
  out.posterior = belief.moduleMarginal();
  for (std::size_t m = 0; m < out.posterior.size(); ++m)
    if (out.posterior[m] >= 0.01) out.suspects.push_back(st.modules[m].id);
  // What the crew did, on the scenario's own clock (the lead-in taken off).
  for (const model::Event& e : outside->scenario().events)
    if (e.time_s >= onset && (std::holds_alternative<model::HatchEvent>(e.action) ||
                              std::holds_alternative<model::CrewMoveEvent>(e.action))) {
      model::Event action = e;
      action.time_s -= std::ceil(lead);
      out.actions.push_back(std::move(action));
    }
  if (!out.truthModules.empty()) {
    std::vector<std::string> a = out.localizedModules, b = out.truthModules;
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    out.correct = out.localized && a == b;
  }
  return out;
}

}  // namespace leakhunt::harness
