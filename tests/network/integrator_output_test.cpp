// Outputs inside a step come from the step's interpolant, evaluated by the integrator itself
// from CVODE's derivatives at the step's end (issue 15: at 1 Hz a step holds about forty
// outputs). They must be the solution to the tolerance, at any spacing, also across restarts.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "network/integrator.hpp"

namespace leakhunt::network {
namespace {

// y0' = -y0 / 100, y1' = cos(t / 50) / 50: a decay and an oscillation, both closed forms.
Integrator oscillator(double rtol) {
  IntegratorOptions o;
  o.relativeTolerance = rtol;
  o.absoluteTolerance = {1e-3 * rtol, 1e-3 * rtol};
  return Integrator(
      2,
      [](double t, std::span<const double> y, std::span<double> dy) {
        dy[0] = -y[0] / 100.0;
        dy[1] = std::cos(t / 50.0) / 50.0;
      },
      o);
}

TEST(IntegratorOutput, outputs_inside_steps_follow_the_solution) {
  for (const double spacing : {0.37, 1.0, 7.0}) {
    Integrator integ = oscillator(1e-6);
    std::vector<double> y{1.0, 0.0};
    integ.restart(0.0, y, 400.0);
    double worst = 0.0;
    long outputs = 0;
    for (double t = spacing; t <= 400.0; t += spacing, ++outputs) {
      ASSERT_TRUE(integ.advance(t, y).ok());
      worst = std::max(worst, std::abs(y[0] - std::exp(-t / 100.0)));
      worst = std::max(worst, std::abs(y[1] - std::sin(t / 50.0)));
    }
    // At 1 s and below, more outputs than steps: most came from inside a step.
    if (spacing <= 1.0) {
      EXPECT_GT(outputs, 2 * integ.stats().steps) << spacing;
    }
    // The global error of rtol 1e-6 (about ten times the local tolerance); a wrong series is off
    // by the step times the rate, some 1e-2 here.
    EXPECT_LT(worst, 1e-4) << "output every " << spacing << " s";
  }
}

TEST(IntegratorOutput, a_restart_forgets_the_old_step) {
  Integrator integ = oscillator(1e-9);
  std::vector<double> y{1.0, 0.0};
  integ.restart(0.0, y, 100.0);
  for (double t = 1.0; t <= 50.0; t += 1.0) ASSERT_TRUE(integ.advance(t, y).ok());
  // Restart at 50 s from a state moved by a jump: the outputs after it follow the new state.
  y[0] = 2.0 * std::exp(-0.5);
  integ.restart(50.0, y, 100.0);
  for (double t = 51.0; t <= 100.0; t += 1.0) {
    ASSERT_TRUE(integ.advance(t, y).ok());
    EXPECT_NEAR(y[0], 2.0 * std::exp(-t / 100.0), 1e-7) << t;
  }
}

}  // namespace
}  // namespace leakhunt::network
