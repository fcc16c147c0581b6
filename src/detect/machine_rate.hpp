// How much cabin air a life-support machine moves, as the books count it: an O2 generator's
// output, or the CO2 or water a remover takes at the cabin's declared partial pressure, each
// expressed as the mass of cabin air with the same pV/T (its gas constant over the cabin's).
// Both detectors size a machine's stated spread from it.
#pragma once

#include "model/station.hpp"

namespace leakhunt::detect {

// [kg/s of cabin-air equivalent] at total pressure `p_pa`; `cabinR` [J/(kg K)] is the cabin
// mixture's gas constant.
double machineAirRate_kg_s(const model::Station& station, const model::LifeSupport& machine,
                           double p_pa, double cabinR);

}  // namespace leakhunt::detect
