#include <gtest/gtest.h>

#include <cmath>

#include "network/network_inputs.hpp"
#include "network/thermal_grid.hpp"

namespace leakhunt::network {
namespace {

ModuleThermal cabin() {
  ModuleThermal m;
  m.setPoint_k = 295.0;
  m.setPointChanges = {{1000.0, 297.0}, {3000.0, 294.0}};
  m.swing_k = 0.3;
  m.orbitalOmega_rad_s = 2.0 * 3.14159265358979 / 5520.0;
  m.phase_rad = 0.7;
  m.unmeasured_k = 0.05;
  m.unmeasuredNoise = SmoothNoise(9, 3600.0, 8.0 * 3600.0);
  return m;
}

// The rate is the derivative of the temperature (checked by central differences), and the
// combined evaluation the right-hand side uses gives the same numbers as the separate ones.
TEST(ModuleThermal, rate_is_the_derivative_and_the_combined_call_agrees) {
  const ModuleThermal m = cabin();
  for (double t = 10.0; t < 20000.0; t += 397.0) {
    const double h = 1e-3;
    const double numeric = (m.gas(t + h) - m.gas(t - h)) / (2.0 * h);
    EXPECT_NEAR(m.gasRate(t), numeric, 1e-9) << t;
    double g = 0.0, r = 0.0;
    m.gasAndRate(t, g, r);
    EXPECT_NEAR(g, m.gas(t), 1e-12);
    EXPECT_NEAR(r, m.gasRate(t), 1e-15);
  }
  // A set-point change is approached, not jumped to.
  EXPECT_NEAR(m.sensed(1000.0) - m.sensed(999.999), 0.0, 1e-3);
  // First-order approach with the 20 min response time: 295 + 2 (1 - exp(-1990/1200)).
  EXPECT_NEAR(m.sensed(2990.0) - 0.3 * std::sin(m.orbitalOmega_rad_s * 2990.0 + 0.7),
              295.0 + 2.0 * (1.0 - std::exp(-1990.0 / 1200.0)), 1e-9);
}

// Output at 1 Hz advances the sines by rotation: over 10 days of seconds it must stay on the
// exact values, and a jump in k must be computed afresh.
TEST(ThermalGrid, rotation_stays_on_the_exact_temperature) {
  const ModuleThermal m = cabin();
  ThermalGrid grid(m, 1.0);
  double worst = 0.0;
  for (long k = 0; k < 864000; ++k) {
    const GridTemperature g = grid.at(k);
    const double t = static_cast<double>(k);
    worst = std::max(worst, std::abs(g.gas_k - m.gas(t)));
    if (k % 9973 == 0) {
      EXPECT_NEAR(g.unmeasured_k, m.gas(t) - m.sensed(t), 1e-9);
    }
  }
  EXPECT_LT(worst, 1e-9);
  EXPECT_NEAR(grid.at(5).gas_k, m.gas(5.0), 1e-12);
}

}  // namespace
}  // namespace leakhunt::network
