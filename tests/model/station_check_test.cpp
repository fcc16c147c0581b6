// Every problem `check` must find in a station file, each at its line.
#include <gtest/gtest.h>

#include "check_helpers.hpp"

namespace leakhunt::model {
namespace {

using testing::check;
using testing::errors;
using testing::reports;
using testing::warnings;
using testing::yaml;

TEST(StationCheck, a_valid_station_has_no_diagnostics) {
  const auto d = check(yaml(R"(
name: Two modules
modules:
  - {id: base, volume: 50 m^3, vehicle: station}
  - {id: boat, volume: 5 m^3, vehicle: soyuz}
hatches:
  - {id: base-boat, between: [base, boat], diameter: 0.8 m}
crew:
  - {id: gerst, location: base, lifeboat: soyuz}
life_support:
  - {id: co2, kind: co2_removal, module: base, flow: 20 m^3/h, efficiency: 0.6}
  - {id: h2o, kind: h2o_removal, module: base, flow: 40 m^3/h, efficiency: 0.35}
sensors:
  - {channel: base.pressure, module: base, quantity: pressure}
  - {channel: boat.pressure, module: boat, quantity: pressure}
)"));
  EXPECT_TRUE(d.empty()) << testing::listing(d);
}

TEST(StationCheck, yaml_syntax_error_is_placed) {
  const auto d = check(yaml(R"(
name: x
modules:
  - {id: a, volume: 5 m^3
hatches: []
)"));
  ASSERT_EQ(errors(d), 1) << testing::listing(d);
  EXPECT_EQ(d[0].where.file, "t.yaml");
  EXPECT_GE(d[0].where.line, 3);
  EXPECT_NE(d[0].message.find("YAML syntax"), std::string::npos);
}

TEST(StationCheck, unknown_key_suggests_the_closest) {
  const auto d = check(yaml(R"(
name: x
modules:
  - id: a
    volum: 5 m^3
)"));
  EXPECT_TRUE(reports(d, 4, "unknown key 'volum' in module 'a' (did you mean 'volume'?)"));
  // The typo explains the missing volume; one message is enough.
  EXPECT_EQ(errors(d), 1) << testing::listing(d);
}

TEST(StationCheck, unknown_top_level_key) {
  const auto d = check(yaml(R"(
name: x
modules:
  - {id: a, volume: 5 m^3}
hatchs: []
)"));
  EXPECT_TRUE(reports(d, 4, "unknown key 'hatchs' in station (did you mean 'hatches'?)"));
}

TEST(StationCheck, hatch_to_unknown_module_suggests_the_closest) {
  const auto d = check(yaml(R"(
modules:
  - {id: zvezda, volume: 75 m^3}
  - {id: zarya, volume: 70 m^3}
hatches:
  - {id: h7, between: [zvezdaa, zarya], diameter: 0.8 m}
)"));
  EXPECT_TRUE(reports(d, 5, "hatch 'h7' joins unknown module 'zvezdaa' (did you mean 'zvezda'?)"));
}

TEST(StationCheck, duplicate_module_id_points_at_the_first) {
  const auto d = check(yaml(R"(
modules:
  - {id: a, volume: 5 m^3}
  - {id: b, volume: 5 m^3}
  - {id: a, volume: 6 m^3}
hatches:
  - {id: ab, between: [a, b], diameter: 1 m}
)"));
  EXPECT_TRUE(reports(d, 4, "duplicate id 'a' (first at line 2)"));
}

TEST(StationCheck, modules_and_hatches_share_one_namespace) {
  const auto d = check(yaml(R"(
modules:
  - {id: a, volume: 5 m^3}
  - {id: b, volume: 5 m^3}
hatches:
  - {id: a, between: [a, b], diameter: 1 m}
)"));
  EXPECT_TRUE(reports(d, 5, "duplicate id 'a'"));
}

TEST(StationCheck, duplicate_crew_id) {
  const auto d = check(yaml(R"(
modules:
  - {id: a, volume: 5 m^3, vehicle: soyuz}
crew:
  - {id: gerst, location: a, lifeboat: soyuz}
  - {id: gerst, location: a, lifeboat: soyuz}
)"));
  EXPECT_TRUE(reports(d, 5, "duplicate id 'gerst' (first at line 4)"));
}

TEST(StationCheck, hatch_joining_a_module_to_itself) {
  const auto d = check(yaml(R"(
modules:
  - {id: a, volume: 5 m^3}
hatches:
  - {id: loop, between: [a, a], diameter: 1 m}
)"));
  EXPECT_TRUE(reports(d, 4, "hatch 'loop' joins module 'a' to itself"));
}

TEST(StationCheck, zero_or_negative_sizes_are_errors) {
  const auto d = check(yaml(R"(
modules:
  - {id: a, volume: 0 m^3}
  - {id: b, volume: -5 m^3}
hatches:
  - {id: h1, between: [a, b], diameter: 0 mm}
  - {id: h2, between: [a, b], area: -1 m^2}
  - {id: h3, between: [a, b], area: 1 m^2, operate_time: 0 s}
sensors:
  - {channel: a.pressure, module: a, quantity: pressure, period: 0 s}
)"));
  EXPECT_TRUE(reports(d, 2, "volume must be positive, got '0 m^3'"));
  EXPECT_TRUE(reports(d, 3, "volume must be positive, got '-5 m^3'"));
  EXPECT_TRUE(reports(d, 5, "diameter must be positive"));
  EXPECT_TRUE(reports(d, 6, "area must be positive"));
  EXPECT_TRUE(reports(d, 7, "operate_time must be positive"));
  EXPECT_TRUE(reports(d, 9, "period must be positive"));
}

TEST(StationCheck, wrong_dimension_is_named) {
  const auto d = check(yaml(R"(
modules:
  - {id: a, volume: 5 psi}
)"));
  EXPECT_TRUE(reports(d, 2, "volume: '5 psi' is a pressure, expected a volume"));
}

TEST(StationCheck, missing_unit_is_an_error) {
  const auto d = check(yaml(R"(
modules:
  - id: a
    volume: 75
)"));
  EXPECT_TRUE(reports(d, 3, "no unit in '75'"));
}

TEST(StationCheck, unknown_unit_is_named) {
  const auto d = check(yaml(R"(
atmosphere:
  pressure: 760 mmHgg
modules:
  - {id: a, volume: 5 m^3}
)"));
  EXPECT_TRUE(reports(d, 2, "unknown unit 'mmHgg'"));
}

TEST(StationCheck, mole_fractions_must_sum_to_one) {
  const auto d = check(yaml(R"(
atmosphere:
  composition: {N2: 0.78, O2: 0.20}
modules:
  - {id: a, volume: 5 m^3}
)"));
  EXPECT_TRUE(reports(d, 2, "sum to 0.98, not 1"));
}

TEST(StationCheck, mole_fractions_within_tolerance_are_accepted) {
  const auto d = check(yaml(R"(
atmosphere:
  composition: {N2: 0.7808, O2: 0.2095, Ar: 0.0093, CO2: 0.0008}
modules:
  - {id: a, volume: 5 m^3}
)"));
  EXPECT_EQ(errors(d), 0) << testing::listing(d);
}

TEST(StationCheck, negative_mole_fraction_is_an_error) {
  const auto d = check(yaml(R"(
atmosphere:
  composition:
    N2: 1.1
    O2: -0.1
modules:
  - {id: a, volume: 5 m^3}
)"));
  EXPECT_TRUE(reports(d, 4, "O2 must be between 0 and 1, got '-0.1'"));
}

TEST(StationCheck, unknown_species_suggests_the_closest) {
  const auto d = check(yaml(R"(
atmosphere:
  composition: {N2: 0.79, O3: 0.21}
modules:
  - {id: a, volume: 5 m^3}
)"));
  EXPECT_TRUE(reports(d, 2, "unknown species 'O3' in composition (did you mean 'O2'?)"));
}

// Issue 21, item 15: the species is named, with the ones the model has, and the sum that
// leaves it out is not reported as the problem.
TEST(StationCheck, an_unknown_species_is_named_and_not_blamed_on_the_sum) {
  const auto d = check(yaml(R"(
atmosphere:
  composition: {N2: 0.79, Xx: 0.21}
modules:
  - {id: a, volume: 5 m^3}
)"));
  EXPECT_TRUE(reports(d, 2, "unknown species 'Xx' in composition; the gas model has N2, O2"));
  EXPECT_EQ(errors(d), 1) << testing::listing(d);
}

TEST(StationCheck, crew_with_no_path_to_their_lifeboat) {
  const auto d = check(yaml(R"(
modules:
  - {id: a, volume: 50 m^3, vehicle: station}
  - {id: b, volume: 50 m^3, vehicle: station}
  - {id: boat, volume: 5 m^3, vehicle: soyuz}
  - {id: boat2, volume: 5 m^3, vehicle: soyuz}
hatches:
  - {id: ab, between: [a, b], diameter: 1 m, open: false, closable: true}
  - {id: boats, between: [boat, boat2], diameter: 1 m}
crew:
  - {id: gerst, location: a, lifeboat: soyuz}
)"));
  EXPECT_TRUE(
      reports(d, 10, "crew 'gerst' in 'a' has no path through hatches to lifeboat 'soyuz'"));
}

TEST(StationCheck, a_closed_hatch_is_still_a_way_out) {
  const auto d = check(yaml(R"(
modules:
  - {id: a, volume: 50 m^3, vehicle: station}
  - {id: boat, volume: 5 m^3, vehicle: soyuz}
hatches:
  - {id: h, between: [a, boat], diameter: 1 m, open: false}
crew:
  - {id: gerst, location: a, lifeboat: soyuz}
)"));
  EXPECT_EQ(errors(d), 0) << testing::listing(d);
}

TEST(StationCheck, lifeboat_that_no_module_has) {
  const auto d = check(yaml(R"(
modules:
  - {id: a, volume: 50 m^3, vehicle: station}
  - {id: boat, volume: 5 m^3, vehicle: soyuz-ms09}
hatches:
  - {id: h, between: [a, boat], diameter: 1 m}
crew:
  - {id: gerst, location: a, lifeboat: soyuz-ms10}
)"));
  EXPECT_TRUE(reports(d, 7,
                      "lifeboat 'soyuz-ms10', a vehicle no module belongs to "
                      "(did you mean 'soyuz-ms09'?)"));
}

TEST(StationCheck, crew_in_unknown_module) {
  const auto d = check(yaml(R"(
modules:
  - {id: zvezda, volume: 50 m^3, vehicle: soyuz}
crew:
  - {id: gerst, location: zvezdq, lifeboat: soyuz}
)"));
  EXPECT_TRUE(reports(d, 4, "crew 'gerst' is in unknown module 'zvezdq' (did you mean 'zvezda'?)"));
}

TEST(StationCheck, module_no_hatch_reaches_is_a_warning) {
  const auto d = check(yaml(R"(
modules:
  - {id: a, volume: 50 m^3}
  - {id: b, volume: 50 m^3}
  - {id: lone, volume: 5 m^3}
hatches:
  - {id: ab, between: [a, b], diameter: 1 m}
)"));
  EXPECT_TRUE(reports(d, 4, "module 'lone' is not reached by any hatch", Diagnostic::Warning));
  EXPECT_EQ(errors(d), 0) << testing::listing(d);
}

TEST(StationCheck, a_single_module_needs_no_hatch) {
  const auto d = check(yaml(R"(
modules:
  - {id: a, volume: 50 m^3}
sensors:
  - {channel: a.pressure, module: a, quantity: pressure}
)"));
  EXPECT_EQ(warnings(d), 0) << testing::listing(d);
  EXPECT_EQ(errors(d), 0) << testing::listing(d);
}

TEST(StationCheck, sensor_in_unknown_module_and_hatch_state_of_unknown_hatch) {
  const auto d = check(yaml(R"(
modules:
  - {id: a, volume: 50 m^3}
sensors:
  - {channel: b.pressure, module: b, quantity: pressure}
  - {channel: h.state, module: hh, quantity: hatch_state}
  - {channel: a.t, module: a, quantity: temprature}
)"));
  EXPECT_TRUE(reports(d, 4, "unknown module 'b'"));
  EXPECT_TRUE(reports(d, 5, "unknown hatch 'hh'"));
  EXPECT_TRUE(reports(d, 6,
                      "quantity must be pressure, temperature, ppO2, ppCO2, hatch_state or "
                      "humidity, got 'temprature' (did you mean 'temperature'?)"));
}

TEST(StationCheck, missing_required_fields) {
  const auto d = check(yaml(R"(
name: x
modules:
  - {id: a}
  - {volume: 5 m^3}
hatches:
  - {id: h, between: [a, a]}
)"));
  EXPECT_TRUE(reports(d, 3, "module 'a' is missing 'volume'"));
  EXPECT_TRUE(reports(d, 4, "module is missing 'id'"));
  EXPECT_TRUE(reports(d, 6, "hatch 'h' is missing 'diameter' or 'area'"));
}

TEST(StationCheck, no_modules_is_an_error) {
  EXPECT_TRUE(reports(check("name: x\n"), 1, "station is missing 'modules'"));
  EXPECT_TRUE(reports(check("name: x\nmodules: []\n"), 2, "station has no modules"));
}

TEST(StationCheck, invalid_module_id_characters) {
  const auto d = check(yaml(R"(
modules:
  - {id: Zvezda SM, volume: 50 m^3}
)"));
  EXPECT_TRUE(reports(d, 2, "may use only a-z, 0-9 and '-'"));
}

TEST(StationCheck, life_support_kind_decides_rate_or_flow) {
  const auto d = check(yaml(R"(
modules:
  - {id: a, volume: 50 m^3}
life_support:
  - {id: elektron, kind: o2_generation, module: a, flow: 1 m^3/h}
  - {id: vozdukh, kind: co2_removal, module: a, flow: 30 m^3/h, efficiency: 1.5}
)"));
  EXPECT_TRUE(reports(d, 4, "life support 'elektron' is missing 'rate'"));
  EXPECT_TRUE(reports(d, 4, "flow does not apply to o2_generation"));
  EXPECT_TRUE(reports(d, 5, "efficiency must be between 0 and 1"));
}

TEST(StationCheck, duplicate_key_in_a_mapping) {
  const auto d = check(yaml(R"(
modules:
  - id: a
    volume: 5 m^3
    volume: 6 m^3
)"));
  EXPECT_TRUE(reports(d, 4, "duplicate key 'volume' in module 'a' (first at line 3)"));
}

TEST(StationCheck, every_problem_is_reported_not_only_the_first) {
  const auto d = check(yaml(R"(
modules:
  - {id: a, volume: 5 psi}
  - {id: b, volume: 0 m^3}
  - {id: c, volume: 5 m^3, colour: red}
)"));
  EXPECT_EQ(errors(d), 3) << testing::listing(d);
}

TEST(StationCheck, format_is_file_line_column_severity_message) {
  Diagnostic d{{"iss.yaml", 41, 7}, Diagnostic::Error, "hatch 'h7' joins unknown module 'x'"};
  EXPECT_EQ(format(d), "iss.yaml:41:7: error: hatch 'h7' joins unknown module 'x'");
  d.severity = Diagnostic::Warning;
  d.where.line = 0;
  EXPECT_EQ(format(d), "iss.yaml: warning: hatch 'h7' joins unknown module 'x'");
}

}  // namespace
}  // namespace leakhunt::model
