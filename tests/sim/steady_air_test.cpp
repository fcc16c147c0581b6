// `check`'s steady state (model/steady_air.hpp, computed from the declared numbers) against the
// simulator run long enough to settle: within 5 % (issue 14's acceptance).
#include "model/steady_air.hpp"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/load.hpp"
#include "model/station_lints.hpp"
#include "sim/scenario_runner.hpp"

namespace leakhunt::sim {
namespace {

class LastTruth : public RunObserver {
 public:
  std::map<int, double> last;
  void truth(const telemetry::Sample& s) override { last[s.channel] = s.value; }
};

// Three crew in a hab, the scrubber and the dryer next door behind the default exchange; the
// scrubber is too small for three (steady ppCO2 about 5.6 mmHg in the hab, over the 4 mmHg
// limit). The 5-day spin-up is many time constants V / (Q eta) (about 4 h). O2 is made as the
// crew breathe it: without it the spin-up lost a third of the cabin's gas, and the runner's
// rescale to the start pressure lifted the CO2 with it (16 % over the steady state).
model::Scenario habAndLab() {
  const std::string text =
      "name: hab and lab\nstart: 2030-01-01T00:00:00Z\nduration: 1 h\nseed: 4\n"
      "output_period: 600 s\nevents: []\n"
      "station:\n"
      "  name: hab and lab\n"
      "  atmosphere: {pressure: 101.3 kPa, temperature: 21 degC}\n"
      "  temperature_unmeasured: 0 K\n"
      "  metabolism: {spread: 0 %}\n"
      "  modules:\n"
      "    - {id: hab, volume: 20 m^3}\n"
      "    - {id: lab, volume: 15 m^3, temperature: 23 degC}\n"
      "  hatches:\n"
      "    - {id: hab-lab, between: [hab, lab], diameter: 0.8 m}\n"
      "  crew:\n"
      "    - {id: a, location: hab, lifeboat: station}\n"
      "    - {id: b, location: hab, lifeboat: station}\n"
      "    - {id: c, location: hab, lifeboat: station}\n"
      "  life_support:\n"
      "    - {id: o2, kind: o2_generation, module: lab, rate: 2.52 kg/day}\n"
      "    - {id: scrubber, kind: co2_removal, module: lab, flow: 12 m^3/h, efficiency: 0.8}\n"
      "    - {id: chx, kind: h2o_removal, module: lab, flow: 60 m^3/h, efficiency: 0.5, "
      "coil_temperature: 6 degC}\n"
      "  sensors:\n"
      "    - {channel: hab.pressure, module: hab, quantity: pressure, noise: 0.05 mmHg, "
      "resolution: 0.1 mmHg, period: 1 s}\n"
      "    - {channel: lab.pressure, module: lab, quantity: pressure, noise: 0.05 mmHg, "
      "resolution: 0.1 mmHg, period: 1 s}\n";
  auto s = model::parseScenario(text, "hab.yaml", ".");
  if (!s) throw std::runtime_error(s.error().message);
  return *s;
}

// The hab and lab settled: the declared steady state beside the simulation's last truth sample
// of each module's channel (`<module>.ppCO2`, `.ppH2O`, `.ppO2`).
struct Settled {
  model::Scenario scenario = habAndLab();
  model::SteadyAir air = model::steadyAir(scenario.station);
  LastTruth last;
  std::optional<Result<RunResult>> run;
  Settled() {
    RunOptions o;
    o.emitTruth = true;
    run.emplace(runScenario(scenario, o, last));
  }
  double truth(const std::string& channel) const {
    return last.last.at((*run)->truthChannels.find(channel));
  }
};

TEST(SteadyAir, check_agrees_with_a_settled_simulation_within_five_percent) {
  const Settled settled;
  ASSERT_TRUE(settled.run->ok()) << settled.run->error().message;
  const model::Scenario& sc = settled.scenario;
  const model::SteadyAir& air = settled.air;
  for (std::size_t i = 0; i < sc.station.modules.size(); ++i) {
    const std::string id = sc.station.modules[i].id;
    const double co2 = settled.truth(id + ".ppCO2");
    const double h2o = settled.truth(id + ".ppH2O");
    EXPECT_NEAR(air.ppCo2_pa[i] / co2, 1.0, 0.05) << id << ": " << air.ppCo2_pa[i] << " vs " << co2;
    EXPECT_NEAR(air.ppH2o_pa[i] / h2o, 1.0, 0.05) << id << ": " << air.ppH2o_pa[i] << " vs " << h2o;
  }
  // The hab is over the limit by the declared numbers, and `check` says so there.
  ASSERT_GT(air.ppCo2_pa[0], model::Limits{}.maxPpCo2_pa);
  int warned = 0;
  for (const model::Diagnostic& d : model::lintStation(sc.station))
    warned += d.message.find("steady ppCO2 in module 'hab'") != std::string::npos ? 1 : 0;
  EXPECT_EQ(warned, 1);
}

TEST(SteadyAir, o2_offsets_are_the_fans_part_of_the_simulated_lead_of_the_generators_module) {
  const Settled settled;
  ASSERT_TRUE(settled.run->ok()) << settled.run->error().message;
  // O2 is made in the lab and breathed in the hab: the lab runs above the hab by the generator's
  // flow over the fans' exchange (the detectors' reserve bound counts on it,
  // detect/ppo2_level.hpp), and the offsets average to zero over the volume. The simulation's
  // lead is larger: the crew's CO2 and water flow in bulk from the hab to the lab's removers,
  // against the O2 the fans carry, a part the declared offsets leave out (58.6 Pa simulated
  // against 33.9 Pa declared when written). Asserted: the declared part is at least half the
  // simulated lead and not more than it.
  const double simulated = settled.truth("lab.ppO2") - settled.truth("hab.ppO2");
  const std::vector<double> offset = model::steadyPpO2Offsets_pa(settled.scenario.station);
  const double declared = offset[1] - offset[0];
  ASSERT_GT(simulated, 10.0);
  EXPECT_GT(declared, 0.5 * simulated) << declared << " vs " << simulated << " Pa";
  EXPECT_LE(declared, simulated) << declared << " vs " << simulated << " Pa";
  EXPECT_NEAR(offset[0] * 20.0 + offset[1] * 15.0, 0.0, 1e-9);
}

}  // namespace
}  // namespace leakhunt::sim
