// Water vapour in cabin air: the saturation pressure over liquid water, and the smooth "only
// above" step that condensation and condensing heat exchangers use (physics.md section 4).
#pragma once

namespace leakhunt::gas {

// Saturation vapour pressure over plane liquid water [Pa] at `temperature_k` [K], by Buck's
// formula (Buck 1981, with the 1996 coefficients):
//   p_sat = 611.21 exp((18.678 - T/234.5) (T / (257.14 + T))),  T in degC.
// Within 0.05 % of IAPWS between 0 and 50 degC (tests/network/humidity_test.cpp).
double saturationPressure(double temperature_k);

// max(0, x) with its corner rounded over [0, width]: zero at and below 0, x^2 / (2 width)
// inside, x - width / 2 above. Once differentiable, so a stiff integrator's Newton iteration
// sees a continuous Jacobian as vapour crosses saturation.
double smoothExcess(double x, double width);

}  // namespace leakhunt::gas
