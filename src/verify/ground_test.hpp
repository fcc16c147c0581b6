// Ground acceptance test design (physics.md 7): a pressure-decay test of a module (pressurised
// in air against the room, or in a vacuum chamber) has a minimum detectable leak set by the
// pressure sensor's resolution and the gas temperature's stability, not by patience alone.
//
// Closed forms (isothermal ideal gas in a rigid volume V at temperature T):
//   throughput Q = V dp / dt [Pa m^3/s];  mass rate mdot = Q / (R T);  moles n' = Q / (R_u T).
//   The test sees a leak when its drop over the duration t exceeds what the test cannot vouch
//   for: one resolution step r plus the pressure a gas temperature change dT fakes, p dT / T:
//     dp_min = r + p dT / T,  mdot_min = V dp_min / (R T t).
//   The hole that gives mdot_min through the orifice law of physics.md 2 (choked to a vacuum
//   chamber, subsonic to the room) is the smallest that fails the test.
//   Stabilisation: filling heats the gas by `fillTemperatureRise`; it relaxes to the wall with
//   tau = m c_v / (h A) (A the area of a sphere of volume V, a lower bound on a module's wall,
//   so tau is an upper bound); wait until p dT0 exp(-t/tau) / T falls below r.
//   Helium-leak-test units: the same effective area carrying helium at the test pressures,
//   in Pa m^3/s at T (a helium leak detector reports this throughput).
// Published example checked in tests/verify/ground_test_test.cpp: US 40 CFR 1065.644
// (vacuum-decay leak rate), V = 2.0000 L, p1 = 25.300 kPa at 10:56:25, p2 = 50.600 kPa at
// 10:57:35, T1 = T2 = 293.15 K, R = 8.314472 J/(mol K): n' = V/(R dt) (p2/T2 - p1/T1).
#pragma once

#include <optional>

namespace leakhunt::verify {

struct GroundTestInput {
  double volume_m3 = 0.0;
  double pressure_pa = 0.0;  // absolute test pressure
  double duration_s = 0.0;
  double sensorResolution_pa = 0.0;
  double temperatureStability_k = 0.0;  // gas temperature change the test cannot rule out
  double temperature_k = 293.15;
  double outsidePressure_pa = 0.0;  // 0: vacuum chamber; 101325: in air in the room
  double cd = 0.65;
  double fillTemperatureRise_k = 5.0;
  double wallHeatTransfer_w_m2k = 3.0;
  std::optional<double> holeDiameter_m;
  std::optional<double> sealedUntil_s;  // from the start of the test; the seal lets go then
  double orbitPressure_pa = 101325.0;   // cabin pressure in orbit, to space
};

struct GroundTestResult {
  double minDetectableDrop_pa = 0.0;
  double minDetectableLeakRate_kg_s = 0.0;
  double minDetectableThroughput_pa_m3_s = 0.0;  // air, at the test temperature
  double minDetectableCda_m2 = 0.0;
  double minDetectableDiameter_m = 0.0;
  double thermalTimeConstant_s = 0.0;
  double stabilisationTime_s = 0.0;
  double heliumEquivalent_pa_m3_s = 0.0;
  // With a hole:
  bool hasHole = false;
  double holeLeakRate_kg_s = 0.0;  // open, at the test pressures
  double holeDrop_pa = 0.0;        // over the test, with the seal as given; below p - outside
  bool passes = true;
  bool sealed = false;                  // a seal holds over (part of) the test
  double holeOrbitLeakRate_kg_s = 0.0;  // once the seal lets go, cabin to space
  double orbitLeakStart_s = 0.0;        // from the start of the test
};

GroundTestResult designGroundTest(const GroundTestInput& in);

// Gas lost from (or gained by) a rigid volume between two readings [mol/s], positive for a
// loss: V / (R_u dt) (p1/T1 - p2/T2), R_u given so a published example can be redone exactly.
double molarLeakRate(double volume_m3, double p1_pa, double t1_k, double p2_pa, double t2_k,
                     double dt_s, double universalGasConstant);

}  // namespace leakhunt::verify
