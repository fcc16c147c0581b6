// The gas network of a station: modules hold species masses (and, with adiabatic walls, internal
// energy); hatches, leaks, life support, crew and repress move gas. It exposes the right-hand
// side of the ODE; integrators live elsewhere (style: the RHS and the integrator are separate).
#pragma once

#include <limits>
#include <span>
#include <vector>

#include "gas/species.hpp"
#include "model/thermal_model.hpp"
#include "network/network_inputs.hpp"

namespace leakhunt::network {

// Instantaneous state of one module, derived from the ODE state.
struct ModuleState {
  gas::SpeciesMasses masses{};  // [kg]
  double mass_kg = 0.0;
  double temperature_k = 0.0;
  double pressure_pa = 0.0;
  double r_j_kgk = 0.0;
  double cp_j_kgk = 0.0;
  double gamma = 1.4;
};

struct ModuleGeometry {
  double volume_m3 = 0.0;
  double wallArea_m2 = 0.0;
  double wallHeatTransfer_w_m2k = 0.0;
};

class GasNetwork {
 public:
  GasNetwork(std::vector<ModuleGeometry> modules, NetworkInputs inputs,
             model::ThermalModel thermal);

  std::size_t moduleCount() const { return m_modules.size(); }
  std::size_t stride() const { return m_stride; }  // state entries per module
  std::size_t stateSize() const { return m_modules.size() * m_stride; }
  bool adiabatic() const { return m_thermal == model::ThermalModel::AdiabaticWalls; }
  const NetworkInputs& inputs() const { return m_inputs; }
  // New inputs for a continuing run (events were added), between integrations only. Each
  // module's thermal inputs are assigned in place: output grids keep pointers to them.
  void replaceInputs(NetworkInputs inputs);
  const std::vector<ModuleGeometry>& modules() const { return m_modules; }

  // A state in which every module holds gas at `pressure_pa` with the given composition, at its
  // gas temperature at time t.
  void uniformState(double t, double pressure_pa, const gas::MoleFractions& x,
                    std::span<double> y) const;

  ModuleState moduleState(double t, std::span<const double> y, std::size_t module) const;
  // The same with the isothermal gas temperature given (ignored with adiabatic walls).
  ModuleState stateWithTemperature(std::span<const double> y, std::size_t module,
                                   double temperature_k) const;

  // dy/dt of the full network: every opening by the orifice law.
  void rhs(double t, std::span<const double> y, std::span<double> ydot) const;

  // dy/dt from everything except the pressure-driven flow through open hatches (leaks, life
  // support, crew, repress, ventilation exchange). The segment reduction adds the hatch flows
  // algebraically.
  void rhsWithoutHatchFlow(double t, std::span<const double> y, std::span<double> ydot) const;

  // The module states computed by the last rhs / rhsWithoutHatchFlow call, so a caller on the
  // same evaluation need not derive them (or the gas temperatures) again.
  const std::vector<ModuleState>& lastModuleStates() const { return m_state; }
  // d(gas temperature)/dt [K/s] per module at that evaluation (isothermal model only).
  const std::vector<double>& lastTemperatureRates() const { return m_temperatureRate; }

  // Mass flow [kg/s] through each leak at (t, y), in the order of inputs().leaks.
  double leakMassFlow(double t, std::span<const double> y, std::size_t leak) const;

  // Water condensing on the module's coldest surface [kg/s] in the given state of that module:
  // the vapour above saturation there, relaxed with kCondensationTime_s.
  double condensationRate(std::size_t module, const ModuleState& state) const;
  // The most vapour [kg] the module holds without condensing in that state: saturation at its
  // coldest surface.
  double saturatedVapour(std::size_t module, const ModuleState& state) const;

  // Vapour above saturation at the coldest surface condenses with this time constant [s]: fast
  // against hours of crew humidity, slow enough for BDF. In steady state the vapour stays above
  // saturation by production * 10 s (under 0.2 % of saturation for three crew in 20 m^3 at 21
  // degC).
  static constexpr double kCondensationTime_s = 10.0;
  // Width of the rounded corner of condensation and coil removal, relative to the saturated
  // vapour [1]: both switch on smoothly (gas::smoothExcess) for the Newton iteration.
  static constexpr double kSaturationCorner = 1e-3;

  // Regularisation of the sqrt(dp) law through hatches [Pa]: below about this difference the
  // law is linear, so the stiff solver sees a smooth, finite slope as flows reverse with the
  // orbital temperature cycle (1 Pa made BDF take 25 s steps on the ISS; 100 Pa, minutes).
  static constexpr double kHatchRegularisation_pa = 100.0;
  // Holes vent to vacuum, far from zero difference: keep their law exact.
  static constexpr double kLeakRegularisation_pa = 1e-3;
  // Adiabatic walls: below about this pressure [Pa] a module's gas is taken at its walls'
  // temperature. Its temperature is energy over heat capacity, and as a hole empties the module
  // both fall to the integrator's resolution: hours after Spektr emptied, 2.5e-6 kg holding
  // -3.3 J read -1884 K and BDF's Newton iteration failed (CV_CONV_FAILURE). Near this floor the
  // temperature goes smoothly to the walls' (stateWithTemperature); such gas relaxes to the
  // wall in milliseconds anyway (m c_v / (h A): 0.52 J/K over 3 W/(m^2 K) on Spektr's 75 m^2).
  static constexpr double kVacuumFloor_pa = 1.0;

 private:
  void moduleStates(double t, std::span<const double> y) const;
  void addSources(double t, std::span<double> ydot) const;
  void addRemovers(double t, std::span<double> ydot) const;
  void addCondensation(std::span<double> ydot) const;
  double removal(const RemoverInput& r, double wander, const ModuleState& st) const;
  // The sources' wander factors at t (generators, removers, crew), kept while t stays.
  void wanderAt(double t) const;
  void addVentilation(double t, std::span<double> ydot) const;
  void addHatchFlow(double t, std::span<double> ydot) const;
  // Move `massFlow_kg_s` of module `from`'s gas into `to` (-1: overboard).
  void transfer(std::size_t from, int to, double massFlow_kg_s, std::span<double> ydot) const;
  void addSpecies(std::size_t module, std::size_t species, double rate_kg_s, double temperature_k,
                  std::span<double> ydot) const;

  std::vector<ModuleGeometry> m_modules;
  NetworkInputs m_inputs;
  model::ThermalModel m_thermal;
  std::size_t m_stride;
  mutable std::vector<ModuleState> m_state;  // scratch, sized once: the RHS allocates nothing
  mutable std::vector<double> m_temperatureRate;
  // The gas temperatures at m_thermalAt. They depend on t alone, and the RHS is called many
  // times at one t (Newton iterations, a Jacobian's colours): their sines were a sixth of a
  // Monte Carlo run (issue 15). Forgotten when the inputs are replaced.
  mutable std::vector<double> m_temperature;
  mutable double m_thermalAt = std::numeric_limits<double>::quiet_NaN();
  // Likewise the sources' wander factors (a sine each), in the order of the inputs' lists.
  mutable std::vector<double> m_generatorWander, m_removerWander, m_crewWander;
  mutable double m_wanderAt = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace leakhunt::network
