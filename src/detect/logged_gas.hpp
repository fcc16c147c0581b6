// A logged repress's gas as cabin air, and its error: how both detectors count the kilograms a
// log says were let in. The inventory is pressure times volume over (R_cabin T), so a kilogram of
// O2 counts as R_O2 / R_cabin kilograms of cabin air (0.905); a log that does not name the gas is
// counted at the mean of the module's tanks, with half their range as an error.
#pragma once

#include <vector>

#include "detect/logged_events.hpp"
#include "model/station.hpp"

namespace leakhunt::detect {

// The error of a logged repress mass, 1 sd, as a fraction, when the log does not state it (the
// ops loop's log does not yet): the campaigns' stated repress error (data/campaigns). An
// assumption, not tuned.
inline constexpr double kRepressMassError = 0.02;

struct LoggedGas {
  double airEquivalent = 1.0;        // cabin-air kilograms per logged kilogram
  double error = kRepressMassError;  // of the mass, 1 sd, as a fraction
  double spread = 0.0;               // of the air equivalent, 1 sd (the tanks' half range)
  // 1 sd of the cabin air a logged `mass_kg` adds [kg].
  double sigma_kg(double mass_kg) const;
};

class RepressGas {
 public:
  RepressGas(const model::Station& station, double cabinGasConstant_j_kgk);
  LoggedGas of(const LoggedRepress& r) const;

 private:
  double m_cabinGasConstant_j_kgk;
  std::vector<double> m_factor, m_spread;  // per module: air equivalent of its tanks
};

// The logged mass's share let in, averaged over [from_s, to_s] (a block): the ramp of a repress
// at a steady rate from its start to its end, a step for one logged as instantaneous. The
// difference of two blocks' means is what their block-mean inventories differ by.
double meanDeliveredShare(const LoggedRepress& r, double from_s, double to_s);

}  // namespace leakhunt::detect
