#include "sim/scenario_runner.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include "network/segment_reduction.hpp"
#include "network/thermal_grid.hpp"
#include "sim/network_builder.hpp"
#include "sim/sensors.hpp"

namespace leakhunt::sim {

namespace {

constexpr uint64_t kSensorPurpose = 5;

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

double sensorTruth(const network::GasNetwork& net, const std::vector<network::ModuleState>& states,
                   const std::vector<double>& unmeasured_k, const model::Sensor& sensor, int target,
                   double t) {
  if (sensor.quantity == model::Quantity::HatchState)
    return net.inputs().hatches[static_cast<std::size_t>(target)].openAt(t) ? 1.0 : 0.0;
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
    case model::Quantity::HatchState:
      break;
  }
  return 0.0;
}

std::vector<network::Edge> openEdgesAt(const network::NetworkInputs& in, double t) {
  std::vector<network::Edge> edges;
  for (const network::HatchInput& h : in.hatches)
    if (h.openAt(t)) edges.push_back({h.moduleA, h.moduleB});
  return edges;
}

double segmentPressure(const network::GasNetwork& net, const std::vector<double>& y, double t,
                       const std::vector<int>& members) {
  double weighted = 0.0, volume = 0.0;
  for (int m : members) {
    const auto i = static_cast<std::size_t>(m);
    weighted += net.moduleState(t, y, i).pressure_pa * net.modules()[i].volume_m3;
    volume += net.modules()[i].volume_m3;
  }
  return weighted / volume;
}

double segmentMass(const network::GasNetwork& net, const std::vector<double>& y, double t,
                   const std::vector<int>& members) {
  double mass = 0.0;
  for (int m : members) mass += net.moduleState(t, y, static_cast<std::size_t>(m)).mass_kg;
  return mass;
}

}  // namespace

Result<RunResult> runScenario(const model::Scenario& scenario, const RunOptions& options,
                              RunObserver& observer) {
  const model::Station& st = scenario.station;
  const bool adiabatic = scenario.thermal == model::ThermalModel::AdiabaticWalls;
  if (options.solver == Solver::Reduced && adiabatic)
    return Error{
        "the segment reduction is isothermal only: use the full network for adiabatic-walls"};
  const bool reduced =
      options.solver == Solver::Reduced || (options.solver == Solver::Auto && !adiabatic);

  BuiltNetwork built = buildNetwork(scenario);
  network::GasNetwork net(std::move(built.geometry), std::move(built.inputs), scenario.thermal);
  std::unique_ptr<network::SegmentReduction> reduction;
  if (reduced) reduction = std::make_unique<network::SegmentReduction>(net);

  RunResult result;
  result.solver = reduced ? "segment reduction (BDF)" : "full network (BDF)";
  const std::size_t n = net.moduleCount();

  // Start from the declared atmosphere, let CO2 and humidity settle, then bring every module
  // back to the declared pressure so the run starts where the description says.
  std::vector<double> y(net.stateSize());
  const double t0 = -options.spinUp_s;
  net.uniformState(t0, st.atmosphere.pressure_pa, st.atmosphere.composition, y);
  network::IntegratorOptions io;
  // Both paths use BDF with the hatch-graph sparse Jacobian: the reduction is stiff too, since
  // forced ventilation swaps a small module's air within a minute, and explicit-like Adams
  // steps were held to about 25 s by it. For the reduction the pattern leaves out the weak,
  // segment-wide coupling through the common pressure; Newton converges with it regardless.
  io.method = network::Method::StiffBdf;
  io.relativeTolerance = options.relativeTolerance;
  io.absoluteTolerance.resize(net.stateSize());
  {
    std::vector<network::Edge> all;
    for (const network::HatchInput& h : net.inputs().hatches) all.push_back({h.moduleA, h.moduleB});
    io.sparsity = network::blockSparsity(n, net.stride(), all);
  }
  for (std::size_t i = 0; i < n; ++i) {
    double mass = 0.0;
    for (std::size_t s = 0; s < gas::kSpeciesCount; ++s) mass += y[i * net.stride() + s];
    for (std::size_t k = 0; k < net.stride(); ++k)
      io.absoluteTolerance[i * net.stride() + k] =
          options.relativeTolerance * 1e-3 *
          (k < gas::kSpeciesCount ? mass : y[i * net.stride() + k]);
  }
  network::Integrator integrator(
      net.stateSize(),
      [&](double t, std::span<const double> in, std::span<double> out) {
        if (reduction)
          reduction->rhs(t, in, out);
        else
          net.rhs(t, in, out);
      },
      io);
  if (!options.initialState.empty()) {
    if (options.initialState.size() != y.size())
      return Error{"the given initial state has " + std::to_string(options.initialState.size()) +
                   " entries, the network needs " + std::to_string(y.size())};
    y = options.initialState;
  } else if (options.spinUp_s > 0.0) {
    integrator.restart(t0, y, 0.0);
    auto r = integrator.advance(0.0, y);
    if (!r) return Error{"spin-up: " + r.error().message};
    for (std::size_t i = 0; i < n; ++i) {
      const double scale = st.atmosphere.pressure_pa / net.moduleState(0.0, y, i).pressure_pa;
      for (std::size_t k = 0; k < net.stride(); ++k) y[i * net.stride() + k] *= scale;
    }
  }
  if (reduction) reduction->equalise(0.0, y);
  result.initialState = y;
  if (options.stopAfterSpinUp) return result;

  // Output grid: every sensor period and the output period are multiples of one base step.
  double step = scenario.outputPeriod_s;
  if (options.emitTelemetry)
    for (const model::Sensor& s : st.sensors) step = std::min(step, s.period_s);
  const bool anyOutput = options.emitTelemetry || options.emitTruth;
  std::vector<double> grid;
  const double lastHour = std::max(0.0, scenario.duration_s - 3600.0);
  if (!anyOutput) grid = {lastHour, scenario.duration_s};

  // Sensors and channels.
  std::vector<SensorModel> sensors;
  std::vector<int> sensorChannel, sensorTargets;
  const auto faults = sensorFaults(scenario);
  for (std::size_t s = 0; s < st.sensors.size(); ++s) {
    sensorTargets.push_back(sensorTarget(st, st.sensors[s]));
    sensors.emplace_back(st.sensors[s], streamSeed(scenario.seed, kSensorPurpose, s), faults[s]);
    sensorChannel.push_back(result.telemetryChannels.intern(st.sensors[s].channel));
  }
  std::vector<int> truthChannel;
  for (const model::Module& m : st.modules) {
    truthChannel.push_back(result.truthChannels.intern(m.id + ".pressure"));
    result.truthChannels.intern(m.id + ".temperature");
    for (const auto& sp : gas::kSpecies)
      result.truthChannels.intern(m.id + ".pp" + std::string(sp.name));
  }
  std::vector<int> leakChannel;
  for (const network::LeakInput& l : net.inputs().leaks)
    leakChannel.push_back(result.truthChannels.intern(l.id + ".mass_flow"));

  observer.begin(result.telemetryChannels, result.truthChannels);

  std::vector<double> breaks;
  for (double b : net.inputs().breakpoints())
    if (b > 0.0 && b < scenario.duration_s) breaks.push_back(b);
  breaks.push_back(scenario.duration_s);
  std::size_t nextBreak = 0;
  integrator.restart(0.0, y, breaks[0]);

  std::vector<network::ModuleState> states(n);
  std::vector<double> unmeasured(n, 0.0);
  std::vector<network::ThermalGrid> grids;
  for (const network::ModuleThermal& th : net.inputs().thermal) grids.emplace_back(th, step);
  std::vector<double> offsets(n, 0.0);
  std::vector<double> pressureAtLastHour(n, st.atmosphere.pressure_pa);
  std::vector<double> yLastHour = y;
  const auto steps = static_cast<long>(std::floor(scenario.duration_s / step + 1e-9));
  const long total = anyOutput ? steps + 1 : static_cast<long>(grid.size());
  const double start = static_cast<double>(scenario.startUnix_s);
  for (long k = 0; k < total; ++k) {
    const double t = anyOutput ? static_cast<double>(k) * step : grid[static_cast<std::size_t>(k)];
    while (t > breaks[nextBreak]) {
      const double b = breaks[nextBreak];
      auto r = integrator.advance(b, y);
      if (!r) return Error{r.error().message};
      if (reduction) reduction->equalise(b, y);
      ++nextBreak;
      integrator.restart(b, y, breaks[nextBreak]);
    }
    auto r = integrator.advance(t, y);
    if (!r) return Error{r.error().message};
    if (std::abs(t - lastHour) < 0.5 * step || (!anyOutput && k == 0)) yLastHour = y;
    if (options.progress && (k % 8192 == 0))
      options.progress(static_cast<double>(k) / static_cast<double>(total));
    if (!anyOutput) continue;
    for (std::size_t i = 0; i < n; ++i) {
      const network::GridTemperature g = grids[i].at(k);
      states[i] = net.stateWithTemperature(y, i, g.gas_k);
      unmeasured[i] = g.unmeasured_k;
    }
    if (reduction) {
      // Report what the hatches need to carry the flow, as the full network would show it.
      // Just before t: at an input's jump the hatches have not yet felt it.
      reduction->pressureOffsets(t - 1e-9 * std::max(1.0, std::abs(t)), y, offsets);
      for (std::size_t i = 0; i < n; ++i) states[i].pressure_pa += offsets[i];
    }
    if (options.emitTruth && onGrid(t, scenario.outputPeriod_s)) {
      for (std::size_t i = 0; i < n; ++i) {
        int c = truthChannel[i];
        observer.truth({start + t, c++, states[i].pressure_pa});
        if (options.truthPressuresOnly) continue;
        observer.truth({start + t, c++, states[i].temperature_k});
        double moles = 0.0;
        for (std::size_t s = 0; s < gas::kSpeciesCount; ++s)
          moles += states[i].masses[s] / gas::kSpecies[s].molarMass_kg_mol;
        for (std::size_t s = 0; s < gas::kSpeciesCount; ++s)
          observer.truth({start + t, c++,
                          states[i].pressure_pa * states[i].masses[s] /
                              gas::kSpecies[s].molarMass_kg_mol / moles});
      }
      for (std::size_t l = 0; l < leakChannel.size() && !options.truthPressuresOnly; ++l)
        observer.truth({start + t, leakChannel[l], net.leakMassFlow(t, y, l)});
    }
    if (options.emitTelemetry) {
      for (std::size_t s = 0; s < sensors.size(); ++s) {
        if (!onGrid(t, st.sensors[s].period_s)) continue;
        const auto v = sensors[s].read(
            t, sensorTruth(net, states, unmeasured, st.sensors[s], sensorTargets[s], t));
        if (v) observer.telemetry({start + t, sensorChannel[s], *v});
      }
    }
  }
  if (options.progress) options.progress(1.0);

  const double end = scenario.duration_s;
  for (std::size_t i = 0; i < n; ++i)
    result.finalPressures_pa.push_back(net.moduleState(end, y, i).pressure_pa);
  const network::Segmentation seg = network::segmentsOf(n, openEdgesAt(net.inputs(), end));
  const double window = end - lastHour;
  const double limit =
      st.limits ? st.limits->evacuationPressure_pa : model::Limits{}.evacuationPressure_pa;
  for (const std::vector<int>& members : seg.members) {
    SegmentSummary s;
    for (int m : members) s.modules.push_back(st.modules[static_cast<std::size_t>(m)].id);
    s.pressureStart_pa = segmentPressure(net, yLastHour, lastHour, members);
    s.pressureEnd_pa = segmentPressure(net, y, end, members);
    // The rate of the gas inventory, not of the pressure: an hour of pressure is mostly the
    // orbital temperature cycle.
    const double massStart = segmentMass(net, yLastHour, lastHour, members);
    const double massEnd = segmentMass(net, y, end, members);
    s.dropRate_pa_s =
        window > 0.0 ? (massStart - massEnd) / window / massEnd * s.pressureEnd_pa : 0.0;
    if (s.dropRate_pa_s > 0.0)  // 0 when the segment is already below the limit
      s.timeToEvacuation_s = std::max(0.0, (s.pressureEnd_pa - limit) / s.dropRate_pa_s);
    result.segments.push_back(std::move(s));
  }
  result.stats = integrator.stats();
  return result;
}

}  // namespace leakhunt::sim
