// How the gas network treats the walls' heat exchange. A setting of the simulated world and of
// any model of it; it says nothing about leaks, so the estimators may see it (scenario.hpp,
// which they may not, carries the scenario's choice).
#pragma once

namespace leakhunt::model {

enum class ThermalModel { Isothermal, AdiabaticWalls };

}  // namespace leakhunt::model
