// Quantities written with units ("14.7 psi", "22 degC", "5 %"), read through udunits2.
// Every value comes back in SI: Pa, K, m^3, m^2, m, s, kg, kg/s, m^3/s, W/(m^2 K), rad, 1.
// Safe to call from several threads: udunits is not, so calls are serialised inside.
#pragma once

#include <string_view>

#include "base/result.hpp"

namespace leakhunt::gas {

enum class Dimension {
  Pressure,
  Temperature,
  Volume,
  Area,
  Length,
  Time,
  Mass,
  MassRate,
  VolumeRate,
  HeatTransferCoefficient,
  Angle,
  Dimensionless,
};

// "a pressure", "an area", ...: the noun used in messages.
std::string_view describe(Dimension dim);

// The SI unit a Dimension is returned in, as udunits spells it ("Pa", "m^3", "1").
std::string_view siUnit(Dimension dim);

// An absolute value: "22 degC" is 295.15 K. A bare number is accepted only for Dimensionless.
// The message says what is wrong, e.g. "'5 psi' is a pressure, expected a volume".
Result<double> parseQuantity(std::string_view text, Dimension dim);

// A difference or spread: "0.3 degC" is 0.3 K, not 273.45 K. Same as parseQuantity for
// units without an offset.
Result<double> parseDifference(std::string_view text, Dimension dim);

}  // namespace leakhunt::gas
