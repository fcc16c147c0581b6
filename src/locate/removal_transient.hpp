// The part of the known sources the detector's steady-state assumption misses after the crew
// moves (docs/localisation.md). The detector takes CO2 and H2O removal to balance the crew's
// production in a segment that has a remover. When the crew leaves a segment, its removers
// keep taking out the CO2 and water already in the air, decaying with V / (flow efficiency)
// (a day or more on the ISS): several kg/day of cabin gas the detector reads as a leak.
// This replays the concentrations per module through the hatch configurations of a drill and
// gives that missing loss, so the readings can be corrected and their sd widened.
#pragma once

#include <vector>

#include "locate/configuration.hpp"
#include "locate/safety.hpp"
#include "model/station.hpp"

namespace leakhunt::locate {

struct Stretch {
  HatchSet open;
  CrewPlaces crew;
  double from_s = 0.0, to_s = 0.0;  // any common time base
};

// Mean unaccounted loss [kg/s of cabin air, as moles] of `segment` over [from_s, to_s] inside
// history[k]. Before history[0] the station is taken as well mixed at the steady state of
// `crewBefore` people and all its removers.
double unseenRemoval(const model::Station& station, double rMix_j_kgk, int crewBefore,
                     const std::vector<Stretch>& history, std::size_t k,
                     const std::vector<int>& segment, double from_s, double to_s);

}  // namespace leakhunt::locate
