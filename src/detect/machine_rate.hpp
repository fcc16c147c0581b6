// How much cabin air a life-support machine moves, as the books count it: an O2 generator's
// output, or the CO2 or water a remover takes at the cabin's declared partial pressure, each
// expressed as the mass of cabin air with the same pV/T (its gas constant over the cabin's).
// Both detectors size a machine's stated spread from it.
#pragma once

#include <span>
#include <vector>

#include "model/station.hpp"

namespace leakhunt::detect {

// [kg/s of cabin-air equivalent] at total pressure `p_pa`; `cabinR` [J/(kg K)] is the cabin
// mixture's gas constant.
double machineAirRate_kg_s(const model::Station& station, const model::LifeSupport& machine,
                           double p_pa, double cabinR);

// Each life-support machine's module index (per Station::lifeSupport; -1: not on the station).
std::vector<int> machineModules(const model::Station& station);

// A segment's known sources of cabin air [kg/s]: `traceSources_kg_s` (the crew's CO2 and H2O
// less what the removers take, trace_gases.hpp), plus its O2 generators, less its vents and its
// crew's O2 (`crewModule` per Station::crew, `machineModule` from machineModules).
double segmentKnownSources_kg_s(const model::Station& station, double cabinR,
                                std::span<const int> machineModule, std::span<const int> members,
                                std::span<const int> crewModule, double traceSources_kg_s);

}  // namespace leakhunt::detect
