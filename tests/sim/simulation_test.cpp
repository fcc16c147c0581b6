// A simulation continued step by step, given its events as it goes, against the one-shot run of
// the same scenario with the same events, and against closed forms across an added event.
#include "sim/simulation.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <numbers>
#include <set>

#include "gas/species.hpp"
#include "model/load.hpp"

namespace leakhunt::sim {
namespace {

const std::string kData = std::string(LEAKHUNT_SOURCE_DIR) + "/data/";

class Recorder : public RunObserver {
 public:
  std::vector<telemetry::Sample> telemetrySamples, truthSamples;
  void telemetry(const telemetry::Sample& s) override { telemetrySamples.push_back(s); }
  void truth(const telemetry::Sample& s) override { truthSamples.push_back(s); }
};

// The two-module article (50 and 30 m^3, one 0.8 m hatch), `hours` long, with `events`. The
// gas temperature is held exactly at its set point, so the closed forms hold.
model::Scenario article(const std::string& events, double hours) {
  const std::string text =
      "name: test\nstation: ../stations/two-module.yaml\n"
      "start: 2020-01-01T00:00:00Z\nduration: " +
      std::to_string(hours) + " h\nseed: 7\noutput_period: 10 s\n" + events;
  auto s = model::parseScenario(text, "test.yaml", kData + "scenarios");
  if (!s) throw std::runtime_error(s.error().message);
  model::Scenario sc = std::move(s).value();
  sc.station.temperatureUnmeasured_k = 0.0;
  return sc;
}

RunOptions quickOptions() {
  RunOptions o;
  o.emitTruth = true;
  o.spinUp_s = 0.0;
  return o;
}

model::Event at(double t_s, model::EventAction action) { return {t_s, std::move(action), {}}; }

// What people do in the runs below, in time order: close the hatch, repress module-b, patch the
// hole, move nobody (the article has no crew), and open the hatch again.
std::vector<model::Event> actions() {
  model::RepressEvent repress;
  repress.module = "module-b";
  repress.composition = gas::toMassFractions({0.7808, 0.2095, 0.0004, 0.0, 0.0093});
  repress.mass_kg = 2.0;
  repress.duration_s = 600.0;
  model::PatchEvent patch;
  patch.leak = "hole";
  patch.residualCda_m2 = 1e-8;
  return {at(1800.0, model::HatchEvent{"hatch-ab", false}), at(3000.0, repress), at(4321.0, patch),
          at(5400.0, model::HatchEvent{"hatch-ab", true})};
}

const std::string kHole =
    "events:\n  - {at: +5 min, leak: {id: hole, module: module-a, diameter: 2 mm}}\n";

double worstRelative(const std::vector<telemetry::Sample>& a,
                     const std::vector<telemetry::Sample>& b) {
  EXPECT_EQ(a.size(), b.size());
  double worst = 0.0;
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    EXPECT_EQ(a[i].time_s, b[i].time_s);
    EXPECT_EQ(a[i].channel, b[i].channel);
    const double scale = std::max(std::abs(a[i].value), 1e-3);
    worst = std::max(worst, std::abs(a[i].value - b[i].value) / scale);
  }
  return worst;
}

Recorder oneShot(model::Scenario sc, const RunOptions& o) {
  for (const model::Event& e : actions()) {
    auto pos = std::upper_bound(sc.events.begin(), sc.events.end(), e.time_s,
                                [](double v, const model::Event& x) { return v < x.time_s; });
    sc.events.insert(pos, e);
  }
  Recorder r;
  EXPECT_TRUE(runScenario(sc, o, r));
  return r;
}

TEST(Simulation, told_its_events_as_it_goes_it_emits_what_the_one_shot_run_does) {
  const model::Scenario sc = article(kHole, 2.0);
  const RunOptions o = quickOptions();
  const Recorder whole = oneShot(sc, o);
  Recorder stepped;
  Result<Simulation> sim = Simulation::start(sc, o, stepped);
  ASSERT_TRUE(sim) << sim.error().message;
  for (const model::Event& e : actions()) {
    // Advance to the event's own time, then tell the simulation: it acts from there on.
    ASSERT_TRUE(sim.value().advanceTo(e.time_s));
    ASSERT_TRUE(sim.value().add(e));
  }
  ASSERT_TRUE(sim.value().advanceTo(sim->end_s()));
  ASSERT_GT(whole.telemetrySamples.size(), 2000u);
  // The continued run stops CVODE at an event only once told of it, when CVODE's own step has
  // usually gone past: its state there is CVODE's interpolant, not a step. The two runs then
  // differ by the integration error itself (rtol 1e-8 per step; 7.2e-8 at worst, measured).
  const double truth = worstRelative(whole.truthSamples, stepped.truthSamples);
  std::printf("worst relative difference of truth: %.3g\n", truth);
  RecordProperty("worst_relative_difference", std::to_string(truth));
  EXPECT_LT(truth, 2e-7);
  // Sensors draw the same noise; a reading near a rounding edge may go to the next step.
  const double resolution = 0.1 * gas::kMmHg_pa;
  ASSERT_EQ(whole.telemetrySamples.size(), stepped.telemetrySamples.size());
  int differ = 0;
  for (std::size_t i = 0; i < whole.telemetrySamples.size(); ++i) {
    const double d = std::abs(whole.telemetrySamples[i].value - stepped.telemetrySamples[i].value);
    EXPECT_LE(d, resolution * (1.0 + 1e-9)) << i;
    differ += d > 0.0 ? 1 : 0;
  }
  EXPECT_LT(differ, static_cast<int>(whole.telemetrySamples.size() / 1000));
}

TEST(Simulation, events_told_before_the_first_advance_give_the_one_shot_run_exactly) {
  const model::Scenario sc = article(kHole, 2.0);
  const RunOptions o = quickOptions();
  const Recorder whole = oneShot(sc, o);
  Recorder told;
  Result<Simulation> sim = Simulation::start(sc, o, told);
  ASSERT_TRUE(sim);
  for (const model::Event& e : actions()) ASSERT_TRUE(sim.value().add(e));
  ASSERT_TRUE(sim.value().advanceTo(sim->end_s()));
  EXPECT_EQ(worstRelative(whole.truthSamples, told.truthSamples), 0.0);
  EXPECT_EQ(worstRelative(whole.telemetrySamples, told.telemetrySamples), 0.0);
}

// Total gas of the article from the truth at one output: sum over modules and species of
// pp_s V M_s / (R_u T).
double articleMass(const RunResult& run, const std::vector<telemetry::Sample>& truth, double t) {
  double mass = 0.0;
  for (const auto& [module, volume] : {std::pair{"module-a", 50.0}, {"module-b", 30.0}}) {
    const std::string m = module;
    double temperature = 0.0;
    for (const telemetry::Sample& s : truth)
      if (s.time_s == t && run.truthChannels.name(s.channel) == m + ".temperature")
        temperature = s.value;
    for (const gas::SpeciesData& sp : gas::kSpecies)
      for (const telemetry::Sample& s : truth)
        if (s.time_s == t && run.truthChannels.name(s.channel) == m + ".pp" + std::string(sp.name))
          mass +=
              s.value * volume * sp.molarMass_kg_mol / (gas::kUniversalGasConstant * temperature);
  }
  return mass;
}

TEST(Simulation, an_added_repress_adds_its_mass_and_nothing_else) {
  const model::Scenario sc = article("events: []\n", 1.0);
  RunOptions o = quickOptions();
  o.relativeTolerance = 1e-10;
  Recorder r;
  Result<Simulation> sim = Simulation::start(sc, o, r);
  ASSERT_TRUE(sim);
  ASSERT_TRUE(sim.value().advanceTo(600.0));
  ASSERT_TRUE(sim.value().add(at(600.0, model::HatchEvent{"hatch-ab", false})));
  ASSERT_TRUE(sim.value().advanceTo(1200.0));
  model::RepressEvent repress;
  repress.module = "module-b";
  repress.composition = gas::toMassFractions({0.7808, 0.2095, 0.0004, 0.0, 0.0093});
  repress.mass_kg = 1.5;
  repress.duration_s = 300.0;
  repress.error_fraction = 0.0;  // delivered as logged
  ASSERT_TRUE(sim.value().add(at(1200.0, repress)));
  ASSERT_TRUE(sim.value().advanceTo(2400.0));
  ASSERT_TRUE(sim.value().add(at(2400.0, model::HatchEvent{"hatch-ab", true})));
  ASSERT_TRUE(sim.value().advanceTo(sim->end_s()));
  const RunResult run = sim->summary();
  const double start = static_cast<double>(sc.startUnix_s);
  const double m0 = articleMass(run, r.truthSamples, start);
  const double m1 = articleMass(run, r.truthSamples, start + 1200.0);
  const double m2 = articleMass(run, r.truthSamples, start + 3600.0);
  EXPECT_NEAR(m1, m0, 1e-9 * m0);  // a closed hatch moves no gas in or out
  EXPECT_NEAR(m2 - m0, 1.5, 1e-6);
  // Reopened, the article is one volume again at p0 (M0 + 1.5) / M0, the temperature unchanged.
  const double p0 = sc.station.atmosphere.pressure_pa;
  for (double p : run.finalPressures_pa) EXPECT_NEAR(p, p0 * (m0 + 1.5) / m0, 1e-6 * p0);
}

// physics.md 2: an isothermal choked leak from a closed volume V decays as exp(-t / tau),
// tau = V / (CdA sqrt(gamma R T) (2/(gamma+1))^((gamma+1)/(2(gamma-1)))). Open, the hole drains
// 80 m^3; once the hatch is closed mid-run, only module-a's 50 m^3, and module-b keeps its gas.
TEST(Simulation, a_hatch_closed_mid_run_splits_the_choked_decay_as_the_closed_form_says) {
  const model::Scenario sc = article(
      "events:\n  - {at: 0 s, leak: {id: hole, module: module-a, diameter: 5 mm, cd: 0.65}}\n",
      3.0);
  const double cda = std::get<model::LeakEvent>(sc.events.front().action).cda_m2;
  const gas::MassFractions w = gas::toMassFractions(sc.station.atmosphere.composition);
  gas::SpeciesMasses masses{};
  for (std::size_t s = 0; s < gas::kSpeciesCount; ++s) masses[s] = w[s];
  const gas::MixtureProperties air = gas::mixtureProperties(masses);
  const double g = air.gamma, temp = sc.station.atmosphere.temperature_k;
  const double rate = cda * std::sqrt(g * air.r_j_kgk * temp) *
                      std::pow(2.0 / (g + 1.0), (g + 1.0) / (2.0 * (g - 1.0)));
  const double tauBoth = 80.0 / rate, tauA = 50.0 / rate;

  RunOptions o = quickOptions();
  o.relativeTolerance = 1e-10;
  Recorder r;
  Result<Simulation> sim = Simulation::start(sc, o, r);
  ASSERT_TRUE(sim);
  const double closeAt = 3600.0, end = sim->end_s();
  ASSERT_TRUE(sim.value().advanceTo(closeAt));
  ASSERT_TRUE(sim.value().add(at(closeAt, model::HatchEvent{"hatch-ab", false})));
  ASSERT_TRUE(sim.value().advanceTo(end));
  const RunResult run = sim->summary();
  const double p0 = sc.station.atmosphere.pressure_pa;
  const double atClose = p0 * std::exp(-closeAt / tauBoth);
  const double a = run.finalPressures_pa[0], b = run.finalPressures_pa[1];
  EXPECT_NEAR(a, atClose * std::exp(-(end - closeAt) / tauA), 1e-6 * p0);
  EXPECT_NEAR(b, atClose, 1e-6 * p0);
  EXPECT_LT(a, b - 1000.0);  // the hole did drain module-a after the closure
}

TEST(Simulation, refuses_the_past_the_unknown_and_the_worlds_own_events) {
  const model::Scenario sc = article(kHole, 1.0);
  Recorder r;
  Result<Simulation> sim = Simulation::start(sc, quickOptions(), r);
  ASSERT_TRUE(sim);
  ASSERT_TRUE(sim.value().advanceTo(900.0));
  EXPECT_FALSE(sim.value().add(at(899.0, model::HatchEvent{"hatch-ab", false})));
  EXPECT_FALSE(sim.value().add(at(900.0, model::HatchEvent{"hatch-xy", false})));
  EXPECT_FALSE(sim.value().add(at(900.0, model::PatchEvent{"no-such-hole"})));
  model::LeakEvent leak;
  leak.id = "second";
  leak.module = "module-b";
  leak.cda_m2 = 1e-6;
  EXPECT_FALSE(sim.value().add(at(900.0, leak)));
  EXPECT_FALSE(sim.value().add(at(7200.0, model::HatchEvent{"hatch-ab", false})));
  EXPECT_FALSE(sim.value().advanceTo(800.0));
  EXPECT_FALSE(sim.value().advanceTo(7200.0));
  EXPECT_TRUE(sim.value().add(at(900.0, model::HatchEvent{"hatch-ab", false})));
}

TEST(Simulation, a_hatch_operation_lands_after_its_operate_time) {
  const model::Scenario sc = article("events: []\n", 1.0);
  const double operate = sc.station.hatches[0].operateTime_s;
  Result<model::Event> close = hatchOperation(sc.station, "hatch-ab", false, 100.0, 60.0);
  ASSERT_TRUE(close);
  EXPECT_EQ(close->time_s, 100.0 + operate);  // no equalising before a closure
  Result<model::Event> open = hatchOperation(sc.station, "hatch-ab", true, 100.0, 60.0);
  ASSERT_TRUE(open);
  EXPECT_EQ(open->time_s, 100.0 + operate + 60.0);
  EXPECT_FALSE(hatchOperation(sc.station, "hatch-xy", true, 0.0));
}

// Asked for pressures only, the runner forms no other channel (issue 15) and emits exactly
// the pressures of a run that forms them all, on both paths: the same sum, to the bit.
TEST(Simulation, pressures_only_truth_is_the_full_truths_pressures) {
  const model::Scenario sc = article(kHole, 1.0);
  for (const Solver solver : {Solver::Full, Solver::Reduced}) {
    RunOptions o = quickOptions();
    o.solver = solver;
    o.emitTelemetry = false;
    Recorder all, pressures;
    ASSERT_TRUE(runScenario(sc, o, all));
    o.truthPressuresOnly = true;
    ASSERT_TRUE(runScenario(sc, o, pressures));
    std::set<int> channels;
    for (const telemetry::Sample& p : pressures.truthSamples) channels.insert(p.channel);
    EXPECT_EQ(channels.size(), 2u);  // the two modules' pressures
    std::vector<telemetry::Sample> wanted;
    for (const telemetry::Sample& a : all.truthSamples)
      if (channels.count(a.channel) > 0) wanted.push_back(a);
    ASSERT_EQ(wanted.size(), pressures.truthSamples.size());
    ASSERT_GT(wanted.size(), 600u);
    for (std::size_t i = 0; i < wanted.size(); ++i) {
      EXPECT_EQ(wanted[i].time_s, pressures.truthSamples[i].time_s);
      EXPECT_EQ(wanted[i].channel, pressures.truthSamples[i].channel);
      EXPECT_EQ(wanted[i].value, pressures.truthSamples[i].value) << i;
    }
  }
}

}  // namespace
}  // namespace leakhunt::sim
