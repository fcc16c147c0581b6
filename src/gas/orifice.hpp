// Compressible flow through an opening (physics.md section 2): choked, subsonic, reversing,
// and regularised near zero pressure difference so that a stiff solver sees a finite slope.
#pragma once

#include <cmath>
#include <numbers>

namespace leakhunt::gas {

// A round hole's area [m^2] from its diameter [m], and the diameter [m] of the round hole with
// effective area `cda_m2` at discharge coefficient `cd`: the one conversion between the
// diameters people quote and the CdA the physics uses.
inline double circleArea(double diameter_m) {
  return std::numbers::pi * diameter_m * diameter_m / 4.0;
}
inline double holeDiameter(double cda_m2, double cd) {
  return std::sqrt(4.0 * cda_m2 / (std::numbers::pi * cd));
}

struct Upstream {
  double pressure_pa;
  double temperature_k;
  double r_j_kgk;  // specific gas constant of the mixture
  double gamma;
};

// Critical pressure ratio (0.528 for air).
double criticalPressureRatio(double gamma);

// Choked mass flux factor sqrt(gamma) (2/(gamma+1))^((gamma+1)/(2(gamma-1))).
double chokedFlowFactor(double gamma);

// Mass flow [kg/s] from upstream to a downstream pressure through effective area cda [m^2].
// Choked below the critical ratio; the isentropic subsonic law above it, with the sqrt(dp)
// root replaced by Modelica's regRoot x/(x^2+d^2)^(1/4) for |dp| small against
// `regularisation_pa`. Never negative: callers orient the opening by pressure.
double orificeMassFlow(double cda_m2, const Upstream& up, double downstreamPressure_pa,
                       double regularisation_pa);

// The pressure difference [Pa] that pushes `massFlow_kg_s` through an opening at a small
// difference (incompressible, regularised as orificeMassFlow): the inverse of that law.
double orificePressureDrop(double cda_m2, double density_kg_m3, double massFlow_kg_s,
                           double regularisation_pa);

// Choked flow to vacuum; the closed forms of physics.md section 2 are written in terms of it.
double chokedMassFlow(double cda_m2, const Upstream& up);

// Effective area [m^2] that carries `massFlow_kg_s` to vacuum from the given cabin state.
double effectiveAreaForChokedFlow(double massFlow_kg_s, const Upstream& up);

}  // namespace leakhunt::gas
