#include "sim/simulation.hpp"

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "gas/humidity.hpp"
#include "network/segment_reduction.hpp"
#include "network/thermal_grid.hpp"
#include "sim/network_builder.hpp"
#include "sim/segment_summary.hpp"
#include "sim/sensors.hpp"

namespace leakhunt::sim {

namespace {

constexpr uint64_t kSensorPurpose = 5;

// Times closer than this are the same instant: grid times are k * step, callers' times sums.
double slack(double t) { return 1e-9 * std::max(1.0, std::abs(t)); }

bool onGrid(double t, double period) {
  const double k = std::round(t / period);
  return std::abs(t - k * period) < 1e-6 * std::max(1.0, period);
}

// The module (or hatch, for a hatch-state sensor) a sensor reads, looked up once per run: at
// every output time per sensor, a search by id made simulation grow as modules squared.
int sensorTarget(const model::Station& st, const model::Sensor& sensor) {
  return sensor.quantity == model::Quantity::HatchState ? st.hatchIndex(sensor.module)
                                                        : st.moduleIndex(sensor.module);
}

// `before`: just before t, where the inputs that jump at an event are read (see outputAt).
double sensorTruth(const network::GasNetwork& net, const std::vector<network::ModuleState>& states,
                   const std::vector<double>& unmeasured_k, const model::Sensor& sensor, int target,
                   double before) {
  if (sensor.quantity == model::Quantity::HatchState)
    return net.inputs().hatches[static_cast<std::size_t>(target)].openAt(before) ? 1.0 : 0.0;
  const auto i = static_cast<std::size_t>(target);
  const network::ModuleState& s = states[i];
  const auto partial = [&](gas::Species sp) {
    double moles = 0.0;
    for (std::size_t k = 0; k < gas::kSpeciesCount; ++k)
      moles += s.masses[k] / gas::kSpecies[k].molarMass_kg_mol;
    return s.pressure_pa *
           (s.masses[gas::index(sp)] / gas::kSpecies[gas::index(sp)].molarMass_kg_mol) / moles;
  };
  switch (sensor.quantity) {
    case model::Quantity::Pressure:
      return s.pressure_pa;
    case model::Quantity::Temperature:
      // The thermometer misses the small unmeasured part of the gas temperature.
      return s.temperature_k - unmeasured_k[i];
    case model::Quantity::PartialPressureO2:
      return partial(gas::Species::O2);
    case model::Quantity::PartialPressureCo2:
      return partial(gas::Species::CO2);
    case model::Quantity::RelativeHumidity:
      // Over liquid water at the gas temperature, in percent. The model lets vapour overshoot
      // saturation by a rounded corner (gas/humidity.hpp) that no hygrometer reports.
      return std::min(model::kPercent, model::kPercent * partial(gas::Species::H2O) /
                                           gas::saturationPressure(s.temperature_k));
    case model::Quantity::HatchState:
      break;
  }
  return 0.0;
}

network::GasNetwork networkOf(const model::Scenario& scenario) {
  BuiltNetwork built = buildNetwork(scenario);
  return network::GasNetwork(std::move(built.geometry), std::move(built.inputs), scenario.thermal);
}

// Why an event cannot be added to a running scenario, or empty.
std::string refusal(const model::Scenario& sc, const model::EventAction& action) {
  const model::Station& st = sc.station;
  return std::visit(
      [&](const auto& a) -> std::string {
        using A = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<A, model::LeakEvent> ||
                      std::is_same_v<A, model::SensorFaultEvent>) {
          return "leaks and sensor faults are the world's own: put them in the scenario";
        } else if constexpr (std::is_same_v<A, model::HatchEvent>) {
          return st.hatchIndex(a.hatch) < 0 ? "unknown hatch '" + a.hatch + "'" : "";
        } else if constexpr (std::is_same_v<A, model::CrewMoveEvent>) {
          if (st.moduleIndex(a.module) < 0) return "unknown module '" + a.module + "'";
          for (const model::CrewMember& c : st.crew)
            if (c.id == a.crew) return "";
          return "unknown crew member '" + a.crew + "'";
        } else if constexpr (std::is_same_v<A, model::PatchEvent>) {
          for (const model::Event& e : sc.events)
            if (const auto* leak = std::get_if<model::LeakEvent>(&e.action))
              if (leak->id == a.leak) return "";
          return "no leak '" + a.leak + "' to patch";
        } else if constexpr (std::is_same_v<A, model::RepressEvent>) {
          if (st.moduleIndex(a.module) < 0) return "unknown module '" + a.module + "'";
          return a.duration_s > 0.0 ? "" : "a repress needs a duration above zero";
        } else if constexpr (std::is_same_v<A, model::TemperatureEvent>) {
          return !a.module.empty() && st.moduleIndex(a.module) < 0
                     ? "unknown module '" + a.module + "'"
                     : "";
        }
      },
      action);
}

}  // namespace

struct Simulation::Impl {
  Impl(const model::Scenario& sc, const RunOptions& o, RunObserver& obs, bool reducedPath)
      : scenario(sc), options(o), observer(&obs), net(networkOf(sc)) {
    if (reducedPath) reduction = std::make_unique<network::SegmentReduction>(net);
    result.solver = reducedPath ? "segment reduction (BDF)" : "full network (BDF)";
  }

  model::Scenario scenario;  // with the added events
  RunOptions options;
  RunObserver* observer;
  network::GasNetwork net;
  std::unique_ptr<network::SegmentReduction> reduction;
  std::unique_ptr<network::Integrator> integrator;
  std::vector<double> y;
  std::vector<double> settled;  // the start state before the segments are equalised
  RunResult result;             // channel tables, initial state, solver
  bool begun = false;

  // Outputs: every output period and sensor period on one grid of `step`; without output,
  // only the start of the last hour and the end (for the summary).
  double step = 1.0;
  bool anyOutput = true;
  long total = 0;
  long next = 0;  // the next output
  double lastHour = 0.0;
  double now = 0.0;
  std::vector<double> yLastHour;

  // Integration restarts at every breakpoint of the inputs. The integrator last restarted at
  // `intervalStart` and stops at breaks[nextBreak] at the latest.
  std::vector<double> breaks;
  std::size_t nextBreak = 0;
  double intervalStart = 0.0;

  std::vector<SensorModel> sensors;
  std::vector<int> sensorChannel, sensorTargets, truthChannel, leakChannel;
  std::vector<network::ModuleState> states;
  std::vector<double> unmeasured, offsets, gas_k;
  std::vector<char> holds;  // per module: holds any gas (pressures-only output)
  // Per module: the gas mass the integrator resolves, the sum of its species' absolute
  // tolerances. Below it the state is rounding, not gas (clampToVacuum).
  std::vector<double> resolvedMass_kg;
  std::vector<network::ThermalGrid> grids;
  // Water condensed on each module's coldest surface since the start [kg], by the trapezoid rule
  // over the output grid (the rate is smooth: it switches on over a rounded corner).
  std::vector<double> condensate_kg, condensationRate_kg_s;
  double lastCondensation_s = 0.0;
  bool condensationStarted = false;

  void rhs(double t, std::span<const double> in, std::span<double> out) {
    if (reduction)
      reduction->rhs(t, in, out);
    else
      net.rhs(t, in, out);
  }

  network::IntegratorOptions integratorOptions() const;
  Result<bool> settle();
  void channels();
  void findBreaks();
  void prime();
  double timeOf(long k) const {
    return anyOutput ? static_cast<double>(k) * step : (k == 0 ? lastHour : scenario.duration_s);
  }
  Result<bool> integrateTo(double t);
  void outputAt(long k, double t);
  void accumulateCondensate(double t);
};

network::IntegratorOptions Simulation::Impl::integratorOptions() const {
  network::IntegratorOptions io;
  // Both paths use BDF with the hatch-graph sparse Jacobian: the reduction is stiff too, since
  // forced ventilation swaps a small module's air within a minute, and explicit-like Adams
  // steps were held to about 25 s by it. For the reduction the pattern leaves out the weak,
  // segment-wide coupling through the common pressure; Newton converges with it regardless.
  io.method = network::Method::StiffBdf;
  io.relativeTolerance = options.relativeTolerance;
  io.absoluteTolerance.resize(net.stateSize());
  std::vector<network::Edge> all;
  for (const network::HatchInput& h : net.inputs().hatches) all.push_back({h.moduleA, h.moduleB});
  io.sparsity = network::blockSparsity(net.moduleCount(), net.stride(), all);
  for (std::size_t i = 0; i < net.moduleCount(); ++i) {
    double mass = 0.0;
    for (std::size_t s = 0; s < gas::kSpeciesCount; ++s) mass += y[i * net.stride() + s];
    for (std::size_t k = 0; k < net.stride(); ++k)
      io.absoluteTolerance[i * net.stride() + k] =
          options.relativeTolerance * 1e-3 *
          (k < gas::kSpeciesCount ? mass : y[i * net.stride() + k]);
  }
  return io;
}

// Start from the declared atmosphere, let CO2 and humidity settle, then bring every module
// back to the declared pressure so the run starts where the description says.
Result<bool> Simulation::Impl::settle() {
  const model::Station& st = scenario.station;
  y.resize(net.stateSize());
  const double t0 = -options.spinUp_s;
  net.uniformState(t0, st.atmosphere.pressure_pa, st.atmosphere.composition, y);
  network::IntegratorOptions io = integratorOptions();
  resolvedMass_kg.assign(net.moduleCount(), 0.0);
  for (std::size_t i = 0; i < net.moduleCount(); ++i)
    for (std::size_t k = 0; k < gas::kSpeciesCount; ++k)
      resolvedMass_kg[i] += io.absoluteTolerance[i * net.stride() + k];
  integrator = std::make_unique<network::Integrator>(
      net.stateSize(),
      [this](double t, std::span<const double> in, std::span<double> out) { rhs(t, in, out); },
      std::move(io));
  if (!options.initialState.empty()) {
    if (options.initialState.size() != y.size())
      return Error{"the given initial state has " + std::to_string(options.initialState.size()) +
                   " entries, the network needs " + std::to_string(y.size())};
    y = options.initialState;
  } else if (options.spinUp_s > 0.0) {
    integrator->restart(t0, y, 0.0);
    auto r = integrator->advance(0.0, y);
    if (!r) return Error{"spin-up: " + r.error().message};
    for (std::size_t i = 0; i < net.moduleCount(); ++i) {
      const double scale = st.atmosphere.pressure_pa / net.moduleState(0.0, y, i).pressure_pa;
      for (std::size_t k = 0; k < net.stride(); ++k) y[i * net.stride() + k] *= scale;
      // Scaling up a saturated module would start it supersaturated (and its condensate with a
      // spike): the excess is taken as already condensed.
      double& vapour = y[i * net.stride() + gas::index(gas::Species::H2O)];
      vapour = std::min(vapour, net.saturatedVapour(i, net.moduleState(0.0, y, i)));
    }
  }
  settled = y;
  return true;
}

void Simulation::Impl::channels() {
  const model::Station& st = scenario.station;
  step = scenario.outputPeriod_s;
  if (options.emitTelemetry)
    for (const model::Sensor& s : st.sensors) step = std::min(step, s.period_s);
  anyOutput = options.emitTelemetry || options.emitTruth;
  lastHour = std::max(0.0, scenario.duration_s - 3600.0);
  total = anyOutput ? static_cast<long>(std::floor(scenario.duration_s / step + 1e-9)) + 1 : 2;
  const auto faults = sensorFaults(scenario);
  for (std::size_t s = 0; s < st.sensors.size(); ++s) {
    sensorTargets.push_back(sensorTarget(st, st.sensors[s]));
    sensors.emplace_back(st.sensors[s], streamSeed(scenario.seed, kSensorPurpose, s), faults[s]);
    sensorChannel.push_back(result.telemetryChannels.intern(st.sensors[s].channel));
  }
  for (const model::Module& m : st.modules) {
    truthChannel.push_back(result.truthChannels.intern(m.id + ".pressure"));
    result.truthChannels.intern(m.id + ".temperature");
    for (const auto& sp : gas::kSpecies)
      result.truthChannels.intern(m.id + ".pp" + std::string(sp.name));
    result.truthChannels.intern(m.id + ".condensate");
  }
  for (const network::LeakInput& l : net.inputs().leaks)
    leakChannel.push_back(result.truthChannels.intern(l.id + ".mass_flow"));
  const std::size_t n = net.moduleCount();
  states.resize(n);
  unmeasured.assign(n, 0.0);
  gas_k.assign(n, 0.0);
  holds.assign(n, 1);
  offsets.assign(n, 0.0);
  condensate_kg.assign(n, 0.0);
  condensationRate_kg_s.assign(n, 0.0);
  for (const network::ModuleThermal& th : net.inputs().thermal) grids.emplace_back(th, step);
}

void Simulation::Impl::findBreaks() {
  breaks.clear();
  for (double b : net.inputs().breakpoints())
    if (b > 0.0 && b < scenario.duration_s) breaks.push_back(b);
  breaks.push_back(scenario.duration_s);
}

// The state at time 0 from the settled cabin, the segments at 0 equalised. Done again when
// events at 0 are added before the first advance, so those act as if the scenario had them.
void Simulation::Impl::prime() {
  y = settled;
  if (reduction) reduction->equalise(0.0, y);
  result.initialState = y;
  yLastHour = y;
  findBreaks();
  nextBreak = 0;
  intervalStart = 0.0;
  integrator->restart(0.0, y, breaks[0]);
}

// To t, stopping and restarting at every breakpoint before it. A breakpoint at t itself is
// left for later: the output at t shows the station just before its inputs jump.
Result<bool> Simulation::Impl::integrateTo(double t) {
  while (t > breaks[nextBreak]) {
    const double b = breaks[nextBreak];
    auto r = integrator->advance(b, y);
    if (!r) return Error{r.error().message};
    if (reduction) reduction->equalise(b, y);
    ++nextBreak;
    intervalStart = b;
    integrator->restart(b, y, breaks[nextBreak]);
  }
  auto r = integrator->advance(t, y);
  if (!r) return Error{r.error().message};
  return true;
}

void Simulation::Impl::accumulateCondensate(double t) {
  const double dt = t - lastCondensation_s;
  for (std::size_t i = 0; i < states.size(); ++i) {
    const double rate = net.condensationRate(i, states[i]);
    if (condensationStarted) condensate_kg[i] += 0.5 * (condensationRate_kg_s[i] + rate) * dt;
    condensationRate_kg_s[i] = rate;
  }
  lastCondensation_s = t;
  condensationStarted = true;
}

namespace {

// A module emptied to vacuum (a huge hole): the integrator's last steps may leave its masses a
// hair below zero, which read as negative pressures, and its temperature as 0/0. What is
// reported holds nothing, at the wall's temperature (issue 21, item 3). With adiabatic walls
// the temperature is energy over heat capacity, both below the integrator's resolution once
// the mass is: a 10 m^2 hole once wrote 1826.79 K. Physically such a wisp of gas sits at the
// wall's temperature (its heat capacity against the wall's goes to zero), and its pressure,
// m R T / V, is below anything the integrator resolves, so it reads 0.
void clampToVacuum(network::ModuleState& s, double wall_k, double resolvedMass_kg) {
  bool holds = false;
  for (double& m : s.masses) {
    if (m > 0.0)
      holds = true;
    else
      m = 0.0;
  }
  if (!(s.mass_kg > 0.0)) s.mass_kg = 0.0;
  if (!holds || !(s.pressure_pa > 0.0) || s.mass_kg <= resolvedMass_kg) s.pressure_pa = 0.0;
  if (!(s.temperature_k > 0.0) || !std::isfinite(s.temperature_k) || s.mass_kg <= resolvedMass_kg)
    s.temperature_k = wall_k;
}

}  // namespace

void Simulation::Impl::outputAt(long k, double t) {
  const std::size_t n = net.moduleCount();
  const double start = static_cast<double>(scenario.startUnix_s);
  // Inputs that jump at an event (hatch states, leak areas) are read just before t, as the
  // pressures are: so an event added at the time of an output already emitted changes nothing
  // that output showed, and a continued run emits what a one-shot run does. The start is the
  // exception: events at 0 are part of the initial state.
  const double before = t > 0.0 ? t - slack(t) : t;
  // Only the pressures asked for (truth pressures, no telemetry, isothermal): each module's
  // pressure by the sum stateWithTemperature makes for it, in the same order (so the same to
  // the bit), without the rest of its state; a module holding no gas reads 0, as clampToVacuum
  // makes it. Forming every state was the largest part of the output left (issue 15).
  const bool pressuresOnly =
      options.truthPressuresOnly && !options.emitTelemetry && !net.adiabatic();
  std::fill(holds.begin(), holds.end(), 1);
  // Each grid once per output: a second at(k) for the same k is computed afresh (five sincos
  // per module), which was a third of a 1 Hz run (issue 15).
  for (std::size_t i = 0; i < n; ++i) {
    const network::GridTemperature g = grids[i].at(k);
    gas_k[i] = g.gas_k;
    unmeasured[i] = g.unmeasured_k;
    if (!pressuresOnly) {
      states[i] = net.stateWithTemperature(y, i, g.gas_k);
      continue;
    }
    double mr = 0.0, mass = 0.0;
    for (std::size_t s = 0; s < gas::kSpeciesCount; ++s) {
      const double m = std::max(y[i * net.stride() + s], 0.0);
      mass += m;
      mr += m * gas::gasConstant(s);
    }
    states[i].pressure_pa = mr * g.gas_k / net.modules()[i].volume_m3;
    holds[i] = mr > 0.0 && mass > resolvedMass_kg[i];
  }
  if (reduction) {
    // Report what the hatches need to carry the flow, as the full network would show it.
    // Just before t: at an input's jump the hatches have not yet felt it.
    reduction->pressureOffsets(t - slack(t), y, offsets);
    for (std::size_t i = 0; i < n; ++i) states[i].pressure_pa += offsets[i];
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!pressuresOnly)
      clampToVacuum(states[i], gas_k[i], resolvedMass_kg[i]);
    else if (!holds[i] || !(states[i].pressure_pa > 0.0))
      states[i].pressure_pa = 0.0;
  }
  // The condensate is a truth channel only: without it, nothing reads the sum.
  if (options.emitTruth && !options.truthPressuresOnly) accumulateCondensate(t);
  if (options.emitTruth && onGrid(t, scenario.outputPeriod_s)) {
    for (std::size_t i = 0; i < n; ++i) {
      int c = truthChannel[i];
      observer->truth({start + t, c++, states[i].pressure_pa});
      if (options.truthPressuresOnly) continue;
      observer->truth({start + t, c++, states[i].temperature_k});
      double moles = 0.0;
      for (std::size_t s = 0; s < gas::kSpeciesCount; ++s)
        moles += states[i].masses[s] / gas::kSpecies[s].molarMass_kg_mol;
      for (std::size_t s = 0; s < gas::kSpeciesCount; ++s)
        observer->truth({start + t, c++,
                         moles > 0.0 ? states[i].pressure_pa * states[i].masses[s] /
                                           gas::kSpecies[s].molarMass_kg_mol / moles
                                     : 0.0});
      observer->truth({start + t, c++, condensate_kg[i]});
    }
    for (std::size_t l = 0; l < leakChannel.size() && !options.truthPressuresOnly; ++l)
      observer->truth({start + t, leakChannel[l], net.leakMassFlow(before, y, l)});
  }
  if (options.emitTelemetry) {
    const model::Station& st = scenario.station;
    for (std::size_t s = 0; s < sensors.size(); ++s) {
      if (!onGrid(t, st.sensors[s].period_s)) continue;
      const auto v = sensors[s].read(
          t, sensorTruth(net, states, unmeasured, st.sensors[s], sensorTargets[s], before));
      if (v) observer->telemetry({start + t, sensorChannel[s], *v});
    }
  }
}

Simulation::Simulation(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Simulation::Simulation(Simulation&&) noexcept = default;
Simulation& Simulation::operator=(Simulation&&) noexcept = default;
Simulation::~Simulation() = default;

Result<Simulation> Simulation::start(const model::Scenario& scenario, const RunOptions& options,
                                     RunObserver& observer) {
  const bool adiabatic = scenario.thermal == model::ThermalModel::AdiabaticWalls;
  if (options.solver == Solver::Reduced && adiabatic)
    return Error{
        "the segment reduction is isothermal only: use the full network for adiabatic-walls"};
  const bool reduced =
      options.solver == Solver::Reduced || (options.solver == Solver::Auto && !adiabatic);
  auto impl = std::make_unique<Impl>(scenario, options, observer, reduced);
  if (Result<bool> r = impl->settle(); !r) return r.error();
  impl->prime();
  impl->channels();
  return Simulation(std::move(impl));
}

double Simulation::time_s() const { return m_impl->now; }
double Simulation::end_s() const { return m_impl->scenario.duration_s; }
const model::Scenario& Simulation::scenario() const { return m_impl->scenario; }
const telemetry::ChannelTable& Simulation::telemetryChannels() const {
  return m_impl->result.telemetryChannels;
}
const telemetry::ChannelTable& Simulation::truthChannels() const {
  return m_impl->result.truthChannels;
}
const std::vector<double>& Simulation::initialState() const { return m_impl->result.initialState; }

Result<bool> Simulation::add(model::Event event) {
  Impl& m = *m_impl;
  const double t = event.time_s;
  const auto refuse = [&](const std::string& why) {
    return Error{"event at " + std::to_string(t) + " s: " + why};
  };
  if (!(t >= m.now - slack(m.now)))
    return refuse("before the simulation's time, " + std::to_string(m.now) + " s");
  if (t > m.scenario.duration_s) return refuse("after the scenario's end");
  if (t <= 0.0 && m.next > 0) return refuse("an event at the start must come before any output");
  if (const std::string why = refusal(m.scenario, event.action); !why.empty()) return refuse(why);
  event.time_s = std::max(t, m.now);
  // After every event already at that time, as the scenario loader orders them: a one-shot
  // run of the resulting scenario builds the same inputs and draws the same repress errors.
  auto& events = m.scenario.events;
  const auto at = std::upper_bound(events.begin(), events.end(), event.time_s,
                                   [](double v, const model::Event& e) { return v < e.time_s; });
  events.insert(at, std::move(event));
  m.net.replaceInputs(buildNetwork(m.scenario).inputs);
  if (m.next == 0) {
    // Nothing integrated yet: start over from the settled state with the new inputs.
    m.prime();
    return true;
  }
  m.findBreaks();
  // Breaks at or before the integrator's last restart are behind it; every new one is at or
  // after the event's time, so no later than the stop it was heading for.
  m.nextBreak = static_cast<std::size_t>(
      std::upper_bound(m.breaks.begin(), m.breaks.end(), m.intervalStart) - m.breaks.begin());
  // If CVODE has already stepped past the new stop, integrateTo interpolates there instead.
  m.integrator->setStopTime(m.breaks[m.nextBreak]);
  return true;
}

Result<bool> Simulation::advanceTo(double until_s) {
  Impl& m = *m_impl;
  if (until_s < m.now - slack(m.now))
    return Error{"cannot go back from " + std::to_string(m.now) + " s to " +
                 std::to_string(until_s) + " s"};
  if (until_s > m.scenario.duration_s + slack(m.scenario.duration_s))
    return Error{"cannot advance to " + std::to_string(until_s) + " s: the scenario ends at " +
                 std::to_string(m.scenario.duration_s) + " s"};
  if (!m.begun) {
    m.observer->begin(m.result.telemetryChannels, m.result.truthChannels);
    m.begun = true;
  }
  for (; m.next < m.total; ++m.next) {
    const long k = m.next;
    const double t = m.timeOf(k);
    if (t > until_s + slack(until_s)) break;
    if (Result<bool> r = m.integrateTo(t); !r) return r;
    if (std::abs(t - m.lastHour) < 0.5 * m.step || (!m.anyOutput && k == 0)) m.yLastHour = m.y;
    if (m.options.progress && (k % 8192 == 0))
      m.options.progress(static_cast<double>(k) / static_cast<double>(m.total));
    if (m.anyOutput) m.outputAt(k, t);
  }
  m.now = std::max(m.now, std::min(until_s, m.scenario.duration_s));
  return true;
}

RunResult Simulation::summary() const {
  const Impl& m = *m_impl;
  RunResult r = m.result;
  const double end = m.scenario.duration_s;
  for (std::size_t i = 0; i < m.net.moduleCount(); ++i)
    r.finalPressures_pa.push_back(m.net.moduleState(end, m.y, i).pressure_pa);
  r.segments = summariseSegments(m.net, m.scenario.station, m.yLastHour, m.lastHour, m.y, end);
  r.stats = m.integrator->stats();
  return r;
}

Result<model::Event> hatchOperation(const model::Station& station, const std::string& hatch,
                                    bool open, double from_s, double equalise_s) {
  const int h = station.hatchIndex(hatch);
  if (h < 0) return Error{"unknown hatch '" + hatch + "'"};
  model::Event e;
  e.time_s = from_s + station.hatches[static_cast<std::size_t>(h)].operateTime_s +
             (open ? equalise_s : 0.0);
  e.action = model::HatchEvent{hatch, open};
  return e;
}

}  // namespace leakhunt::sim
