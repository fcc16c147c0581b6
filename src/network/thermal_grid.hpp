// Gas temperatures on a uniform output grid. Output at 1 Hz asks for every module's temperature
// every second; the sines of the day/night cycle and of the wander are advanced by rotation
// (sin(a+h) from sin a, cos a) instead of being evaluated afresh, and re-anchored exactly now
// and then so rounding cannot build up.
#pragma once

#include <array>

#include "network/network_inputs.hpp"

namespace leakhunt::network {

struct GridTemperature {
  double gas_k = 0.0;
  double unmeasured_k = 0.0;  // the part no thermometer sees: gas - sensed
};

class ThermalGrid {
 public:
  ThermalGrid(const ModuleThermal& thermal, double step_s);

  // At k * step. Consecutive k are advanced by rotation; any other k is computed exactly.
  GridTemperature at(long k);

 private:
  static constexpr int kTerms = 1 + SmoothNoise::kTerms;  // the orbital cycle, then the wander
  static constexpr long kAnchorEvery = 4096;
  void anchor(long k);

  const ModuleThermal* m_thermal;
  double m_step;
  long m_next = -1;
  std::array<double, kTerms> m_sin{}, m_cos{}, m_stepSin{}, m_stepCos{}, m_omega{}, m_phase{};
};

}  // namespace leakhunt::network
