// What the detector expects one trace gas (CO2 or H2O) of a segment to do between two looks,
// from the station's declared numbers only: the crew make it, removers take a fraction of it
// from their flow, condensing heat exchangers take the vapour above their coil's dew point,
// and water above saturation at the coldest surface condenses (the simulator's physics,
// docs/simulator.md). A segment is one well-mixed volume here.
#pragma once

#include <limits>
#include <span>

namespace leakhunt::detect {

// A remover that takes `rate_per_s * (m - floor_kg)` while the segment holds m above
// `floor_kg`, and nothing below: a condensing heat exchanger whose coil holds `floor_kg` of
// vapour in the segment's volume at saturation (rate = flow * efficiency / volume).
struct TraceFloor {
  double rate_per_s = 0.0;
  double floor_kg = 0.0;
};

struct TraceBudget {
  double production_kg_s = 0.0;   // what the crew in the segment make
  double linearRate_per_s = 0.0;  // sum of flow * efficiency / volume of fractional removers
  std::span<const TraceFloor> coils;
  // The most the segment holds: saturation at its coldest surfaces (infinity for CO2). What
  // would rise above condenses at once (the simulator condenses within seconds).
  double cap_kg = std::numeric_limits<double>::infinity();
};

// The mass [kg] after `dt_s` (infinity: the steady state) from `m_kg`, exactly: the rate of
// change is piecewise linear and decreasing in m, so m moves monotonically and each piece
// relaxes in closed form. Infinity when nothing bounds a rising mass and dt_s is infinite.
double advanceTrace(const TraceBudget& budget, double m_kg, double dt_s);

}  // namespace leakhunt::detect
