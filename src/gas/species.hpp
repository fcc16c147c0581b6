// Cabin gas species and their ideal-gas properties (physics.md section 1).
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace leakhunt::gas {

enum class Species : std::size_t { N2 = 0, O2 = 1, CO2 = 2, H2O = 3, Ar = 4 };
inline constexpr std::size_t kSpeciesCount = 5;

using MoleFractions = std::array<double, kSpeciesCount>;
using MassFractions = std::array<double, kSpeciesCount>;
using SpeciesMasses = std::array<double, kSpeciesCount>;  // [kg]

inline constexpr double kUniversalGasConstant = 8.314462618;  // [J/(mol K)]
inline constexpr double kMmHg_pa = 133.322387415;
inline constexpr double kPsi_pa = 6894.757;

struct SpeciesData {
  std::string_view name;
  double molarMass_kg_mol;
  double cp_j_kgk;  // at cabin temperature
};

// Constant cp at about 295 K; cabin temperatures move by a few kelvin at most.
inline constexpr std::array<SpeciesData, kSpeciesCount> kSpecies{{
    {"N2", 0.0280134, 1040.0},
    {"O2", 0.0319988, 918.0},
    {"CO2", 0.0440095, 844.0},
    {"H2O", 0.0180153, 1864.0},
    {"Ar", 0.039948, 520.3},
}};

constexpr std::size_t index(Species s) { return static_cast<std::size_t>(s); }
constexpr double gasConstant(std::size_t s) {
  return kUniversalGasConstant / kSpecies[s].molarMass_kg_mol;
}

std::optional<Species> speciesByName(std::string_view name);

// Dry air at sea level, the default cabin composition.
MoleFractions standardAir();

MassFractions toMassFractions(const MoleFractions& x);
MoleFractions toMoleFractions(const MassFractions& y);

// Ideal-gas mixture properties of a mass-fraction vector.
struct MixtureProperties {
  double r_j_kgk;  // specific gas constant
  double cp_j_kgk;
  double gamma;
};
MixtureProperties mixtureProperties(const SpeciesMasses& masses);

}  // namespace leakhunt::gas
