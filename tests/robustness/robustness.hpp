// Shared by the robustness suite: a scratch directory per test, the leakhunt program run in it,
// and telemetry for data/stations/two-module.yaml written row by row (so a test can put one
// bad row exactly where it wants it).
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "campaign/program.hpp"

namespace leakhunt::testing {

struct Row {
  std::string time;
  std::string channel;
  double value = 0.0;
};

enum class StationKind { HatchClosed, NoSensors };

// The two-module test article, varied: its hatch closed, or without sensors.
inline std::string stationText(StationKind kind) {
  std::string text =
      "name: Two-module test article\n"
      "atmosphere: {pressure: 760 mmHg, temperature: 22 degC}\n"
      "modules:\n"
      "  - {id: module-a, volume: 50 m^3}\n"
      "  - {id: module-b, volume: 30 m^3}\n";
  text += kind == StationKind::HatchClosed
              ? "hatches:\n  - {id: hatch-ab, between: [module-a, module-b], diameter: 0.8 m, "
                "open: false}\n"
              : "hatches:\n  - {id: hatch-ab, between: [module-a, module-b], diameter: 0.8 m}\n";
  if (kind == StationKind::NoSensors) return text;
  return text +
         "sensors:\n"
         "  - {channel: module-a.pressure, module: module-a, quantity: pressure, noise: 0.05 mmHg, "
         "period: 1 s}\n"
         "  - {channel: module-b.pressure, module: module-b, quantity: pressure, noise: 0.05 mmHg, "
         "period: 1 s}\n"
         "  - {channel: module-a.temperature, module: module-a, quantity: temperature, noise: "
         "0.05 K, period: 1 s}\n"
         "  - {channel: module-b.temperature, module: module-b, quantity: temperature, noise: "
         "0.05 K, period: 1 s}\n";
}

// `hours` of the two-module article from 2018-08-29T00:00:00Z, a row per channel every 10 s in
// the order of `channels` (pressure a, pressure b, temperature a, temperature b; an empty name
// leaves that channel out), pressure falling `leak_pa_h` [Pa/h], sensor noise of the station.
inline std::vector<Row> cabinRows(double hours, double leak_pa_h,
                                  std::vector<std::string> channels = {
                                      "module-a.pressure", "module-b.pressure",
                                      "module-a.temperature", "module-b.temperature"}) {
  std::mt19937 rng(21);
  std::normal_distribution<double> pNoise(0.0, 0.05 * 133.322387415 / std::sqrt(10.0));
  std::normal_distribution<double> tNoise(0.0, 0.05 / std::sqrt(10.0));
  std::vector<Row> rows;
  const double start_s = 1535500800.0;  // 2018-08-29T00:00:00Z
  for (int k = 0; k * 10.0 < hours * 3600.0; ++k) {
    const double t = k * 10.0;
    const long long whole = static_cast<long long>(start_s + t);
    const std::string time = fmt::format("2018-08-29T{:02}:{:02}:{:02}.000Z", (whole / 3600) % 24,
                                         (whole / 60) % 60, whole % 60);
    for (std::size_t c = 0; c < channels.size(); ++c) {
      const double value =
          c < 2 ? 101325.0 - leak_pa_h * t / 3600.0 + pNoise(rng) : 295.15 + tNoise(rng);
      if (!channels[c].empty()) rows.push_back({time, channels[c], value});
    }
  }
  return rows;
}

class RobustnessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir = scratchDir(std::string("robust-") + info->name());
  }
  void TearDown() override { std::filesystem::remove_all(dir); }

  static std::string station() { return LEAKHUNT_SOURCE_DIR "/data/stations/two-module.yaml"; }
  static std::string binary() { return std::string("'") + LEAKHUNT_BINARY + "'"; }

  ProgramRun run(const std::string& args) const { return runLeakhunt(args, dir); }
  ProgramRun runRaw(const std::string& command) const { return runShell(command, dir); }

  void writeFile(const std::string& name, const std::string& text) const {
    std::ofstream(dir / name, std::ios::binary) << text;
  }
  void writeRows(const std::string& name, const std::vector<Row>& rows) const {
    std::ofstream out(dir / name, std::ios::binary);
    out << "time,channel,value\n";
    for (const Row& r : rows)
      out << r.time << ',' << r.channel << ',' << fmt::format("{}", r.value) << '\n';
  }

  std::filesystem::path dir;
};

}  // namespace leakhunt::testing
