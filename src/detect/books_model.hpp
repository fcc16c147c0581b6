// The station's air books as a linear Gaussian state-space model (issue 13, physics.md 5,
// "Bounds when the noise is not white"; docs/detection.md, "The books as a state-space model").
//
// States, per module i, on the block grid (one step = one block of `block_s`):
//   M_i            the air inventory [kg of cabin air, i.e. moles as cabin-air mass];
//   tau_i, tau'_i  the unmeasured gas-temperature wander, a second-order Gauss-Markov process
//                  of unit variance (tau' its derivative), scaled into kilograms by the
//                  observation: a gas warmer than its thermometer by u reads as M u / T more air;
//   s_i, s'_i      the wander of the module's sources and sinks (machines and crew): band-pass
//                  (default), s_i is a unit-variance displacement whose derivative over w is
//                  the rate's wander, so the air moved is sourceWander_kg_s s_i / w; low-pass,
//                  s_i is the rate's wander itself, integrated into M_i at sourceWander_kg_s;
//   o_i, o'_i      only for a module with no thermometer: its orbital day/night cycle, which no
//                  sensor then sees, as a lightly damped oscillator at the orbital period;
//   f_i            only for a module with repress tanks: the running repress's error as a
//                  unit factor, constant over the repress (books_filter.hpp);
//   c_i, h_i       only on a station whose declared atmosphere is not its CO2 and water
//                  balance: how far the module's CO2 and water lie from the balance the known
//                  sources assume, as cabin air [kg]. The removers take them at their
//                  concentration, so a station still creeping to balance gains air the books
//                  did not count until the gap closes (docs/detection.md, "A station not yet
//                  at its balance").
// The leak rate is not a state of the null model: a leak is a jump in the books' input of
// unknown size and onset, found and sized by the GLR on the filter's innovations
// (leak_glr.hpp). Its Fisher information comes from the same matrices (full_model_bound.hpp).
//
// Topology (which modules are joined by open hatches) enters in two places only: gas mixes
// within a segment at once (the transition projects the modules' inventories onto the
// segment's pressure, shares V_i / T_i), and each segment's inventory is one observation (the
// observation matrix sums its modules). A hatch operation changes these matrices, never the
// states, so nothing is forgotten at a split or a merge.
//
// Pure value types and functions; no I/O.
#pragma once

#include <Eigen/Dense>
#include <Eigen/SparseCore>
#include <array>
#include <vector>

#include "detect/trace_gases.hpp"
#include "model/station.hpp"

namespace leakhunt::detect {

// What the station file does not declare: the time scales and shapes of the wanders, from the
// simulator's generators (docs/simulator.md, network/smooth_noise.hpp: each wander is four
// sinusoids of periods drawn uniformly from 1 to 8 h for the gas temperature, 0.5 to 6 h for
// the sources). docs/detection.md, "The wanders' shape".
struct BooksModelOptions {
  double block_s = 60.0;
  // The gas temperature is seen as a level, so its wander moves no air on average already.
  // 2.4 h: the period whose change over lags of 5 min to 24 h is closest to the simulator's
  // (0.84 to 1.11 of it; 2.83 h, the first session's sqrt(1 h x 8 h), 0.81 to 1.11).
  double temperatureWanderPeriod_s = 2.4 * 3600.0;
  // The source wander is a rate with no power at zero frequency (machines cycle, crews sleep:
  // over a day they average out), so the air it moves is bounded. Band-pass: the rate is
  // the derivative of a Gauss-Markov displacement x, s = x' / w, and the air it has moved is
  // sigma_s x / w. Without it (a low-pass rate) the books' variance grows without bound and a
  // slow leak looks like slow wander.
  bool sourceWanderBandPass = true;
  // Band-pass: the period whose displacement variance sigma_s^2 / w^2 is the simulator's,
  // sigma_s^2 E[P^2] / (2 pi)^2 for P uniform on 0.5 to 6 h: sqrt(E[P^2]) = 3.62 h.
  double sourceWanderPeriod_s = 3.62 * 3600.0;
  double wanderDamping = 1.0;  // zeta: critically damped, smooth paths
  double orbitDamping = 0.01;  // the orbital cycle keeps its phase for days
  // Sd a median of n pressure sensors has, per sensor sd over sqrt(n) (detector.cpp's prior).
  double medianEfficiency = 1.25;
  // At a split, each part's air is its share V_i / T_i of the segment's at the set points; the
  // gas temperatures differ from them by the orbital swing (up to 0.8 K of 295 K on ISS 2018),
  // so each new segment's level is uncertain by this fraction of its inventory. Untuned.
  double splitLevelFraction = 0.003;
  // A logged repress's error is one factor over the whole repress (the tank and the gauge are
  // off by the same fraction from start to end), not fresh noise every block: a state per
  // module with repress tanks, reset when a repress starts there. Then the error is a ramp
  // that stops with the repress, and a hole opening during it bends the ramp. The repress gas
  // reaches the segment's median pressure a minute late (it mixes through the hatches): the
  // detector gives the blocks at a repress's start and end that lag's level uncertainty
  // (books_detector.cpp), without which a factor raised false alarms at a repress's start.
  bool repressFactorState = true;
  // How far from its CO2 and water balance the station may be when the data begin
  // (trace_gases.hpp, kTraceBalanceFraction: one prior for both detectors).
  double traceBalanceFraction = kTraceBalanceFraction;
};

// One module's books: everything the matrices need, derived from the station file.
struct ModuleBooks {
  double volume_m3 = 0.0;
  double temperature_k = 0.0;         // set point
  double inventory_kg = 0.0;          // at the nominal pressure and set point
  double temperatureWander_kg = 0.0;  // M u / T, u = temperature_unmeasured
  double sourceWander_kg_s = 0.0;     // sd of the summed sources' rate wander
  double orbitWander_kg = 0.0;        // sd of the unseen orbital cycle (no thermometer), else 0
  double thermometerNoise_kg = 0.0;   // M sd(block-mean temperature) / T, 0 without thermometer
  double pressureNoise_pa = 0.0;      // summed block-mean sd of its pressure sensors
  int pressureSensors = 0;
  bool repressTanks = false;  // gas is let in here from tanks (a repress factor state)
  // CO2 (0) and water (1): what the module's removers clear [m^3/s of cabin air, flow times
  // efficiency], and the declared atmosphere's gas less the balance's, as cabin air [kg].
  std::array<double, 2> traceRemoval_m3_s{};
  std::array<double, 2> traceFromBalance_kg{};
};

// A hatch's fans, which carry CO2 and water between its modules while it joins one segment.
struct TraceExchange {
  int a = 0, b = 0;
  double flow_m3_s = 0.0;
};

struct BooksModel {
  BooksModelOptions options;
  double pressure_pa = 101325.0;  // nominal, to turn pressure noise into inventory noise
  double orbitalPeriod_s = 92.0 * 60.0;
  std::vector<ModuleBooks> modules;
  // Index of module i's first state (M_i) and its number of states (5, or 7 with an orbit).
  std::vector<int> offset, width;
  // Index of module i's repress factor (after every module's block), -1 if it has none.
  std::vector<int> factor;
  // Index of module i's CO2 (0) and water (1) distance from balance, -1 where the station's
  // declared atmosphere is that gas's balance (or nothing removes it, so its level moves no
  // air): after the factors.
  std::vector<std::array<int, 2>> trace;
  std::vector<TraceExchange> exchange;
  int stateCount = 0;
};

// Builds the layout (offset, width, factor, trace, stateCount) from `modules`.
BooksModel booksModel(std::vector<ModuleBooks> modules, double pressure_pa, double orbitalPeriod_s,
                      BooksModelOptions options = {}, std::vector<TraceExchange> exchange = {});

// From a station file: volumes, set points, `temperature_unmeasured`, each source's `spread`,
// the crew at their declared places, the orbital swing of modules without a thermometer, and
// the sensors' noise, resolution and period (as detector.cpp derives its priors).
BooksModel booksModelOf(const model::Station& station, BooksModelOptions options = {});

// Which segment each module is in (0 .. segmentCount-1).
struct BooksTopology {
  std::vector<int> segmentOf;
  int segmentCount = 0;
  bool operator==(const BooksTopology&) const = default;
};

BooksTopology oneSegment(std::size_t modules);

// The model's matrices for one topology: x_k = A x_{k-1} + B u_k + w, w ~ N(0, Q);
// y_k = H x_k + v, v ~ N(0, R). `u` is per module: the known sources' mass over the block
// [kg], and the leak's input direction (B times -block_s on the leaking modules).
struct BooksMatrices {
  Eigen::MatrixXd A, B, Q, H, R;
  // A and B are mostly zeros (each inventory row touches its segment only): the filter and the
  // GLR multiply by these.
  Eigen::SparseMatrix<double> sparseA, sparseB;
};

BooksMatrices booksMatrices(const BooksModel& model, const BooksTopology& topology);

// The stationary covariance of the wander states (the inventory rows and columns are zero).
Eigen::MatrixXd stationaryWanderCovariance(const BooksModel& model);

// The prior of the distances from balance as one column: one unknown fraction of the way
// (traceBalanceFraction) for every module and both gases, so P0 += v v'. Zero without them.
Eigen::VectorXd traceBalancePrior(const BooksModel& model);

// exp(F t) for the second-order Gauss-Markov process x'' + 2 zeta w x' + w^2 x = noise.
Eigen::Matrix2d oscillatorTransition(double omega, double zeta, double t);

}  // namespace leakhunt::detect
