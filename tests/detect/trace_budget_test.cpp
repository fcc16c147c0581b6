// The detector's trace-gas budget against closed forms and a fine numerical integration.
#include "detect/trace_budget.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace leakhunt::detect {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// dm/dt by the budget's own definition, integrated by RK4 in small steps, with the vapour
// above the cap taken out at once.
double integrate(const TraceBudget& b, double m, double dt) {
  const auto rate = [&](double x) {
    double r = b.production_kg_s - b.linearRate_per_s * x;
    for (const TraceFloor& c : b.coils) r -= c.rate_per_s * std::max(0.0, x - c.floor_kg);
    return r;
  };
  const int n = 20000;
  const double h = dt / n;
  m = std::min(m, b.cap_kg);
  for (int i = 0; i < n; ++i) {
    const double k1 = rate(m), k2 = rate(m + 0.5 * h * k1), k3 = rate(m + 0.5 * h * k2),
                 k4 = rate(m + h * k3);
    m = std::min(m + h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4), b.cap_kg);
  }
  return m;
}

TEST(TraceBudget, fractional_removal_relaxes_to_production_over_rate) {
  TraceBudget b;
  b.production_kg_s = 3.0 / 86400.0;
  b.linearRate_per_s = 1e-3;
  const double steady = b.production_kg_s / b.linearRate_per_s;
  EXPECT_NEAR(advanceTrace(b, 0.01, kInf), steady, 1e-12);
  const double t = 900.0;
  EXPECT_NEAR(advanceTrace(b, 0.01, t), steady + (0.01 - steady) * std::exp(-1e-3 * t), 1e-12);
}

// Three crew in a sealed 10 m^3 Soyuz with no dryer: the vapour rises at their production and
// then holds at saturation; what they make after that condenses.
TEST(TraceBudget, vapour_without_a_dryer_rises_then_holds_at_saturation) {
  TraceBudget b;
  b.production_kg_s = 3.0 * 1.8 / 86400.0;
  b.cap_kg = 0.183;
  const double m0 = 0.108;
  const double toSaturation_s = (b.cap_kg - m0) / b.production_kg_s;  // 1200 s
  EXPECT_NEAR(advanceTrace(b, m0, 0.5 * toSaturation_s),
              m0 + 0.5 * toSaturation_s * b.production_kg_s, 1e-12);
  EXPECT_DOUBLE_EQ(advanceTrace(b, m0, 2.0 * toSaturation_s), b.cap_kg);
  EXPECT_DOUBLE_EQ(advanceTrace(b, m0, kInf), b.cap_kg);
  EXPECT_DOUBLE_EQ(advanceTrace(b, 0.3, 1.0), b.cap_kg);  // above it: condensed at once
  b.cap_kg = kInf;                                        // CO2: nothing bounds it
  EXPECT_EQ(advanceTrace(b, m0, kInf), kInf);
}

// A condensing heat exchanger settles at its floor plus production over its rate, and takes
// nothing from air drier than its coil.
TEST(TraceBudget, coil_settles_above_its_dew_point_and_leaves_drier_air_alone) {
  const std::vector<TraceFloor> coils{{2e-3, 0.08}};
  TraceBudget b;
  b.production_kg_s = 1.8 / 86400.0;
  b.coils = coils;
  EXPECT_NEAR(advanceTrace(b, 0.15, kInf), 0.08 + b.production_kg_s / 2e-3, 1e-12);
  b.production_kg_s = 0.0;
  EXPECT_DOUBLE_EQ(advanceTrace(b, 0.05, 3600.0), 0.05);
  EXPECT_NEAR(advanceTrace(b, 0.15, kInf), 0.08, 1e-12);
}

// Rising through a coil's floor, falling through another's, and reaching saturation within
// one step: the exact pieces agree with a fine integration.
TEST(TraceBudget, crossing_breaks_within_a_step_matches_a_fine_integration) {
  const std::vector<TraceFloor> coils{{1e-3, 0.05}, {5e-4, 0.12}, {2e-3, 0.2}};
  TraceBudget b;
  b.production_kg_s = 2.0 * 1.8 / 86400.0;
  b.linearRate_per_s = 1e-4;
  b.coils = coils;
  b.cap_kg = kInf;
  for (const double m0 : {0.0, 0.07, 0.15, 0.3})
    for (const double dt : {60.0, 1800.0, 20000.0})
      EXPECT_NEAR(advanceTrace(b, m0, dt), integrate(b, m0, dt), 1e-9) << m0 << " " << dt;
  b.linearRate_per_s = 0.0;
  b.cap_kg = 0.07;
  b.coils = std::span<const TraceFloor>(coils).subspan(1);
  for (const double m0 : {0.0, 0.06})
    for (const double dt : {60.0, 1800.0, 20000.0})
      EXPECT_NEAR(advanceTrace(b, m0, dt), integrate(b, m0, dt), 1e-9) << m0 << " " << dt;
}

}  // namespace
}  // namespace leakhunt::detect
