#include "detect/report_sizing.hpp"

#include <algorithm>

#include "gas/species.hpp"

namespace leakhunt::detect {

CabinAir cabinAirOf(const model::Station& station) {
  const gas::MassFractions mass = gas::toMassFractions(station.atmosphere.composition);
  const gas::MixtureProperties props = gas::mixtureProperties(mass);
  constexpr auto o2 = gas::index(gas::Species::O2);
  return {props.r_j_kgk, props.gamma, station.atmosphere.composition[o2], mass[o2]};
}

SizingInput cabinSizingInput(const CabinAir& air, const model::Limits& limits, double cd) {
  SizingInput in;
  in.r_j_kgk = air.r_j_kgk;
  in.gamma = air.gamma;
  in.cd = cd;
  in.evacuationPressure_pa = limits.evacuationPressure_pa;
  in.minPpO2_pa = limits.minPpO2_pa;
  in.cabinO2MassFraction = air.o2MassFraction;
  return in;
}

void addRepressTanks(SizingInput& in, const model::Station& station, std::span<const int> modules) {
  for (const model::RepressTank& tank : station.repressTanks) {
    const int m = station.moduleIndex(tank.module);
    if (std::find(modules.begin(), modules.end(), m) == modules.end()) continue;
    in.repressGas_kg += tank.mass_kg;
    in.repressO2_kg += tank.mass_kg * tank.composition[gas::index(gas::Species::O2)];
  }
}

void applySizing(LeakReport& r, const SizingInput& in) {
  const Sizing s = sizeLeak(in);
  r.cda_m2 = s.cda_m2;
  r.cdaLow_m2 = s.cdaLow_m2;
  r.cdaHigh_m2 = s.cdaHigh_m2;
  r.diameter_m = s.diameter_m;
  r.diameterLow_m = s.diameterLow_m;
  r.diameterHigh_m = s.diameterHigh_m;
  r.reservePressure_s = s.reservePressure_s;
  r.reservePpO2_s = s.reservePpO2_s;
  r.reserveTime_s = s.reserveTime_s;
  r.reserveLow_s = s.reserveLow_s;
  r.reserveHigh_s = s.reserveHigh_s;
  r.repressGas_kg = in.repressGas_kg;
  r.reserveTimeWithRepress_s = s.reserveTimeWithRepress_s;
}

}  // namespace leakhunt::detect
