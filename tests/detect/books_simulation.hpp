// Synthetic books drawn from the state-space model's own assumptions, but integrated
// independently of its matrices: each wander is the continuous second-order Gauss-Markov
// process, stepped by semi-implicit Euler-Maruyama at a tenth of a block, its source wander
// moving the module's air (band-pass: the displacement's change; low-pass: the rate's
// integral), the air mixed within each segment, and each segment's
// inventory read with the model's white noise. So a wrong transition, process noise or
// observation in books_model.cpp shows in the tests that use it.
#pragma once

#include <cmath>
#include <numbers>
#include <random>
#include <vector>

#include "detect/books_model.hpp"

namespace leakhunt::detect::testing {

class BooksSimulation {
 public:
  BooksSimulation(const BooksModel& model, uint64_t seed) : m_model(model), m_rng(seed) {
    const BooksModelOptions& o = model.options;
    const double pi2 = 2.0 * std::numbers::pi;
    for (const ModuleBooks& b : model.modules) {
      Module m;
      m.air_kg = b.inventory_kg;
      m.temperature = Wander(pi2 / o.temperatureWanderPeriod_s, o.wanderDamping, m_rng);
      m.source = Wander(pi2 / o.sourceWanderPeriod_s, o.wanderDamping, m_rng);
      m.orbit = Wander(pi2 / model.orbitalPeriod_s, o.orbitDamping, m_rng);
      m_modules.push_back(m);
    }
  }

  // One block on `topology`: `added_kg` per module over the block (a repress's true mass),
  // `leak_kg_s` per module. Returns the measured inventory per segment.
  Eigen::VectorXd block(const BooksTopology& topology, const std::vector<double>& added_kg,
                        const std::vector<double>& leak_kg_s) {
    constexpr int kSub = 10;
    const double h = m_model.options.block_s / kSub;
    for (int s = 0; s < kSub; ++s) {
      for (std::size_t i = 0; i < m_modules.size(); ++i) {
        Module& m = m_modules[i];
        const ModuleBooks& b = m_model.modules[i];
        m.temperature.step(h, m_rng);
        m.orbit.step(h, m_rng);
        const double before = m.source.x;
        m.source.step(h, m_rng);
        // Band-pass: the rate is x' / w, so the air moved is the displacement's change over w.
        const double moved = m_model.options.sourceWanderBandPass
                                 ? (m.source.x - before) / m.source.omega
                                 : h * 0.5 * (before + m.source.x);
        m.air_kg += b.sourceWander_kg_s * moved - h * leak_kg_s[i] + added_kg[i] / kSub;
      }
      mix(topology);
    }
    const BooksMatrices mx = booksMatrices(m_model, topology);
    Eigen::VectorXd y = Eigen::VectorXd::Zero(topology.segmentCount);
    for (std::size_t i = 0; i < m_modules.size(); ++i) {
      const Module& m = m_modules[i];
      const ModuleBooks& b = m_model.modules[i];
      y(topology.segmentOf[i]) +=
          m.air_kg + b.temperatureWander_kg * m.temperature.x + b.orbitWander_kg * m.orbit.x;
    }
    std::normal_distribution<double> normal;
    for (int g = 0; g < topology.segmentCount; ++g) y(g) += std::sqrt(mx.R(g, g)) * normal(m_rng);
    return y;
  }

  double air_kg(std::size_t module) const { return m_modules[module].air_kg; }

 private:
  struct Wander {
    double omega = 0.0, zeta = 1.0, x = 0.0, v = 0.0;
    Wander() = default;
    Wander(double w, double z, std::mt19937_64& rng) : omega(w), zeta(z) {
      std::normal_distribution<double> normal;
      x = normal(rng);  // from the stationary law: unit variance, derivative variance w^2
      v = omega * normal(rng);
    }
    void step(double h, std::mt19937_64& rng) {
      std::normal_distribution<double> normal;
      const double q = 4.0 * zeta * omega * omega * omega;  // unit stationary variance
      v += (-omega * omega * x - 2.0 * zeta * omega * v) * h + std::sqrt(q * h) * normal(rng);
      x += v * h;
    }
  };
  struct Module {
    double air_kg = 0.0;
    Wander temperature, source, orbit;
  };

  void mix(const BooksTopology& topology) {
    std::vector<double> air(static_cast<std::size_t>(topology.segmentCount), 0.0),
        nominal(static_cast<std::size_t>(topology.segmentCount), 0.0);
    for (std::size_t i = 0; i < m_modules.size(); ++i) {
      air[static_cast<std::size_t>(topology.segmentOf[i])] += m_modules[i].air_kg;
      nominal[static_cast<std::size_t>(topology.segmentOf[i])] += m_model.modules[i].inventory_kg;
    }
    for (std::size_t i = 0; i < m_modules.size(); ++i) {
      const auto g = static_cast<std::size_t>(topology.segmentOf[i]);
      m_modules[i].air_kg = air[g] * m_model.modules[i].inventory_kg / nominal[g];
    }
  }

  BooksModel m_model;
  std::mt19937_64 m_rng;
  std::vector<Module> m_modules;
};

}  // namespace leakhunt::detect::testing
