// The six-module outpost of issue 14, written from scratch as a new user would: no ventilation
// on its hatches, CO2 removal in one module, water removal in another, crew in three modules.
// Simulated for 6 h after the usual 5-day spin-up, no module's vapour may exceed saturation; the
// default hatch exchange keeps CO2 near the scrubber's level, and `ventilation: 0 m^3/s` (no
// exchange) lets CO2 pile up and water condense where the crew is.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "gas/humidity.hpp"
#include "model/load.hpp"
#include "sim/scenario_runner.hpp"

namespace leakhunt::sim {
namespace {

class Recorder : public RunObserver {
 public:
  std::vector<telemetry::Sample> telemetrySamples, truthSamples;
  void telemetry(const telemetry::Sample& s) override { telemetrySamples.push_back(s); }
  void truth(const telemetry::Sample& s) override { truthSamples.push_back(s); }
};

constexpr double kDuration_s = 6.0 * 3600.0;
constexpr double kCrewH2o_kg_s = 1.8 / 86400.0;

// `hatchExtra` is appended to every hatch ("" leaves ventilation to the default).
model::Scenario outpost(const std::string& hatchExtra) {
  const auto h = [&](const char* id, const char* a, const char* b) {
    return std::string("  - {id: ") + id + ", between: [" + a + ", " + b + "], diameter: 0.8 m" +
           hatchExtra + "}\n";
  };
  const std::string station =
      "  name: outpost\n"
      "  atmosphere: {pressure: 101.3 kPa, temperature: 21 degC}\n"
      "  temperature_unmeasured: 0 K\n"
      "  metabolism: {spread: 0 %}\n"
      "  modules:\n"
      "    - {id: hab, volume: 30 m^3}\n"
      "    - {id: lab, volume: 25 m^3}\n"
      "    - {id: node, volume: 15 m^3}\n"
      "    - {id: galley, volume: 20 m^3}\n"
      "    - {id: airlock, volume: 10 m^3}\n"
      "    - {id: store, volume: 12 m^3}\n"
      "  hatches:\n" +
      h("node-hab", "node", "hab") + h("node-lab", "node", "lab") +
      h("node-galley", "node", "galley") + h("node-airlock", "node", "airlock") +
      h("lab-store", "lab", "store") +
      "  crew:\n"
      "    - {id: a, location: hab, lifeboat: station}\n"
      "    - {id: b, location: lab, lifeboat: station}\n"
      "    - {id: c, location: galley, lifeboat: station}\n"
      "  life_support:\n"
      "    - {id: scrubber, kind: co2_removal, module: lab, flow: 30 m^3/h, efficiency: 0.6}\n"
      "    - {id: dryer, kind: h2o_removal, module: node, flow: 60 m^3/h, efficiency: 0.35}\n"
      "  sensors:\n"
      "    - {module: hab, quantity: humidity, noise: 2 %, resolution: 0.1 %, period: 60 s}\n"
      "    - {module: node, quantity: humidity, noise: 2 %, resolution: 0.1 %, period: 60 s}\n"
      "    - {module: airlock, quantity: humidity, noise: 2 %, resolution: 0.1 %, period: 60 s}\n";
  const std::string text =
      "name: outpost\nstart: 2030-01-01T00:00:00Z\nduration: 6 h\nseed: 5\noutput_period: 60 s\n"
      "events: []\nstation:\n" +
      station;
  auto s = model::parseScenario(text, "outpost.yaml", ".");
  if (!s) throw std::runtime_error(s.error().message);
  return *s;
}

// Truth (or telemetry) by channel name and time since the start.
using Truth = std::map<std::string, std::map<double, double>>;

struct SimRun {
  Truth truth, telemetry;
};

// One run per scenario text for the whole file: each is five days of spin-up and 6 h.
const SimRun& simulateOnce(const model::Scenario& sc, const std::string& key) {
  static std::map<std::string, SimRun> runs;
  if (const auto found = runs.find(key); found != runs.end()) return found->second;
  RunOptions o;
  o.emitTruth = true;
  Recorder r;
  const auto run = runScenario(sc, o, r);
  if (!run) throw std::runtime_error(run.error().message);
  SimRun out;
  const auto since = [&](double t) { return t - static_cast<double>(sc.startUnix_s); };
  for (const auto& s : r.truthSamples)
    out.truth[run->truthChannels.name(s.channel)][since(s.time_s)] = s.value;
  for (const auto& s : r.telemetrySamples)
    out.telemetry[run->telemetryChannels.name(s.channel)][since(s.time_s)] = s.value;
  return runs.emplace(key, std::move(out)).first->second;
}

Truth simulate(const model::Scenario& sc) {
  return simulateOnce(sc, sc.station.hatches[0].ventilation_m3_s > 0.0 ? "mixed" : "still").truth;
}

// Every module at every output: vapour at most saturation at the gas temperature (above it only
// by the crew's production over kCondensationTime_s, under 0.2 %).
void expectNoSupersaturation(const Truth& t, const model::Station& st) {
  for (const model::Module& m : st.modules) {
    const auto& pv = t.at(m.id + ".ppH2O");
    const auto& temperature = t.at(m.id + ".temperature");
    ASSERT_GT(pv.size(), 300u);
    for (const auto& [time, p] : pv)
      ASSERT_LE(p, gas::saturationPressure(temperature.at(time)) * 1.002)
          << m.id << " at " << time << " s";
  }
}

TEST(Outpost, no_module_exceeds_saturation_with_the_default_hatch_exchange) {
  const model::Scenario sc = outpost("");
  for (const model::Hatch& h : sc.station.hatches)
    EXPECT_DOUBLE_EQ(h.ventilation_m3_s, model::kDefaultHatchExchange_m3_s) << h.id;
  const Truth t = simulate(sc);
  expectNoSupersaturation(t, sc.station);
  // Mixed through the hatches, one dryer holds the whole outpost well below saturation, so
  // nothing condenses. Each exchange Q carries the CO2 of the crew behind it across a
  // difference P R T / Q: the hab's and the galley's one person through their own hatch, then
  // both through node-lab, so each sits 3 P R T / Q (29 Pa) above the scrubbed lab.
  for (const model::Module& m : sc.station.modules)
    EXPECT_EQ(t.at(m.id + ".condensate").at(kDuration_s), 0.0) << m.id;
  const double step = 3.0 * (1.0 / 86400.0) * gas::gasConstant(gas::index(gas::Species::CO2)) *
                      294.15 / model::kDefaultHatchExchange_m3_s;
  const double lab = t.at("lab.ppCO2").at(kDuration_s);
  for (const char* crewed : {"hab", "galley"})
    EXPECT_NEAR(t.at(std::string(crewed) + ".ppCO2").at(kDuration_s) - lab, step, 0.1 * step)
        << crewed;
}

// Issue 14: a humidity sensor reads 100 ppH2O / p_sat(T) of its module's gas, in percent, with
// its stated noise (2 %) and step (0.1 %), and never past 0 to 100 %.
TEST(Outpost, humidity_sensors_read_the_relative_humidity_in_percent) {
  const model::Scenario sc = outpost("");
  const SimRun& run = simulateOnce(sc, "mixed");
  for (const char* id : {"hab", "node", "airlock"}) {
    const std::string m(id);
    const auto& readings = run.telemetry.at(m + ".humidity");
    ASSERT_EQ(readings.size(), 361u) << m;  // every 60 s over 6 h, both ends
    const auto& pv = run.truth.at(m + ".ppH2O");
    const auto& temperature = run.truth.at(m + ".temperature");
    double sum = 0.0, sum2 = 0.0, low = 100.0, high = 0.0;
    for (const auto& [time, reading] : readings) {
      const double truth = 100.0 * pv.at(time) / gas::saturationPressure(temperature.at(time));
      const double e = reading - truth;
      sum += e;
      sum2 += e * e;
      low = std::min(low, truth);
      high = std::max(high, truth);
      EXPECT_NEAR(std::remainder(reading, 0.1), 0.0, 1e-9) << m << " " << reading;
      EXPECT_GE(reading, 0.0);
      EXPECT_LE(reading, 100.0);
    }
    const double n = static_cast<double>(readings.size());
    const double mean = sum / n, sd = std::sqrt(sum2 / n - mean * mean);
    // The mean's sd is 2 / sqrt(361) = 0.105 %; the sd's about 2 / sqrt(722) = 0.074 %.
    EXPECT_NEAR(mean, 0.0, 0.5) << m;
    EXPECT_NEAR(sd, 2.0, 0.3) << m;
    // Mixed and dried, every module sits inside the 25-75 % band, well above a fraction.
    EXPECT_GT(low, 25.0) << m;
    EXPECT_LT(high, 75.0) << m;
  }
}

TEST(Outpost, without_exchange_co2_piles_up_and_water_condenses_where_the_crew_is) {
  const model::Scenario mixed = outpost("");
  const model::Scenario still = outpost(", ventilation: 0 m^3/s");
  for (const model::Hatch& h : still.station.hatches) EXPECT_EQ(h.ventilation_m3_s, 0.0) << h.id;
  const Truth a = simulate(mixed), b = simulate(still);
  expectNoSupersaturation(b, still.station);
  // The hab and galley have crew and no machine: over 5 days their CO2 reaches kilopascals.
  for (const char* crewed : {"hab", "galley"}) {
    const std::string id(crewed);
    EXPECT_GT(b.at(id + ".ppCO2").at(kDuration_s), 10.0 * a.at(id + ".ppCO2").at(kDuration_s))
        << id;
    // Saturated throughout, so each crew member's water condenses: 0.45 kg in 6 h, less what
    // the small pressure-driven outflow carries away (about 1 %).
    EXPECT_NEAR(b.at(id + ".condensate").at(kDuration_s) / (kCrewH2o_kg_s * kDuration_s), 1.0, 0.03)
        << id;
  }
}

}  // namespace
}  // namespace leakhunt::sim
