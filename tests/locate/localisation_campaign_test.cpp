#include "harness/localisation_campaign.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "gas/orifice.hpp"
#include "gas/species.hpp"

namespace leakhunt::locate {
namespace {

using namespace leakhunt::harness;  // the drill holds the hidden leak: harness side

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const std::string kDir = std::string(LEAKHUNT_SOURCE_DIR) + "/data/campaigns";

TEST(LocalisationCampaign, only_kind_localisation_specs_are_taken) {
  EXPECT_TRUE(isLocalisationSpec(read(kDir + "/iss-2018-locate.yaml")));
  EXPECT_FALSE(isLocalisationSpec(read(kDir + "/iss-2018-2mm.yaml")));
  EXPECT_FALSE(isLocalisationSpec("not: [valid"));
}

// Sizes become effective areas: a 2 mm hole is Cd pi d^2 / 4; a rate is the choked CdA that
// loses it at the station's atmosphere, so choked flow through it gives the rate back.
TEST(LocalisationCampaign, bundled_spec_reads_sizes_as_effective_areas) {
  const Result<LocalisationSpec> s =
      parseLocalisationSpec(read(kDir + "/iss-2018-locate.yaml"), "iss-2018-locate.yaml", kDir);
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_EQ(s->sizes.size(), 3u);
  EXPECT_NEAR(s->sizes[0].cda_m2, 0.65 * M_PI * 1e-6, 1e-12);
  const gas::MixtureProperties mp =
      gas::mixtureProperties(gas::toMassFractions(s->station.atmosphere.composition));
  const double back = gas::chokedMassFlow(
      s->sizes[1].cda_m2, {s->station.atmosphere.pressure_pa, s->station.atmosphere.temperature_k,
                           mp.r_j_kgk, mp.gamma});
  EXPECT_NEAR(back * 86400.0, 1.4, 1e-9);
  EXPECT_EQ(s->sizes[2].leaks, 2);
  EXPECT_EQ(s->strategies.size(), 3u);
  EXPECT_EQ(std::count(s->modules.begin(), s->modules.end(), "beam"), 0);  // closed off
}

TEST(LocalisationCampaign, errors_name_the_file_and_line) {
  const Result<LocalisationSpec> s = parseLocalisationSpec(
      "kind: localisation\nstation: ../stations/iss-2018.yaml\nsizes:\n  - {diameter: 2 kg}\n",
      "bad.yaml", kDir);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("bad.yaml:4"), std::string::npos) << s.error().message;
}

// The spec is read with the description files' toolkit (one YAML reader): every problem at
// once, each at its place, unknown names with the closest known one.
TEST(LocalisationCampaign, every_problem_is_reported_at_its_place_with_a_suggestion) {
  const Result<LocalisationSpec> s = parseLocalisationSpec(
      "kind: localisation\nstation: ../stations/iss-2018.yaml\nstrategys: [information]\n"
      "modules: [zvezdaa]\ncd: 7\nsizes:\n  - {diameter: 2 mm, leaks: 3}\n",
      "bad.yaml", kDir);
  ASSERT_FALSE(s.ok());
  const std::string& m = s.error().message;
  for (const char* expected :
       {"bad.yaml:3:1: error: unknown key 'strategys' in a localisation spec (did you mean "
        "'strategies'?)",
        "bad.yaml:4:11: error: unknown module 'zvezdaa' (did you mean 'zvezda'?)",
        "bad.yaml:5:5: error: cd must be from 0.01 to 1, got '7'",
        "bad.yaml:7:29: error: leaks must be a whole number from 0 to 2, got '3'"})
    EXPECT_NE(m.find(expected), std::string::npos) << expected << "\n in:\n" << m;
}

}  // namespace
}  // namespace leakhunt::locate
