#include "locate/drill.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include "detect/logged_events.hpp"
#include "locate/plan_tree.hpp"
#include "locate/segment_recorder.hpp"
#include "locate/stretch.hpp"

namespace leakhunt::locate {
namespace {

constexpr double kBlock_s = 60.0;
constexpr double kLeadIn_s = 2.0 * 3600.0;

class Feed final : public sim::RunObserver {
 public:
  Feed(const model::Scenario& world, const detect::DetectorOptions& options, double recordFrom_s)
      : m_world(world), m_options(options), m_recordFrom_s(recordFrom_s) {}
  void begin(const telemetry::ChannelTable& tm, const telemetry::ChannelTable&) override {
    std::vector<std::string> names;
    for (std::size_t c = 0; c < tm.size(); ++c) names.push_back(tm.name(static_cast<int>(c)));
    recorder = std::make_unique<SegmentRecorder>(m_world.station, names,
                                                 detect::loggedEventsOf(m_world, m_world.station),
                                                 m_options, m_recordFrom_s);
  }
  void telemetry(const telemetry::Sample& s) override { recorder->onSample(s); }
  std::unique_ptr<SegmentRecorder> recorder;

 private:
  const model::Scenario& m_world;
  const detect::DetectorOptions& m_options;
  double m_recordFrom_s;
};

// Runs the world from its start to `until_s` (seconds since the start) and returns what the
// detector saw. Each call replays from the settled state: the runner has no mid-run state, so
// a closed loop re-simulates its past with the events it has added since (deterministic).
Result<std::unique_ptr<SegmentRecorder>> observe(model::Scenario world, double until_s,
                                                 const DrillOptions& o, double recordFrom_s) {
  world.duration_s = until_s;
  Feed feed(world, o.detector, recordFrom_s);
  sim::RunOptions ro = o.sim;
  ro.emitTruth = false;
  ro.emitTelemetry = true;
  Result<sim::RunResult> r = sim::runScenario(world, ro, feed);
  if (!r) return r.error();
  feed.recorder->finish();
  return std::move(feed.recorder);
}

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

void addEvent(model::Scenario& world, double t, model::EventAction action) {
  model::Event e;
  e.time_s = t;
  e.action = std::move(action);
  auto at = std::upper_bound(world.events.begin(), world.events.end(), t,
                             [](double v, const model::Event& ev) { return v < ev.time_s; });
  world.events.insert(at, std::move(e));
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

  // 1. Wait for the alarm: a short look first, then the rest of the window.
  std::unique_ptr<SegmentRecorder> seen;
  for (double horizon : {onset + 7200.0, onset + o.detectWithin_s}) {
    Result<std::unique_ptr<SegmentRecorder>> r = observe(world, horizon, o, 1e300);
    if (!r) return r.error();
    seen = std::move(r).value();
    if (!seen->alarms().empty()) break;
  }
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
  double now = std::ceil((out.alarm_s - start) / kBlock_s) * kBlock_s;
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
        addEvent(
            world, now,
            model::CrewMoveEvent{st.crew[k].id, st.modules[static_cast<std::size_t>(to[k])].id});
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
    double t = now;
    for (const HatchChange& c : test->changes) {
      const model::Hatch& h = st.hatches[static_cast<std::size_t>(c.hatch)];
      t += h.operateTime_s + (c.open ? o.planner.rules.equalise_s : 0.0);
      addEvent(world, t, model::HatchEvent{h.id, c.open});
      ds.operations.push_back((c.open ? "equalise and open " : "close ") + h.id);
    }
    out.hatchOperations += static_cast<int>(test->changes.size());
    ds.switch_s = test->switch_s;
    ds.settle_s = test->changes.empty() ? 0.0 : kSettle_s;
    ds.dwell_s = test->dwell_s;
    ds.expectedBits = test->expectedBits;
    const double from = now + test->switch_s + ds.settle_s;
    const double to = from + test->dwell_s;
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
        observe(world, to + kBlock_s, o, start + history.front().from_s - kBlock_s);
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
  for (const model::Event& e : world.events)
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

}  // namespace leakhunt::locate
