#include "gas/species.hpp"

namespace leakhunt::gas {

std::optional<Species> speciesByName(std::string_view name) {
  for (std::size_t s = 0; s < kSpeciesCount; ++s) {
    if (kSpecies[s].name == name) return static_cast<Species>(s);
  }
  return std::nullopt;
}

MoleFractions standardAir() {
  MoleFractions x{};
  x[index(Species::N2)] = 0.7808;
  x[index(Species::O2)] = 0.2095;
  x[index(Species::Ar)] = 0.0093;
  x[index(Species::CO2)] = 0.0004;
  return x;
}

MassFractions toMassFractions(const MoleFractions& x) {
  MassFractions y{};
  double total = 0.0;
  for (std::size_t s = 0; s < kSpeciesCount; ++s) {
    y[s] = x[s] * kSpecies[s].molarMass_kg_mol;
    total += y[s];
  }
  for (double& v : y) v /= total;
  return y;
}

MoleFractions toMoleFractions(const MassFractions& y) {
  MoleFractions x{};
  double total = 0.0;
  for (std::size_t s = 0; s < kSpeciesCount; ++s) {
    x[s] = y[s] / kSpecies[s].molarMass_kg_mol;
    total += x[s];
  }
  for (double& v : x) v /= total;
  return x;
}

MixtureProperties mixtureProperties(const SpeciesMasses& masses) {
  double m = 0.0, mr = 0.0, mcp = 0.0;
  for (std::size_t s = 0; s < kSpeciesCount; ++s) {
    m += masses[s];
    mr += masses[s] * gasConstant(s);
    mcp += masses[s] * kSpecies[s].cp_j_kgk;
  }
  const double r = mr / m;
  const double cp = mcp / m;
  return {r, cp, cp / (cp - r)};
}

}  // namespace leakhunt::gas
