// Each module's worst air over a run and the time it spent outside each habitability limit
// (model::Limits), read from the simulator's truth as it is emitted: what `simulate` prints.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "model/station.hpp"
#include "telemetry/sample.hpp"

namespace leakhunt::sim {

struct ModuleHabitability {
  std::string module;
  double minPressure_pa = 0.0;
  double minPpO2_pa = 0.0, maxPpO2_pa = 0.0;
  double maxPpCo2_pa = 0.0;
  double minHumidity = 0.0, maxHumidity = 0.0;  // relative, at the gas temperature
  // Time [s] outside each limit, each output counting until the next.
  double belowEvacuation_s = 0.0;
  double outsidePpO2Band_s = 0.0;
  double overPpCo2_s = 0.0;
  double outsideHumidityBand_s = 0.0;
  bool seen = false;  // any truth for this module arrived
};

class HabitabilityWatch {
 public:
  // `truth` is the run's truth table (RunResult::truthChannels, filled before any sample).
  HabitabilityWatch(const model::Station& station, const telemetry::ChannelTable& truth);
  void onTruth(const telemetry::Sample& s);
  const std::vector<ModuleHabitability>& modules() const { return m_modules; }
  const model::Limits& limits() const { return m_limits; }
  // The time of the last module truth seen [Unix s]: how far a run that failed got.
  std::optional<double> latestTime_s() const { return m_latest_s; }

 private:
  enum class Quantity { Pressure, Temperature, PpO2, PpCo2, PpH2o };
  struct Channel {
    int module = -1;
    Quantity quantity = Quantity::Pressure;
  };
  struct Last {
    double time_s = 0.0;
    bool outside = false;
    bool seen = false;
  };
  void account(Last& last, double t, bool outside, double& total);

  model::Limits m_limits;
  std::vector<ModuleHabitability> m_modules;
  std::vector<Channel> m_channels;  // by truth channel index
  std::vector<double> m_temperature_k;
  std::vector<std::array<Last, 4>> m_last;  // pressure, ppO2, ppCO2, humidity
  std::optional<double> m_latest_s;
};

}  // namespace leakhunt::sim
