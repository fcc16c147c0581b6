#include "detect/books_model.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <unsupported/Eigen/MatrixFunctions>

#include "detect/residual_noise.hpp"
#include "gas/species.hpp"
#include "model/steady_air.hpp"

namespace leakhunt::detect {

namespace {

constexpr int kInventory = 0, kTemperature = 1, kSource = 3, kOrbit = 5;

// Q of a unit-variance oscillator over one step: the stationary covariance less what the
// transition carries of it (exact for a stationary Gauss-Markov process).
Eigen::Matrix2d oscillatorNoise(const Eigen::Matrix2d& phi, double omega) {
  Eigen::Matrix2d stationary = Eigen::Matrix2d::Zero();
  stationary(0, 0) = 1.0;
  stationary(1, 1) = omega * omega;
  Eigen::Matrix2d q = stationary - phi * stationary * phi.transpose();
  return 0.5 * (q + q.transpose());
}

}  // namespace

Eigen::Matrix2d oscillatorTransition(double omega, double zeta, double t) {
  // exp(F t), F = [[0, 1], [-w^2, -2 zeta w]]: e^{s t} (c I + g (F - s I)), s = -zeta w,
  // with c = cosh(d t), g = sinh(d t) / d and d^2 = s^2 - w^2 (cos and sin when d^2 < 0).
  Eigen::Matrix2d f;
  f << 0.0, 1.0, -omega * omega, -2.0 * zeta * omega;
  const double s = -zeta * omega;
  const double d2 = s * s - omega * omega;
  double c = 1.0, g = t;
  if (std::abs(d2) * t * t > 1e-12) {
    const double d = std::sqrt(std::abs(d2));
    if (d2 > 0.0) {
      c = std::cosh(d * t);
      g = std::sinh(d * t) / d;
    } else {
      c = std::cos(d * t);
      g = std::sin(d * t) / d;
    }
  }
  const Eigen::Matrix2d identity = Eigen::Matrix2d::Identity();
  return std::exp(s * t) * (c * identity + g * (f - s * identity));
}

BooksModel booksModel(std::vector<ModuleBooks> modules, double pressure_pa, double orbitalPeriod_s,
                      BooksModelOptions options, std::vector<TraceExchange> exchange) {
  BooksModel m;
  m.options = options;
  m.pressure_pa = pressure_pa;
  m.orbitalPeriod_s = orbitalPeriod_s;
  m.modules = std::move(modules);
  for (const ModuleBooks& b : m.modules) {
    m.offset.push_back(m.stateCount);
    const int width = b.orbitWander_kg > 0.0 ? 7 : 5;
    m.width.push_back(width);
    m.stateCount += width;
  }
  for (const ModuleBooks& b : m.modules)
    m.factor.push_back(options.repressFactorState && b.repressTanks ? m.stateCount++ : -1);
  // A gas's distances from balance are states where some module's declared level is off its
  // balance and something removes that gas (else its level changes no flow).
  m.trace.assign(m.modules.size(), {-1, -1});
  for (std::size_t k = 0; k < 2; ++k) {
    bool off = false, removed = false;
    for (const ModuleBooks& b : m.modules) {
      off = off || b.traceFromBalance_kg[k] != 0.0;
      removed = removed || b.traceRemoval_m3_s[k] > 0.0;
    }
    if (!off || !removed || options.traceBalanceFraction <= 0.0) continue;
    for (std::size_t i = 0; i < m.modules.size(); ++i) m.trace[i][k] = m.stateCount++;
  }
  m.exchange = std::move(exchange);
  return m;
}

BooksModel booksModelOf(const model::Station& station, BooksModelOptions options) {
  const double cabinR =
      gas::mixtureProperties(gas::toMassFractions(station.atmosphere.composition)).r_j_kgk;
  // The one noise model's terms per module (residual_noise.hpp), from the declared sensors.
  const std::vector<ModuleNoise> noise = declaredModuleNoise(station, cabinR, options.block_s);
  const NoiseScale scale = noiseScale(station, cabinR, 3.0 * 3600.0);
  std::vector<int> crew(station.modules.size(), 0);
  for (const model::CrewMember& c : station.crew)
    if (const int m = station.moduleIndex(c.location); m >= 0) ++crew[static_cast<std::size_t>(m)];
  std::vector<ModuleBooks> books(station.modules.size());
  for (std::size_t i = 0; i < station.modules.size(); ++i) {
    const ModuleNoise& n = noise[i];
    ModuleBooks& b = books[i];
    b.volume_m3 = station.modules[i].volume_m3;
    b.temperature_k = model::gasTemperature(station, i);
    b.inventory_kg = n.inventory_kg;
    b.temperatureWander_kg = std::sqrt(n.temperatureWanderVar_kg2);
    b.thermometerNoise_kg = std::sqrt(n.thermometerVar_kg2);
    b.pressureNoise_pa = n.pressureNoise_pa;
    b.pressureSensors = n.pressureSensors;
    // Sources: each machine's stated spread times its rate as cabin air, and the crew's.
    b.sourceWander_kg_s =
        std::sqrt(n.machineVar_kg2_s2 + crew[i] * scale.crewWander_kg_s * scale.crewWander_kg_s);
    // The unseen orbital cycle of a module no thermometer watches: sd of a sinusoid, A / sqrt 2.
    if (!n.thermometer && station.modules[i].orbitalSwing_k > 0.0)
      b.orbitWander_kg =
          b.inventory_kg * station.modules[i].orbitalSwing_k / (std::sqrt(2.0) * b.temperature_k);
  }
  for (const model::RepressTank& t : station.repressTanks)
    if (const int m = station.moduleIndex(t.module); m >= 0)
      books[static_cast<std::size_t>(m)].repressTanks = true;
  // CO2 and water: the removers' flow times efficiency, and how far the declared atmosphere
  // is from the balance the known sources start at (TraceGases::start, the same rule: where
  // nothing removes a gas its balance is the declared level, so the distance is zero). Only
  // for a gas the file's atmosphere leaves out: a file that gives a level (the ISS's 0.4 %
  // CO2) states the cabin's running level; one that gives none describes a cabin as filled,
  // whose gases are still on their way to balance (docs/detection.md, "A station not yet at
  // its balance").
  for (const model::LifeSupport& ls : station.lifeSupport) {
    const int m = station.moduleIndex(ls.module);
    if (m < 0) continue;
    if (ls.kind == model::LifeSupportKind::Co2Removal)
      books[static_cast<std::size_t>(m)].traceRemoval_m3_s[0] += ls.flow_m3_s * ls.efficiency;
    else if (ls.kind == model::LifeSupportKind::H2oRemoval)
      books[static_cast<std::size_t>(m)].traceRemoval_m3_s[1] += ls.flow_m3_s * ls.efficiency;
  }
  const model::SteadyAir air = model::steadyAir(station);
  constexpr std::array<gas::Species, 2> kTrace{gas::Species::CO2, gas::Species::H2O};
  for (std::size_t k = 0; k < 2; ++k) {
    const std::size_t sp = gas::index(kTrace[k]);
    const double described = station.atmosphere.pressure_pa * station.atmosphere.composition[sp];
    if (!atmosphereLeavesOut(station, kTrace[k])) continue;
    for (std::size_t i = 0; i < station.modules.size(); ++i) {
      const double balance = k == 0 ? air.ppCo2_pa[i] : air.ppH2o_pa[i];
      if (!std::isfinite(balance) || (k == 1 && !air.waterRemoved[i])) continue;
      // As cabin air: the moles the gas holds, at the cabin air's gas constant.
      books[i].traceFromBalance_kg[k] = (described - balance) * station.modules[i].volume_m3 /
                                        (cabinR * model::gasTemperature(station, i));
    }
  }
  std::vector<TraceExchange> exchange;
  for (const model::Hatch& h : station.hatches) {
    const int a = station.moduleIndex(h.moduleA), b = station.moduleIndex(h.moduleB);
    if (a >= 0 && b >= 0 && a != b && h.ventilation_m3_s > 0.0)
      exchange.push_back({a, b, h.ventilation_m3_s});
  }
  return booksModel(std::move(books), station.atmosphere.pressure_pa, station.orbitalPeriod_s,
                    options, std::move(exchange));
}

BooksTopology oneSegment(std::size_t modules) {
  return {std::vector<int>(modules, 0), modules > 0 ? 1 : 0};
}

Eigen::MatrixXd stationaryWanderCovariance(const BooksModel& model) {
  const auto n = static_cast<Eigen::Index>(model.stateCount);
  Eigen::MatrixXd p = Eigen::MatrixXd::Zero(n, n);
  const double pi2 = 2.0 * std::numbers::pi;
  const double wT = pi2 / model.options.temperatureWanderPeriod_s;
  const double wS = pi2 / model.options.sourceWanderPeriod_s;
  const double wO = pi2 / model.orbitalPeriod_s;
  for (std::size_t i = 0; i < model.modules.size(); ++i) {
    const int o = model.offset[i];
    p(o + kTemperature, o + kTemperature) = 1.0;
    p(o + kTemperature + 1, o + kTemperature + 1) = wT * wT;
    p(o + kSource, o + kSource) = 1.0;
    p(o + kSource + 1, o + kSource + 1) = wS * wS;
    if (model.width[i] == 7) {
      p(o + kOrbit, o + kOrbit) = 1.0;
      p(o + kOrbit + 1, o + kOrbit + 1) = wO * wO;
    }
    if (model.factor[i] >= 0) p(model.factor[i], model.factor[i]) = 1.0;
  }
  return p;
}

Eigen::VectorXd traceBalancePrior(const BooksModel& model) {
  Eigen::VectorXd v = Eigen::VectorXd::Zero(model.stateCount);
  for (std::size_t i = 0; i < model.modules.size(); ++i)
    for (std::size_t k = 0; k < 2; ++k)
      if (const int t = model.trace[i][k]; t >= 0)
        v(t) = model.options.traceBalanceFraction * model.modules[i].traceFromBalance_kg[k];
  return v;
}

BooksMatrices booksMatrices(const BooksModel& model, const BooksTopology& topology) {
  const BooksModelOptions& opt = model.options;
  const double dt = opt.block_s;
  const auto n = static_cast<Eigen::Index>(model.stateCount);
  const auto nm = static_cast<Eigen::Index>(model.modules.size());
  const auto ns = static_cast<Eigen::Index>(topology.segmentCount);
  const double pi2 = 2.0 * std::numbers::pi;
  const double wT = pi2 / opt.temperatureWanderPeriod_s;
  const double wS = pi2 / opt.sourceWanderPeriod_s;
  const double wO = pi2 / model.orbitalPeriod_s;
  const Eigen::Matrix2d phiT = oscillatorTransition(wT, opt.wanderDamping, dt);
  const Eigen::Matrix2d phiS = oscillatorTransition(wS, opt.wanderDamping, dt);
  const Eigen::Matrix2d phiO = oscillatorTransition(wO, opt.orbitDamping, dt);
  // The air the source wander moves over a block, as a row acting on (s, s') of the block
  // before. Band-pass: (x_k - x_{k-1}) / w, exact, its noise part added to Q below. Low-pass:
  // the rate's integral, Simpson's rule on the noise-free path, exact to (w dt)^4.
  Eigen::RowVector2d sourceRow;
  if (opt.sourceWanderBandPass) {
    sourceRow = (phiS.row(0) - Eigen::RowVector2d(1.0, 0.0)) / wS;
  } else {
    const Eigen::Matrix2d phiHalf = oscillatorTransition(wS, opt.wanderDamping, 0.5 * dt);
    sourceRow = dt / 6.0 * (Eigen::RowVector2d(1.0, 0.0) + 4.0 * phiHalf.row(0) + phiS.row(0));
  }

  BooksMatrices out;
  out.A = Eigen::MatrixXd::Zero(n, n);
  out.Q = Eigen::MatrixXd::Zero(n, n);
  out.B = Eigen::MatrixXd::Zero(n, nm);
  out.H = Eigen::MatrixXd::Zero(ns, n);
  out.R = Eigen::MatrixXd::Zero(ns, ns);
  // Before mixing: each module's own inventory gains its sources' wander.
  Eigen::MatrixXd own = Eigen::MatrixXd::Zero(nm, n);
  for (Eigen::Index i = 0; i < nm; ++i) {
    const auto& b = model.modules[static_cast<std::size_t>(i)];
    const int o = model.offset[static_cast<std::size_t>(i)];
    own(i, o + kInventory) = 1.0;
    own.block(i, o + kSource, 1, 2) = b.sourceWander_kg_s * sourceRow;
    out.A.block(o + kTemperature, o + kTemperature, 2, 2) = phiT;
    out.Q.block(o + kTemperature, o + kTemperature, 2, 2) = oscillatorNoise(phiT, wT);
    out.A.block(o + kSource, o + kSource, 2, 2) = phiS;
    out.Q.block(o + kSource, o + kSource, 2, 2) = oscillatorNoise(phiS, wS);
    if (model.width[static_cast<std::size_t>(i)] == 7) {
      out.A.block(o + kOrbit, o + kOrbit, 2, 2) = phiO;
      out.Q.block(o + kOrbit, o + kOrbit, 2, 2) = oscillatorNoise(phiO, wO);
    }
    // The repress factor holds still; a repress's start resets it (BooksFilter::step).
    if (const int f = model.factor[static_cast<std::size_t>(i)]; f >= 0) out.A(f, f) = 1.0;
  }
  // Mixing: a segment's gas settles at one pressure, each module holding the share V_i / T_i.
  std::vector<double> segmentInventory(static_cast<std::size_t>(ns), 0.0);
  for (Eigen::Index i = 0; i < nm; ++i)
    segmentInventory[static_cast<std::size_t>(topology.segmentOf[static_cast<std::size_t>(i)])] +=
        model.modules[static_cast<std::size_t>(i)].inventory_kg;
  // Band-pass: the displacement's own noise this block reaches the air too, so the inventory
  // rows share the oscillators' noise: Q = T Q0 T', T mapping each displacement to the air.
  Eigen::MatrixXd noiseToAir = Eigen::MatrixXd::Identity(n, n);
  for (Eigen::Index i = 0; i < nm; ++i) {
    const int gi = topology.segmentOf[static_cast<std::size_t>(i)];
    const double share = model.modules[static_cast<std::size_t>(i)].inventory_kg /
                         segmentInventory[static_cast<std::size_t>(gi)];
    const int oi = model.offset[static_cast<std::size_t>(i)];
    for (Eigen::Index j = 0; j < nm; ++j) {
      if (topology.segmentOf[static_cast<std::size_t>(j)] != gi) continue;
      out.A.row(oi + kInventory) += share * own.row(j);
      out.B(oi + kInventory, j) = share;
      noiseToAir(oi + kInventory, model.offset[static_cast<std::size_t>(j)] + kSource) =
          share * model.modules[static_cast<std::size_t>(j)].sourceWander_kg_s / wS;
    }
  }
  if (opt.sourceWanderBandPass) {
    out.Q = noiseToAir * out.Q * noiseToAir.transpose();
    out.Q = 0.5 * (out.Q + out.Q.transpose()).eval();
  }
  // Observation: each segment's measured inventory, the sum of its modules' air read through
  // the gas temperatures their thermometers miss.
  std::vector<double> pressureNoise(static_cast<std::size_t>(ns), 0.0);
  std::vector<int> pressureSensors(static_cast<std::size_t>(ns), 0);
  for (Eigen::Index i = 0; i < nm; ++i) {
    const auto& b = model.modules[static_cast<std::size_t>(i)];
    const int g = topology.segmentOf[static_cast<std::size_t>(i)];
    const int o = model.offset[static_cast<std::size_t>(i)];
    out.H(g, o + kInventory) = 1.0;
    out.H(g, o + kTemperature) = b.temperatureWander_kg;
    if (model.width[static_cast<std::size_t>(i)] == 7) out.H(g, o + kOrbit) = b.orbitWander_kg;
    out.R(g, g) += b.thermometerNoise_kg * b.thermometerNoise_kg;
    pressureNoise[static_cast<std::size_t>(g)] += b.pressureNoise_pa;
    pressureSensors[static_cast<std::size_t>(g)] += b.pressureSensors;
  }
  for (Eigen::Index g = 0; g < ns; ++g) {
    const auto gs = static_cast<std::size_t>(g);
    // A segment with no pressure sensor reads nothing: a huge noise keeps the algebra regular.
    double sd = 1e3 * segmentInventory[gs];
    if (pressureSensors[gs] > 0)
      sd = segmentInventory[gs] / model.pressure_pa * pressureNoise[gs] / pressureSensors[gs] *
           (pressureSensors[gs] > 1 ? opt.medianEfficiency : 1.0) / std::sqrt(pressureSensors[gs]);
    out.R(g, g) += sd * sd;
  }
  // The distances from balance: each module's removers take its gap at their flow, and each
  // hatch within a segment carries gap between its modules at its fans' flow (a hatch whose two
  // modules are in one segment is taken as open). Exact over the block: E = exp(F dt), F
  // acting on the gaps as concentrations (gap / volume). What the removers took beyond (or
  // short of) the known sources' count left the segment's air, shared as its pressure shares.
  for (std::size_t k = 0; k < 2; ++k) {
    if (nm == 0 || model.trace[0][k] < 0) continue;
    Eigen::MatrixXd f = Eigen::MatrixXd::Zero(nm, nm);
    for (Eigen::Index i = 0; i < nm; ++i) {
      const auto& b = model.modules[static_cast<std::size_t>(i)];
      f(i, i) -= b.traceRemoval_m3_s[k] / b.volume_m3;
    }
    for (const TraceExchange& e : model.exchange) {
      if (topology.segmentOf[static_cast<std::size_t>(e.a)] !=
          topology.segmentOf[static_cast<std::size_t>(e.b)])
        continue;
      const double va = model.modules[static_cast<std::size_t>(e.a)].volume_m3;
      const double vb = model.modules[static_cast<std::size_t>(e.b)].volume_m3;
      f(e.a, e.a) -= e.flow_m3_s / va;
      f(e.b, e.a) += e.flow_m3_s / va;
      f(e.b, e.b) -= e.flow_m3_s / vb;
      f(e.a, e.b) += e.flow_m3_s / vb;
    }
    const Eigen::MatrixXd e = (f * dt).exp();
    for (Eigen::Index i = 0; i < nm; ++i) {
      const int ti = model.trace[static_cast<std::size_t>(i)][k];
      const int gi = topology.segmentOf[static_cast<std::size_t>(i)];
      const double share = model.modules[static_cast<std::size_t>(i)].inventory_kg /
                           segmentInventory[static_cast<std::size_t>(gi)];
      for (Eigen::Index j = 0; j < nm; ++j) {
        if (topology.segmentOf[static_cast<std::size_t>(j)] != gi) continue;
        const int tj = model.trace[static_cast<std::size_t>(j)][k];
        out.A(ti, tj) = e(i, j);
        // Gap j's loss to the removers over the block: what of it is no longer in any module.
        out.A(model.offset[static_cast<std::size_t>(i)] + kInventory, tj) -=
            share * (1.0 - e.col(j).sum());
      }
    }
  }
  out.sparseA = out.A.sparseView();
  out.sparseB = out.B.sparseView();
  return out;
}

}  // namespace leakhunt::detect
