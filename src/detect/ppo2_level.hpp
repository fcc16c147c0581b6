// The ppO2 a reserve time counts down from (issue 20). The estimate uses the mean of the
// segment's ppO2 sensors' block means; its lower bound uses the lowest of them less 1.96 sd of
// its block mean. Reason: the floor is reached first in the leak's module, which may be the
// least oxygenated one (O2 is made in one or two modules and mixed by fans), and near the floor
// a 27 Pa reading error (ISS: 0.5 mmHg every 10 s) is half a minute of a 25 mm hole's reserve.
// Counting the bound from the mean with the rate's uncertainty alone, 25 mm and 5 cm^2 holes on
// the ISS read bounds above the true time in 37-40 % of runs in the last minutes before the
// floor; with the floor moved out of reach (the pressure limit binding) in none.
#pragma once

#include <span>

namespace leakhunt::detect {

struct PpO2Reading {
  double value_pa = 0.0;       // a healthy sensor's block mean
  double blockNoise_pa = 0.0;  // sd of that block mean
};

struct PpO2Level {
  double value_pa = 0.0;  // for the estimate
  double low_pa = 0.0;    // for the reserve time's lower bound
};

// `declared_pa`: the station's declared O2 fraction times the pressure, when no sensor reads.
PpO2Level ppO2Level(std::span<const PpO2Reading> readings, double declared_pa);

}  // namespace leakhunt::detect
