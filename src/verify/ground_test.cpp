#include "verify/ground_test.hpp"

#include <cmath>
#include <numbers>

#include "gas/orifice.hpp"
#include "gas/species.hpp"

namespace leakhunt::verify {

namespace {

// Helium is not a cabin species in gas/species.hpp: its constants here.
constexpr double kHeliumMolarMass_kg_mol = 0.0040026;
constexpr double kHeliumGamma = 5.0 / 3.0;

gas::MixtureProperties dryAir() {
  gas::MoleFractions x{};
  x[gas::index(gas::Species::N2)] = 0.7808;
  x[gas::index(gas::Species::O2)] = 0.2095;
  x[gas::index(gas::Species::Ar)] = 0.0093;
  x[gas::index(gas::Species::CO2)] = 0.0004;
  return gas::mixtureProperties(gas::toMassFractions(x));
}

// Flow [kg/s] through `cda` from the test article to outside (choked or subsonic).
double flowOut(double cda_m2, const gas::Upstream& up, double outside_pa) {
  if (outside_pa <= 0.0) return gas::chokedMassFlow(cda_m2, up);
  // The regularisation only matters within a pascal of equal pressures.
  return gas::orificeMassFlow(cda_m2, up, outside_pa, 1.0);
}

}  // namespace

double molarLeakRate(double volume_m3, double p1_pa, double t1_k, double p2_pa, double t2_k,
                     double dt_s, double universalGasConstant) {
  return volume_m3 / (universalGasConstant * dt_s) * (p1_pa / t1_k - p2_pa / t2_k);
}

GroundTestResult designGroundTest(const GroundTestInput& in) {
  GroundTestResult r;
  const gas::MixtureProperties air = dryAir();
  const double rAir = air.r_j_kgk, t = in.temperature_k;
  const gas::Upstream up{in.pressure_pa, t, rAir, air.gamma};
  r.minDetectableDrop_pa = in.sensorResolution_pa + in.pressure_pa * in.temperatureStability_k / t;
  r.minDetectableThroughput_pa_m3_s = in.volume_m3 * r.minDetectableDrop_pa / in.duration_s;
  r.minDetectableLeakRate_kg_s = r.minDetectableThroughput_pa_m3_s / (rAir * t);
  const double perArea = flowOut(1.0, up, in.outsidePressure_pa);  // flow is linear in CdA
  r.minDetectableCda_m2 = r.minDetectableLeakRate_kg_s / perArea;
  r.minDetectableDiameter_m = gas::holeDiameter(r.minDetectableCda_m2, in.cd);
  const gas::Upstream helium{in.pressure_pa, t,
                             gas::kUniversalGasConstant / kHeliumMolarMass_kg_mol, kHeliumGamma};
  r.heliumEquivalent_pa_m3_s =
      flowOut(r.minDetectableCda_m2, helium, in.outsidePressure_pa) * helium.r_j_kgk * t;

  const double area = std::cbrt(36.0 * std::numbers::pi * in.volume_m3 * in.volume_m3);
  const double cv = rAir / (air.gamma - 1.0);
  const double mass = in.pressure_pa * in.volume_m3 / (rAir * t);
  r.thermalTimeConstant_s = mass * cv / (in.wallHeatTransfer_w_m2k * area);
  const double fake = in.pressure_pa * in.fillTemperatureRise_k / t;
  r.stabilisationTime_s = fake > in.sensorResolution_pa
                              ? r.thermalTimeConstant_s * std::log(fake / in.sensorResolution_pa)
                              : 0.0;

  if (!in.holeDiameter_m) return r;
  r.hasHole = true;
  const double cda = in.cd * gas::circleArea(*in.holeDiameter_m);
  r.holeLeakRate_kg_s = flowOut(cda, up, in.outsidePressure_pa);
  double open_s = in.duration_s;  // time the hole is open during the test
  if (in.sealedUntil_s) {
    r.sealed = *in.sealedUntil_s > 0.0;
    open_s = std::max(0.0, in.duration_s - *in.sealedUntil_s);
    r.orbitLeakStart_s = *in.sealedUntil_s;
  }
  // Isothermal: dp = mdot R T t / V while the drop is small against the pressure difference (any
  // hole near the limit). A large hole empties the article down to the outside pressure and no
  // further: choked to a vacuum the decay is exactly p0 exp(-t / tau) (the flow is linear in p),
  // so the drop is dp_max (1 - exp(-linear / dp_max)), which keeps the linear form for small
  // drops (a 2 mm hole once gave a drop of 5.5e5 Pa from a 101 kPa test).
  const double linear = r.holeLeakRate_kg_s * rAir * t * open_s / in.volume_m3;
  const double available = in.pressure_pa - in.outsidePressure_pa;
  r.holeDrop_pa = available > 0.0 ? -available * std::expm1(-linear / available) : 0.0;
  r.passes = r.holeDrop_pa < r.minDetectableDrop_pa;
  const gas::Upstream cabin{in.orbitPressure_pa, t, rAir, air.gamma};
  r.holeOrbitLeakRate_kg_s = gas::chokedMassFlow(cda, cabin);
  return r;
}

}  // namespace leakhunt::verify
