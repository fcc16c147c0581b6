// What a parsed description holds: every quantity in SI, defaults as formats.md gives them.
#include "model/load.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "check_helpers.hpp"

namespace leakhunt::model {
namespace {

using testing::yaml;

constexpr double kPi = std::numbers::pi;
constexpr double kMmHg = 133.322387415;

const std::string kStation = yaml(R"(
name: Small station
atmosphere:
  pressure: 760 mmHg
  temperature: 22 degC
  composition: {N2: 0.7808, O2: 0.2095, Ar: 0.0093, CO2: 0.0004}
limits: {evacuation_pressure: 520 mmHg, min_ppO2: 2.3 psi}
orbital_period: 92 min
temperature_unmeasured: 0.1 degC
metabolism: {o2: 0.84 kg/day, co2: 1.0 kg/day, h2o: 1.8 kg/day, spread: 10 %}
modules:
  - id: zvezda
    name: Zvezda service module
    volume: 75 m^3
    vehicle: iss
    wall_area: 120 m^2
    temperature: 23 degC
    orbital_swing: 0.3 K
    orbital_phase: 30 deg
    wall_heat_transfer: 4 W/(m^2 K)
  - {id: soyuz-ms09-om, volume: 5 m^3, vehicle: soyuz-ms09}
hatches:
  - {id: zvezda-soyuz, between: [zvezda, soyuz-ms09-om], diameter: 0.8 m, cd: 0.7,
     open: false, closable: true, operate_time: 2 min, ventilation: 0.07 m^3/s}
  - {id: second, between: [soyuz-ms09-om, zvezda], area: 0.5 m^2}
crew:
  - {id: prokopyev, location: zvezda, lifeboat: soyuz-ms09}
life_support:
  - {id: elektron, kind: o2_generation, module: zvezda, rate: 2.5 kg/day, spread: 5 %}
  - {id: vozdukh, kind: co2_removal, module: zvezda, flow: 30 m^3/h, efficiency: 0.8,
     vented: true}
sensors:
  - {channel: zvezda.pressure, module: zvezda, quantity: pressure,
     noise: 0.05 mmHg, resolution: 0.1 mmHg, bias: -0.2 mmHg, period: 2 s}
  - {channel: zvezda.temperature, module: zvezda, quantity: temperature, noise: 0.1 degC}
  - {module: zvezda-soyuz, quantity: hatch_state}
repress_tanks:
  - {id: progress-o2, module: soyuz-ms09-om, gas: O2, mass: 47 kg}
  - {id: air-tank, module: zvezda, gas: air, mass: 20 kg}
)");

TEST(Load, a_station_holds_every_field_in_si) {
  const auto r = parseStation(kStation, "small.yaml");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const Station& s = *r;
  EXPECT_EQ(s.name, "Small station");
  EXPECT_NEAR(s.atmosphere.pressure_pa, 760 * kMmHg, 1e-6);
  EXPECT_NEAR(s.atmosphere.temperature_k, 295.15, 1e-9);
  EXPECT_NEAR(s.atmosphere.composition[gas::index(gas::Species::O2)], 0.2095, 1e-12);
  ASSERT_TRUE(s.limits.has_value());
  EXPECT_NEAR(s.limits->evacuationPressure_pa, 520 * kMmHg, 1e-6);
  EXPECT_NEAR(s.limits->minPpO2_pa, 2.3 * 6894.757293, 1e-3);
  EXPECT_NEAR(s.orbitalPeriod_s, 5520.0, 1e-9);
  EXPECT_NEAR(s.temperatureUnmeasured_k, 0.1, 1e-12);
  EXPECT_NEAR(s.metabolism.o2Consumption_kg_s, 0.84 / 86400, 1e-15);
  EXPECT_NEAR(s.metabolism.spread_fraction, 0.1, 1e-15);

  ASSERT_EQ(s.modules.size(), 2u);
  const Module& z = s.modules[0];
  EXPECT_EQ(z.id, "zvezda");
  EXPECT_EQ(z.name, "Zvezda service module");
  EXPECT_EQ(z.vehicle, "iss");
  EXPECT_DOUBLE_EQ(z.volume_m3, 75.0);
  EXPECT_DOUBLE_EQ(z.wallArea_m2, 120.0);
  ASSERT_TRUE(z.temperature_k.has_value());
  EXPECT_NEAR(*z.temperature_k, 296.15, 1e-9);
  EXPECT_NEAR(z.orbitalSwing_k, 0.3, 1e-12);
  EXPECT_NEAR(z.orbitalPhase_rad, kPi / 6, 1e-12);
  EXPECT_NEAR(z.wallHeatTransfer_w_m2k, 4.0, 1e-12);
  EXPECT_EQ(z.where.file, "small.yaml");
  EXPECT_EQ(z.where.line, 11);

  const Module& om = s.modules[1];
  EXPECT_EQ(om.name, "soyuz-ms09-om");  // name defaults to the id
  EXPECT_NEAR(om.wallArea_m2, 4.84 * std::pow(5.0, 2.0 / 3.0), 1e-12);
  EXPECT_FALSE(om.temperature_k.has_value());
  EXPECT_DOUBLE_EQ(om.wallHeatTransfer_w_m2k, 3.0);

  ASSERT_EQ(s.hatches.size(), 2u);
  const Hatch& h = s.hatches[0];
  EXPECT_EQ(h.moduleA, "zvezda");
  EXPECT_EQ(h.moduleB, "soyuz-ms09-om");
  EXPECT_NEAR(h.area_m2, kPi * 0.8 * 0.8 / 4, 1e-12);
  EXPECT_DOUBLE_EQ(h.cd, 0.7);
  EXPECT_FALSE(h.open);
  EXPECT_TRUE(h.closable);
  EXPECT_DOUBLE_EQ(h.operateTime_s, 120.0);
  EXPECT_DOUBLE_EQ(h.ventilation_m3_s, 0.07);
  EXPECT_DOUBLE_EQ(s.hatches[1].area_m2, 0.5);
  EXPECT_DOUBLE_EQ(s.hatches[1].cd, 0.8);
  EXPECT_TRUE(s.hatches[1].open);
  EXPECT_DOUBLE_EQ(s.hatches[1].operateTime_s, 300.0);

  ASSERT_EQ(s.crew.size(), 1u);
  EXPECT_EQ(s.crew[0].lifeboat, "soyuz-ms09");

  ASSERT_EQ(s.lifeSupport.size(), 2u);
  EXPECT_EQ(s.lifeSupport[0].kind, LifeSupportKind::O2Generation);
  EXPECT_NEAR(s.lifeSupport[0].rate_kg_s, 2.5 / 86400, 1e-15);
  EXPECT_NEAR(s.lifeSupport[0].spread_fraction, 0.05, 1e-15);
  EXPECT_EQ(s.lifeSupport[1].kind, LifeSupportKind::Co2Removal);
  EXPECT_NEAR(s.lifeSupport[1].flow_m3_s, 30.0 / 3600, 1e-15);
  EXPECT_DOUBLE_EQ(s.lifeSupport[1].efficiency, 0.8);
  EXPECT_TRUE(s.lifeSupport[1].vented);

  ASSERT_EQ(s.sensors.size(), 3u);
  EXPECT_NEAR(s.sensors[0].noise, 0.05 * kMmHg, 1e-9);
  EXPECT_NEAR(s.sensors[0].resolution, 0.1 * kMmHg, 1e-9);
  EXPECT_NEAR(s.sensors[0].bias, -0.2 * kMmHg, 1e-9);
  EXPECT_DOUBLE_EQ(s.sensors[0].period_s, 2.0);
  EXPECT_EQ(s.sensors[1].quantity, Quantity::Temperature);
  EXPECT_NEAR(s.sensors[1].noise, 0.1, 1e-12);  // a spread in degC is a spread in K
  EXPECT_EQ(s.sensors[2].channel, "zvezda-soyuz.hatch_state");
  EXPECT_EQ(s.sensors[2].quantity, Quantity::HatchState);

  ASSERT_EQ(s.repressTanks.size(), 2u);
  EXPECT_DOUBLE_EQ(s.repressTanks[0].composition[gas::index(gas::Species::O2)], 1.0);
  EXPECT_DOUBLE_EQ(s.repressTanks[0].mass_kg, 47.0);
  const auto air = gas::toMassFractions(gas::standardAir());
  for (std::size_t k = 0; k < gas::kSpeciesCount; ++k) {
    EXPECT_DOUBLE_EQ(s.repressTanks[1].composition[k], air[k]);
  }

  EXPECT_EQ(s.moduleIndex("soyuz-ms09-om"), 1);
  EXPECT_EQ(s.moduleIndex("nowhere"), -1);
  EXPECT_EQ(s.hatchIndex("second"), 1);
  EXPECT_EQ(s.hatchIndex("zvezda"), -1);
}

TEST(Load, inline_station_equals_the_same_station_from_its_own_file) {
  const auto alone = parseStation(kStation, "small.yaml");
  ASSERT_TRUE(alone.ok()) << alone.error().message;
  // Indent the station under `station:` to inline it into a scenario.
  std::string indented;
  for (std::size_t begin = 0; begin < kStation.size();) {
    const std::size_t end = kStation.find('\n', begin);
    indented += "  " + kStation.substr(begin, end - begin + 1);
    begin = end + 1;
  }
  const std::string text = "station:\n" + indented + "start: 2018-08-29T18:00:00Z\nduration: 1 h\n";
  const auto sc = parseScenario(text, "run.yaml", "");
  ASSERT_TRUE(sc.ok()) << sc.error().message;
  const Station& a = *alone;
  const Station& b = sc->station;
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.atmosphere.composition, b.atmosphere.composition);
  ASSERT_EQ(a.modules.size(), b.modules.size());
  for (std::size_t i = 0; i < a.modules.size(); ++i) {
    EXPECT_EQ(a.modules[i].id, b.modules[i].id);
    EXPECT_EQ(a.modules[i].volume_m3, b.modules[i].volume_m3);
    EXPECT_EQ(a.modules[i].wallArea_m2, b.modules[i].wallArea_m2);
    EXPECT_EQ(a.modules[i].where.line + 1, b.modules[i].where.line);
  }
  ASSERT_EQ(a.hatches.size(), b.hatches.size());
  for (std::size_t i = 0; i < a.hatches.size(); ++i) {
    EXPECT_EQ(a.hatches[i].area_m2, b.hatches[i].area_m2);
  }
  ASSERT_EQ(a.sensors.size(), b.sensors.size());
  for (std::size_t i = 0; i < a.sensors.size(); ++i) {
    EXPECT_EQ(a.sensors[i].channel, b.sensors[i].channel);
    EXPECT_EQ(a.sensors[i].noise, b.sensors[i].noise);
  }
  EXPECT_TRUE(sc->stationPath.empty());
}

TEST(Load, a_scenario_converts_times_sizes_and_gases) {
  const std::string text = yaml(R"(
name: Soyuz MS-09 hole
station:
  modules:
    - {id: zvezda, volume: 75 m^3, vehicle: iss}
    - {id: soyuz-ms09-om, volume: 5 m^3, vehicle: soyuz-ms09}
  hatches:
    - {id: rassvet-soyuz-ms09, between: [zvezda, soyuz-ms09-om], diameter: 0.8 m}
  crew:
    - {id: gerst, location: zvezda, lifeboat: soyuz-ms09}
  sensors:
    - {channel: zvezda.pressure, module: zvezda, quantity: pressure}
    - {channel: zvezda.temperature, module: zvezda, quantity: temperature}
  repress_tanks:
    - {id: progress-o2, module: zvezda, gas: O2, mass: 47 kg}
start: 2018-08-29T18:00:00Z
duration: 24 h
seed: 7
output_period: 2 s
thermal: adiabatic-walls
events:
  - at: +23 h
    crew_move: {crew: gerst, module: soyuz-ms09-om}
  - at: 2018-08-29T19:30:00Z
    leak: {id: hole-1, module: soyuz-ms09-om, diameter: 2 mm, onset: growth, duration: 6 h}
  - at: +20 h
    hatch: {id: rassvet-soyuz-ms09, state: closed}
  - at: +21 h
    patch: {leak: hole-1, residual_diameter: 0.1 mm,
            failure: {after: 21 day, duration: 21 day, diameter: 0.63 mm}}
  - at: +22 h
    repress: {module: zvezda, rate: 0.5 kg/min, duration: 10 min, tank: progress-o2}
  - at: +22 h
    repress: {module: zvezda, gas: air, mass: 2 kg, error: 5 %}
  - at: +23 h
    temperature: {module: zvezda, set_point: 23 degC}
  - at: +2 h
    sensor_fault: {channel: zvezda.temperature, kind: bias_jump, bias: 0.5 degC,
                   duration: 30 min}
  - at: +1.5 h
    leak: {id: hole-2, module: zvezda, cda: 1.3 mm^2, cd: 0.6}
)");
  const auto r = parseScenario(text, "run.yaml", "");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const Scenario& sc = *r;
  EXPECT_EQ(sc.name, "Soyuz MS-09 hole");
  EXPECT_EQ(sc.startUnix_s, 1535565600);
  EXPECT_DOUBLE_EQ(sc.duration_s, 86400.0);
  EXPECT_EQ(sc.seed, 7u);
  EXPECT_DOUBLE_EQ(sc.outputPeriod_s, 2.0);
  EXPECT_EQ(sc.thermal, ThermalModel::AdiabaticWalls);
  ASSERT_EQ(sc.events.size(), 9u);

  // Sorted by time; the two leaks at 1.5 h keep their file order.
  std::vector<double> times;
  for (const auto& e : sc.events) times.push_back(e.time_s);
  EXPECT_TRUE(std::is_sorted(times.begin(), times.end()));
  EXPECT_DOUBLE_EQ(sc.events[0].time_s, 5400.0);
  const auto& hole1 = std::get<LeakEvent>(sc.events[0].action);
  EXPECT_EQ(hole1.id, "hole-1");
  EXPECT_NEAR(hole1.cda_m2, 0.65 * kPi * 4e-6 / 4, 1e-15);
  EXPECT_EQ(hole1.onset, OnsetProfile::Growth);
  EXPECT_DOUBLE_EQ(hole1.onsetDuration_s, 6 * 3600.0);
  const auto& hole2 = std::get<LeakEvent>(sc.events[1].action);
  EXPECT_EQ(hole2.id, "hole-2");
  EXPECT_NEAR(hole2.cda_m2, 1.3e-6, 1e-18);
  EXPECT_DOUBLE_EQ(hole2.cd, 0.6);

  const auto& fault = std::get<SensorFaultEvent>(sc.events[2].action);
  EXPECT_EQ(fault.kind, SensorFaultKind::BiasJump);
  EXPECT_NEAR(fault.bias, 0.5, 1e-12);
  EXPECT_DOUBLE_EQ(fault.duration_s, 1800.0);

  const auto& hatch = std::get<HatchEvent>(sc.events[3].action);
  EXPECT_FALSE(hatch.open);

  const auto& patch = std::get<PatchEvent>(sc.events[4].action);
  EXPECT_NEAR(patch.residualCda_m2, 0.65 * kPi * 1e-8 / 4, 1e-18);
  EXPECT_TRUE(patch.fails);
  EXPECT_DOUBLE_EQ(patch.failureAfter_s, 21 * 86400.0);
  EXPECT_DOUBLE_EQ(patch.failureDuration_s, 21 * 86400.0);
  EXPECT_NEAR(patch.failureCda_m2, 0.65 * kPi * 0.63e-3 * 0.63e-3 / 4, 1e-15);

  const auto& fromTank = std::get<RepressEvent>(sc.events[5].action);
  EXPECT_NEAR(fromTank.mass_kg, 5.0, 1e-12);
  EXPECT_DOUBLE_EQ(fromTank.duration_s, 600.0);
  EXPECT_EQ(fromTank.tank, "progress-o2");
  EXPECT_DOUBLE_EQ(fromTank.composition[gas::index(gas::Species::O2)], 1.0);
  EXPECT_DOUBLE_EQ(fromTank.error_fraction, 0.02);
  const auto& air = std::get<RepressEvent>(sc.events[6].action);
  EXPECT_DOUBLE_EQ(air.mass_kg, 2.0);
  EXPECT_NEAR(air.error_fraction, 0.05, 1e-15);
  EXPECT_NEAR(air.composition[gas::index(gas::Species::N2)], 0.7552, 1e-3);

  EXPECT_EQ(std::get<CrewMoveEvent>(sc.events[7].action).module, "soyuz-ms09-om");
  const auto& t = std::get<TemperatureEvent>(sc.events[8].action);
  EXPECT_EQ(t.module, "zvezda");
  EXPECT_NEAR(t.setPoint_k, 296.15, 1e-9);
  EXPECT_EQ(sc.events[8].where.line, 34);
}

TEST(Load, load_error_lists_every_error_with_its_place) {
  const auto r = parseStation("modules:\n  - {id: a, volume: 5 psi}\n  - {id: b}\n", "s.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("s.yaml:2:"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("s.yaml:3:"), std::string::npos) << r.error().message;
}

TEST(Load, warnings_do_not_stop_a_load) {
  const auto r =
      parseStation("modules:\n  - {id: a, volume: 5 m^3}\n  - {id: b, volume: 5 m^3}\n", "s.yaml");
  EXPECT_TRUE(r.ok());
}

TEST(Load, a_missing_file_is_an_error_naming_it) {
  const auto r = loadStation("/nonexistent/station.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("/nonexistent/station.yaml"), std::string::npos);
}

// Issue 14: a humidity sensor reads relative humidity in percent; its spreads are written as
// fractions or with "%", like the humidity band, and a bias jump on it likewise.
TEST(Load, a_humidity_sensor_reads_percent_relative_humidity) {
  const std::string station =
      "  modules:\n  - {id: lab, volume: 20 m^3}\n"
      "  sensors:\n"
      "  - {module: lab, quantity: humidity, noise: 2 %, resolution: 0.001, bias: -1 %}\n";
  const auto sc = parseScenario(
      "start: 2030-01-01T00:00:00Z\nduration: 1 h\nstation:\n" + station +
          "events:\n  - at: +10 min\n    sensor_fault: {channel: lab.humidity, kind: bias_jump, "
          "bias: 5 %, duration: 10 min}\n",
      "run.yaml", "");
  ASSERT_TRUE(sc.ok()) << sc.error().message;
  ASSERT_EQ(sc->station.sensors.size(), 1u);
  const Sensor& s = sc->station.sensors[0];
  EXPECT_EQ(s.channel, "lab.humidity");
  EXPECT_EQ(s.quantity, Quantity::RelativeHumidity);
  EXPECT_NEAR(s.noise, 2.0, 1e-12);
  EXPECT_NEAR(s.resolution, 0.1, 1e-12);
  EXPECT_NEAR(s.bias, -1.0, 1e-12);
  ASSERT_EQ(sc->events.size(), 1u);
  const auto* fault = std::get_if<SensorFaultEvent>(&sc->events[0].action);
  ASSERT_NE(fault, nullptr);
  EXPECT_NEAR(fault->bias, 5.0, 1e-12);
  // A humidity spread is not a pressure.
  const auto wrong = parseStation(
      "modules:\n  - {id: lab, volume: 20 m^3}\nsensors:\n"
      "  - {module: lab, quantity: humidity, noise: 2 mmHg}\n",
      "s.yaml");
  EXPECT_FALSE(wrong.ok());
}

TEST(Load, kind_is_decided_by_station_or_events_keys) {
  EXPECT_EQ(detectKind("station: x.yaml\n"), FileKind::Scenario);
  EXPECT_EQ(detectKind("events: []\n"), FileKind::Scenario);
  EXPECT_EQ(detectKind("modules: []\n"), FileKind::Station);
  EXPECT_EQ(detectKind("[1, 2"), FileKind::Station);
}

}  // namespace
}  // namespace leakhunt::model
