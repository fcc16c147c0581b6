// The ppO2 a reserve time counts down from (issue 20). The estimate uses the mean of the
// segment's ppO2 sensors' block means; its lower bound uses the lowest of them less 1.96 sd of
// its block mean. Reason: the floor is reached first in the leak's module, which may be the
// least oxygenated one (O2 is made in one or two modules and mixed by fans), and near the floor
// a 27 Pa reading error (ISS: 0.5 mmHg every 10 s) is half a minute of a 25 mm hole's reserve.
// Counting the bound from the mean with the rate's uncertainty alone, 25 mm and 5 cm^2 holes on
// the ISS read bounds above the true time in 37-40 % of runs in the last minutes before the
// floor; with the floor moved out of reach (the pressure limit binding) in none. The lowest
// sensor is itself in a module the generators feed: the bound also takes off how far that
// module runs above the segment's least oxygenated one at the station's declared balance (with
// the sensors alone, 25 mm and 5 cm^2 holes still read bounds above the truth in 10-13 % of runs
// at the worst block, the point reserve running 70 to 110 s long for the last quarter hour).
#pragma once

#include <limits>
#include <vector>

#include "model/station.hpp"

namespace leakhunt::detect {

struct PpO2Level {
  double value_pa = 0.0;  // for the estimate
  double low_pa = 0.0;    // for the reserve time's lower bound
};

// The segment's healthy ppO2 sensors, added one block mean at a time (the detectors allocate
// nothing per block).
class PpO2Readings {
 public:
  // A sensor's block mean and the sd of that mean; `aboveLeast_pa`: how far the sensor's module
  // runs above the segment's least oxygenated one at the declared balance (SteadyAir's
  // steadyPpO2Offsets_pa), taken off for the lower bound only.
  void add(double value_pa, double blockNoise_pa, double aboveLeast_pa = 0.0);
  // `declared_pa`: the station's declared O2 fraction times the pressure, when no sensor reads.
  PpO2Level level(double declared_pa) const;

 private:
  double m_sum_pa = 0.0, m_low_pa = std::numeric_limits<double>::infinity();
  int m_count = 0;
};

// Each module's ppO2 offset at the declared balance (model::steadyPpO2Offsets_pa) for the
// readings above, or zeros where the station declares no ppO2 sensor (nothing to correct, and
// its solve costs seconds on a station of thousands of modules).
std::vector<double> sensedPpO2Offsets_pa(const model::Station& station);

}  // namespace leakhunt::detect
