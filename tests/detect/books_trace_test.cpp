// The books' distances from the CO2 and water balance (books_model.hpp, docs/detection.md, "A
// station not yet at its balance"): each module's gap decays through its removers and moves
// between modules through the hatches' fans exactly as exp(F t) says, what the removers take
// leaves the segment's air and nothing else does, and a file that states a gas's level gets no
// states for it.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "detect/books_model.hpp"
#include "model/station_load.hpp"

namespace leakhunt::detect {
namespace {

constexpr double kBlock = 60.0;

// Two modules joined by a hatch whose fans exchange 0.05 m^3/s; a remover of 0.01 m^3/s of
// water in the second.
BooksModel twoModulesWithADryer() {
  ModuleBooks a, b;
  a.volume_m3 = 80.0;
  b.volume_m3 = 40.0;
  for (ModuleBooks* m : {&a, &b}) {
    m->temperature_k = 295.0;
    m->inventory_kg = 0.8 * m->volume_m3;
    m->pressureSensors = 1;
    m->pressureNoise_pa = 1.0;
    m->traceFromBalance_kg = {0.0, -0.02 * m->volume_m3};
  }
  b.traceRemoval_m3_s = {0.0, 0.01};
  BooksModelOptions o;
  o.block_s = kBlock;
  return booksModel({a, b}, 67000.0, 92.0 * 60.0, o, {{0, 1, 0.05}});
}

TEST(BooksTrace, a_gap_decays_through_the_remover_and_its_loss_leaves_the_segments_air) {
  const BooksModel model = twoModulesWithADryer();
  ASSERT_EQ(model.trace[0][0], -1);  // no CO2 distance anywhere: no CO2 states
  ASSERT_GE(model.trace[0][1], 0);
  ASSERT_GE(model.trace[1][1], 0);
  const BooksMatrices joined = booksMatrices(model, {{0, 0}, 1});
  // Gap only in the first module (no remover there): after many blocks it has spread, been
  // taken by the dryer, and the air lost equals the gap lost.
  Eigen::VectorXd x = Eigen::VectorXd::Zero(model.stateCount);
  x(model.offset[0]) = model.modules[0].inventory_kg;
  x(model.offset[1]) = model.modules[1].inventory_kg;
  const double gap0 = 1.0;
  x(model.trace[0][1]) = gap0;
  const double air0 = x(model.offset[0]) + x(model.offset[1]);
  const int blocks = 600;  // 10 h
  for (int k = 0; k < blocks; ++k) x = joined.A * x;
  const double gap = x(model.trace[0][1]) + x(model.trace[1][1]);
  const double air = x(model.offset[0]) + x(model.offset[1]);
  EXPECT_LT(gap, 0.9 * gap0);
  EXPECT_NEAR(air0 - air, gap0 - gap, 1e-9 * air0);
  // The gaps as the closed form of two well-mixed volumes a fan joins says: concentrations
  // c = gap / V with F = [[-q/Va, q/Vb], [q/Va, -(q + r)/Vb]] on the gaps, exp(F t) =
  // e^{s t} (cosh(d t) I + sinh(d t) / d (F - s I)), s = tr F / 2, d^2 = s^2 - det F.
  const double q = 0.05, r = 0.01, va = 80.0, vb = 40.0, t = blocks * kBlock;
  const double f11 = -q / va, f12 = q / vb, f21 = q / va, f22 = -(q + r) / vb;
  const double s = 0.5 * (f11 + f22), d = std::sqrt(s * s - (f11 * f22 - f12 * f21));
  const double c = std::cosh(d * t), sh = std::sinh(d * t) / d;
  const double closedA = std::exp(s * t) * (c + sh * (f11 - s));  // gap left in the first
  const double closedB = std::exp(s * t) * sh * f21;              // and moved to the second
  EXPECT_NEAR(x(model.trace[0][1]), closedA * gap0, 1e-9);
  EXPECT_NEAR(x(model.trace[1][1]), closedB * gap0, 1e-9);
  // The inventories keep the segment's pressure shares.
  EXPECT_NEAR(x(model.offset[0]) / air, 80.0 / 120.0, 1e-12);
}

TEST(BooksTrace, apart_a_gap_without_a_remover_moves_no_air) {
  const BooksModel model = twoModulesWithADryer();
  const BooksMatrices apart = booksMatrices(model, {{0, 1}, 2});
  Eigen::VectorXd x = Eigen::VectorXd::Zero(model.stateCount);
  x(model.trace[0][1]) = 1.0;
  x(model.trace[1][1]) = 1.0;
  const Eigen::VectorXd next = apart.A * x;
  // The first module's gap stays (no fans across a closed hatch, no remover); the second's
  // decays by exp(-r dt / V) and that much leaves its air.
  EXPECT_DOUBLE_EQ(next(model.trace[0][1]), 1.0);
  EXPECT_DOUBLE_EQ(next(model.offset[0]), 0.0);
  const double kept = std::exp(-0.01 * kBlock / 40.0);
  EXPECT_NEAR(next(model.trace[1][1]), kept, 1e-12);
  EXPECT_NEAR(next(model.offset[1]), -(1.0 - kept), 1e-12);
}

// A file that gives the gas's level (the ISS's 0.4 % CO2 and 1.47 % water) states the cabin's
// running level: no states, so the ISS's books are as before. The outpost twin declares a
// cabin as filled, with no CO2 or water: both gases get a state in every module, each gap
// below the balance (negative), the balance's CO2 and water in cabin-air kilograms.
TEST(BooksTrace, only_a_gas_the_atmosphere_leaves_out_gets_states) {
  const std::string data = std::string(LEAKHUNT_SOURCE_DIR) + "/data/stations/";
  const Result<model::Station> iss = model::loadStation(data + "iss-2018.yaml");
  ASSERT_TRUE(iss.ok()) << iss.error().message;
  const BooksModel issBooks = booksModelOf(*iss);
  for (const auto& t : issBooks.trace) EXPECT_EQ(t, (std::array<int, 2>{-1, -1}));
  EXPECT_EQ(issBooks.stateCount, booksModelOf(*iss, {.traceBalanceFraction = 0.0}).stateCount);
  const Result<model::Station> twin = model::loadStation(data + "calibration/outpost-twin-5.yaml");
  ASSERT_TRUE(twin.ok()) << twin.error().message;
  const BooksModel twinBooks = booksModelOf(*twin);
  ASSERT_EQ(twinBooks.trace.size(), twin->modules.size());
  double water = 0.0;
  for (std::size_t i = 0; i < twinBooks.modules.size(); ++i) {
    EXPECT_GE(twinBooks.trace[i][0], 0);
    EXPECT_GE(twinBooks.trace[i][1], 0);
    EXPECT_LT(twinBooks.modules[i].traceFromBalance_kg[0], 0.0);
    EXPECT_LT(twinBooks.modules[i].traceFromBalance_kg[1], 0.0);
    water -= twinBooks.modules[i].traceFromBalance_kg[1];
  }
  // About 11 mmHg of water over 240 m^3 (the file's sizing note), as cabin air: 2.6 kg of
  // vapour, 1.6 times that as cabin air by moles.
  EXPECT_GT(water, 3.0);
  EXPECT_LT(water, 5.5);
}

}  // namespace
}  // namespace leakhunt::detect
