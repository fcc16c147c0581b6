#include "network/thermal_grid.hpp"

#include <cmath>

namespace leakhunt::network {

ThermalGrid::ThermalGrid(const ModuleThermal& thermal, double step_s)
    : m_thermal(&thermal), m_step(step_s) {
  m_omega[0] = thermal.orbitalOmega_rad_s;
  m_phase[0] = thermal.phase_rad;
  for (int k = 0; k < SmoothNoise::kTerms; ++k) {
    m_omega[static_cast<std::size_t>(k + 1)] = thermal.unmeasuredNoise.omega(k);
    m_phase[static_cast<std::size_t>(k + 1)] = thermal.unmeasuredNoise.phase(k);
  }
  for (std::size_t j = 0; j < kTerms; ++j)
    ::sincos(m_omega[j] * step_s, &m_stepSin[j], &m_stepCos[j]);
}

void ThermalGrid::anchor(long k) {
  const double t = static_cast<double>(k) * m_step;
  for (std::size_t j = 0; j < kTerms; ++j)
    ::sincos(m_omega[j] * t + m_phase[j], &m_sin[j], &m_cos[j]);
}

GridTemperature ThermalGrid::at(long k) {
  if (k != m_next || k % kAnchorEvery == 0) {
    anchor(k);
  } else {
    for (std::size_t j = 0; j < kTerms; ++j) {
      const double s = m_sin[j] * m_stepCos[j] + m_cos[j] * m_stepSin[j];
      m_cos[j] = m_cos[j] * m_stepCos[j] - m_sin[j] * m_stepSin[j];
      m_sin[j] = s;
    }
  }
  m_next = k + 1;
  const ModuleThermal& th = *m_thermal;
  const double setPoint = th.setPoint(static_cast<double>(k) * m_step);
  double wander = 0.0;
  for (std::size_t j = 1; j < kTerms; ++j) wander += m_sin[j];
  GridTemperature g;
  g.unmeasured_k = th.unmeasured_k * wander * SmoothNoise::termWeight();
  g.gas_k = setPoint + th.swing_k * m_sin[0] + g.unmeasured_k;
  return g;
}

}  // namespace leakhunt::network
