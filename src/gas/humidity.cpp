#include "gas/humidity.hpp"

#include <cmath>

namespace leakhunt::gas {

double saturationPressure(double temperature_k) {
  const double c = temperature_k - 273.15;
  return 611.21 * std::exp((18.678 - c / 234.5) * (c / (257.14 + c)));
}

double smoothExcess(double x, double width) {
  if (x <= 0.0) return 0.0;
  if (x >= width) return x - 0.5 * width;
  return x * x / (2.0 * width);
}

}  // namespace leakhunt::gas
