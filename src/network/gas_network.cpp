#include "network/gas_network.hpp"

#include <cassert>
#include <cmath>

#include "gas/humidity.hpp"
#include "gas/orifice.hpp"

namespace leakhunt::network {

using gas::kSpeciesCount;

GasNetwork::GasNetwork(std::vector<ModuleGeometry> modules, NetworkInputs inputs,
                       model::ThermalModel thermal)
    : m_modules(std::move(modules)),
      m_inputs(std::move(inputs)),
      m_thermal(thermal),
      m_stride(kSpeciesCount + (thermal == model::ThermalModel::AdiabaticWalls ? 1 : 0)),
      m_state(m_modules.size()),
      m_temperatureRate(m_modules.size(), 0.0),
      m_temperature(m_modules.size(), 0.0) {
  assert(m_inputs.thermal.size() == m_modules.size());
}

void GasNetwork::replaceInputs(NetworkInputs inputs) {
  assert(inputs.thermal.size() == m_inputs.thermal.size());
  std::vector<ModuleThermal> thermal = std::move(inputs.thermal);
  inputs.thermal = std::move(m_inputs.thermal);
  for (std::size_t i = 0; i < thermal.size(); ++i) inputs.thermal[i] = std::move(thermal[i]);
  m_inputs = std::move(inputs);
  m_thermalAt = std::numeric_limits<double>::quiet_NaN();
  m_wanderAt = std::numeric_limits<double>::quiet_NaN();
}

void GasNetwork::wanderAt(double t) const {
  if (t == m_wanderAt) return;
  const NetworkInputs& in = m_inputs;
  m_generatorWander.resize(in.generators.size());
  m_removerWander.resize(in.removers.size());
  m_crewWander.resize(in.crew.size());
  for (std::size_t k = 0; k < in.generators.size(); ++k)
    m_generatorWander[k] = in.generators[k].wander.factor(t);
  for (std::size_t k = 0; k < in.removers.size(); ++k)
    m_removerWander[k] = in.removers[k].wander.factor(t);
  for (std::size_t k = 0; k < in.crew.size(); ++k) m_crewWander[k] = in.crew[k].wander.factor(t);
  m_wanderAt = t;
}

namespace {

// The ratio of heat capacities of air: the vacuum floor's energy (kVacuumFloor_pa) is that of
// air, whatever the module held.
constexpr double kAirGamma = 1.4;

double internalEnergyPerKelvin(const gas::SpeciesMasses& m) {
  double c = 0.0;
  for (std::size_t s = 0; s < kSpeciesCount; ++s)
    c += m[s] * (gas::kSpecies[s].cp_j_kgk - gas::gasConstant(s));
  return c;
}

}  // namespace

void GasNetwork::uniformState(double t, double pressure_pa, const gas::MoleFractions& x,
                              std::span<double> y) const {
  assert(y.size() == stateSize());
  const gas::MassFractions w = gas::toMassFractions(x);
  double molarMass = 0.0;
  for (std::size_t s = 0; s < kSpeciesCount; ++s)
    molarMass += x[s] * gas::kSpecies[s].molarMass_kg_mol;
  for (std::size_t i = 0; i < m_modules.size(); ++i) {
    const double temperature = m_inputs.thermal[i].gas(t);
    const double mass = pressure_pa * m_modules[i].volume_m3 * molarMass /
                        (gas::kUniversalGasConstant * temperature);
    gas::SpeciesMasses m{};
    for (std::size_t s = 0; s < kSpeciesCount; ++s) {
      m[s] = mass * w[s];
      y[i * m_stride + s] = m[s];
    }
    if (adiabatic()) y[i * m_stride + kSpeciesCount] = internalEnergyPerKelvin(m) * temperature;
  }
}

ModuleState GasNetwork::stateWithTemperature(std::span<const double> y, std::size_t i,
                                             double temperature_k) const {
  ModuleState st;
  double mr = 0.0, mcp = 0.0;
  for (std::size_t s = 0; s < kSpeciesCount; ++s) {
    // Integrators may step slightly below zero for a trace species; physics sees zero.
    const double m = std::max(y[i * m_stride + s], 0.0);
    st.masses[s] = m;
    st.mass_kg += m;
    mr += m * gas::gasConstant(s);
    mcp += m * gas::kSpecies[s].cp_j_kgk;
  }
  if (st.mass_kg > 0.0) {
    st.r_j_kgk = mr / st.mass_kg;
    st.cp_j_kgk = mcp / st.mass_kg;
    st.gamma = st.cp_j_kgk / (st.cp_j_kgk - st.r_j_kgk);
  } else {
    st.r_j_kgk = 287.0;
    st.cp_j_kgk = 1005.0;
  }
  st.temperature_k = temperature_k;
  if (adiabatic()) {
    // Energy over heat capacity, going smoothly to the walls' temperature (`temperature_k`) as
    // the heat capacity c falls to that of kVacuumFloor_pa of air, f: T = U c / (c^2 + f^2) +
    // T_wall f^2 / (c^2 + f^2). Its error above the floor is (f/c)^2 of the distance from the
    // wall (3e-10 at 60 kPa, where a linear blend moved the closed-form blowdown by 1.5e-6), and
    // an error dU of the energy moves it by at most dU / (2 f).
    const double c = internalEnergyPerKelvin(st.masses);
    const double f = kVacuumFloor_pa / (kAirGamma - 1.0) * m_modules[i].volume_m3 / temperature_k;
    const double d = c * c + f * f;
    st.temperature_k = (y[i * m_stride + kSpeciesCount] * c + temperature_k * f * f) / d;
  }
  st.pressure_pa = mr * st.temperature_k / m_modules[i].volume_m3;
  return st;
}

ModuleState GasNetwork::moduleState(double t, std::span<const double> y, std::size_t i) const {
  return stateWithTemperature(y, i, m_inputs.thermal[i].gas(t));
}

void GasNetwork::moduleStates(double t, std::span<const double> y) const {
  if (adiabatic()) {
    for (std::size_t i = 0; i < m_modules.size(); ++i) m_state[i] = moduleState(t, y, i);
    return;
  }
  if (!(t == m_thermalAt)) {
    for (std::size_t i = 0; i < m_modules.size(); ++i)
      m_inputs.thermal[i].gasAndRate(t, m_temperature[i], m_temperatureRate[i]);
    m_thermalAt = t;
  }
  for (std::size_t i = 0; i < m_modules.size(); ++i)
    m_state[i] = stateWithTemperature(y, i, m_temperature[i]);
}

void GasNetwork::transfer(std::size_t from, int to, double massFlow_kg_s,
                          std::span<double> ydot) const {
  const ModuleState& src = m_state[from];
  if (src.mass_kg <= 0.0 || massFlow_kg_s == 0.0) return;
  for (std::size_t s = 0; s < kSpeciesCount; ++s) {
    const double f = massFlow_kg_s * src.masses[s] / src.mass_kg;
    ydot[from * m_stride + s] -= f;
    if (to >= 0) ydot[static_cast<std::size_t>(to) * m_stride + s] += f;
  }
  if (adiabatic()) {
    const double h = massFlow_kg_s * src.cp_j_kgk * src.temperature_k;
    ydot[from * m_stride + kSpeciesCount] -= h;
    if (to >= 0) ydot[static_cast<std::size_t>(to) * m_stride + kSpeciesCount] += h;
  }
}

void GasNetwork::addSpecies(std::size_t module, std::size_t species, double rate_kg_s,
                            double temperature_k, std::span<double> ydot) const {
  ydot[module * m_stride + species] += rate_kg_s;
  if (adiabatic())
    ydot[module * m_stride + kSpeciesCount] +=
        rate_kg_s * gas::kSpecies[species].cp_j_kgk * temperature_k;
}

namespace {

// One law for a hole to space, used by the RHS and by the reported mass flow alike.
double flowToSpace(const LeakInput& leak, const ModuleState& cabin, double t) {
  return gas::orificeMassFlow(leak.cda(t),
                              {cabin.pressure_pa, cabin.temperature_k, cabin.r_j_kgk, cabin.gamma},
                              0.0, GasNetwork::kLeakRegularisation_pa);
}

}  // namespace

double GasNetwork::leakMassFlow(double t, std::span<const double> y, std::size_t leak) const {
  const LeakInput& l = m_inputs.leaks[leak];
  return flowToSpace(l, moduleState(t, y, static_cast<std::size_t>(l.module)), t);
}

void GasNetwork::addSources(double t, std::span<double> ydot) const {
  const NetworkInputs& in = m_inputs;
  for (const LeakInput& l : in.leaks) {
    const auto i = static_cast<std::size_t>(l.module);
    transfer(i, -1, flowToSpace(l, m_state[i], t), ydot);
  }
  wanderAt(t);
  for (std::size_t k = 0; k < in.generators.size(); ++k) {
    const GeneratorInput& g = in.generators[k];
    const auto i = static_cast<std::size_t>(g.module);
    addSpecies(i, g.species, g.rate_kg_s * m_generatorWander[k], m_state[i].temperature_k, ydot);
  }
  addRemovers(t, ydot);
  addCondensation(ydot);
  for (std::size_t k = 0; k < in.crew.size(); ++k) {
    const int where = in.crew[k].moduleAt(t);
    if (where < 0) continue;
    const auto i = static_cast<std::size_t>(where);
    const double factor = m_crewWander[k];
    const double temp = m_state[i].temperature_k;
    addSpecies(i, gas::index(gas::Species::O2), -in.metabolism.o2_kg_s * factor, temp, ydot);
    addSpecies(i, gas::index(gas::Species::CO2), in.metabolism.co2_kg_s * factor, temp, ydot);
    addSpecies(i, gas::index(gas::Species::H2O), in.metabolism.h2o_kg_s * factor, temp, ydot);
  }
  for (const RepressInput& r : in.represses) {
    if (t < r.t0_s || t >= r.t1_s) continue;
    const auto i = static_cast<std::size_t>(r.module);
    for (std::size_t s = 0; s < kSpeciesCount; ++s)
      addSpecies(i, s, r.rate_kg_s * r.composition[s], m_state[i].temperature_k, ydot);
  }
  if (adiabatic()) {
    for (std::size_t i = 0; i < m_modules.size(); ++i) {
      const ModuleGeometry& g = m_modules[i];
      ydot[i * m_stride + kSpeciesCount] += g.wallHeatTransfer_w_m2k * g.wallArea_m2 *
                                            (in.thermal[i].gas(t) - m_state[i].temperature_k);
    }
  }
}

namespace {

constexpr auto kWater = gas::index(gas::Species::H2O);

// Vapour density [kg/m^3] of air saturated at `saturation_k`, brought to `gas_k` at the same
// partial pressure (a coil's outlet reheated in the cabin, or cabin air at a cold wall).
double saturatedDensity(double saturation_k, double gas_k) {
  return gas::saturationPressure(saturation_k) / (gas::gasConstant(kWater) * gas_k);
}

}  // namespace

// What a remover takes out [kg/s]: a fraction of the species in its flow or, for a condensing
// heat exchanger, the vapour above the coil's dew point in the part of its flow that meets the
// coil: Q eta (rho_v - rho_sat(T_coil)), so a sealed module settles at
// p_sat(T_coil) + production R T / (Q eta).
double GasNetwork::removal(const RemoverInput& r, double factor, const ModuleState& st) const {
  if (r.species < 0) return r.rate_kg_s * factor;
  const auto s = static_cast<std::size_t>(r.species);
  const double density = st.masses[s] / m_modules[static_cast<std::size_t>(r.module)].volume_m3;
  const double q = r.flow_m3_s * r.efficiency * factor;
  if (r.coilTemperature_k <= 0.0) return q * density;
  const double saturated = saturatedDensity(r.coilTemperature_k, st.temperature_k);
  return q * gas::smoothExcess(density - saturated, kSaturationCorner * saturated);
}

void GasNetwork::addRemovers(double t, std::span<double> ydot) const {
  wanderAt(t);
  for (std::size_t k = 0; k < m_inputs.removers.size(); ++k) {
    const RemoverInput& r = m_inputs.removers[k];
    const auto i = static_cast<std::size_t>(r.module);
    const double rate = removal(r, m_removerWander[k], m_state[i]);
    if (r.species < 0)
      transfer(i, -1, rate, ydot);
    else
      addSpecies(i, static_cast<std::size_t>(r.species), -rate, m_state[i].temperature_k, ydot);
  }
}

// Vapour above saturation at the coldest surface condenses there (and is drained: it never
// comes back as vapour).
double GasNetwork::saturatedVapour(std::size_t i, const ModuleState& st) const {
  const double surface = m_inputs.thermal[i].coldSurface_k > 0.0 ? m_inputs.thermal[i].coldSurface_k
                                                                 : st.temperature_k;
  return saturatedDensity(surface, st.temperature_k) * m_modules[i].volume_m3;
}

double GasNetwork::condensationRate(std::size_t i, const ModuleState& st) const {
  const double saturated = saturatedVapour(i, st);
  return gas::smoothExcess(st.masses[kWater] - saturated, kSaturationCorner * saturated) /
         kCondensationTime_s;
}

void GasNetwork::addCondensation(std::span<double> ydot) const {
  for (std::size_t i = 0; i < m_modules.size(); ++i) {
    const double rate = condensationRate(i, m_state[i]);
    if (rate > 0.0) addSpecies(i, kWater, -rate, m_state[i].temperature_k, ydot);
  }
}

// Forced ventilation swaps equal volumes between the two modules of an open hatch: it mixes
// composition without a pressure-driven flow.
void GasNetwork::addVentilation(double t, std::span<double> ydot) const {
  for (const HatchInput& h : m_inputs.hatches) {
    if (h.ventilation_m3_s <= 0.0 || !h.openAt(t)) continue;
    const auto a = static_cast<std::size_t>(h.moduleA);
    const auto b = static_cast<std::size_t>(h.moduleB);
    transfer(a, h.moduleB, h.ventilation_m3_s * m_state[a].mass_kg / m_modules[a].volume_m3, ydot);
    transfer(b, h.moduleA, h.ventilation_m3_s * m_state[b].mass_kg / m_modules[b].volume_m3, ydot);
  }
}

void GasNetwork::addHatchFlow(double t, std::span<double> ydot) const {
  for (const HatchInput& h : m_inputs.hatches) {
    if (!h.openAt(t)) continue;
    auto up = static_cast<std::size_t>(h.moduleA);
    auto down = static_cast<std::size_t>(h.moduleB);
    if (m_state[down].pressure_pa > m_state[up].pressure_pa) std::swap(up, down);
    const ModuleState& u = m_state[up];
    const double mdot =
        gas::orificeMassFlow(h.cda_m2, {u.pressure_pa, u.temperature_k, u.r_j_kgk, u.gamma},
                             m_state[down].pressure_pa, kHatchRegularisation_pa);
    transfer(up, static_cast<int>(down), mdot, ydot);
  }
}

void GasNetwork::rhsWithoutHatchFlow(double t, std::span<const double> y,
                                     std::span<double> ydot) const {
  assert(y.size() == stateSize() && ydot.size() == stateSize());
  std::fill(ydot.begin(), ydot.end(), 0.0);
  moduleStates(t, y);
  addSources(t, ydot);
  addVentilation(t, ydot);
}

void GasNetwork::rhs(double t, std::span<const double> y, std::span<double> ydot) const {
  rhsWithoutHatchFlow(t, y, ydot);
  addHatchFlow(t, ydot);
}

}  // namespace leakhunt::network
