#include "harness/scenario_log.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <type_traits>
#include <variant>

#include "gas/species.hpp"
#include "model/load.hpp"

namespace leakhunt::harness {

namespace {

template <class T>
int indexById(const std::vector<T>& items, const std::string& id) {
  for (std::size_t i = 0; i < items.size(); ++i)
    if (items[i].id == id) return static_cast<int>(i);
  return -1;
}

}  // namespace

detect::LoggedRepress loggedRepressOf(const model::RepressEvent& r, double start_s, int module) {
  double total = 0.0;
  for (double y : r.composition) total += y;
  // No gas given: 0, which the detectors read as "not stated".
  const double gasConstant = total > 0.0 ? gas::mixtureProperties(r.composition).r_j_kgk : 0.0;
  return {start_s, start_s + r.duration_s, module, r.mass_kg, gasConstant, r.error_fraction};
}

detect::LoggedEvents loggedEventsOf(const model::Scenario& scenario,
                                    const model::Station& station) {
  detect::LoggedEvents log;
  const double start = static_cast<double>(scenario.startUnix_s);
  for (const model::Event& ev : scenario.events) {
    const double t = start + ev.time_s;
    std::visit(
        [&](const auto& a) {
          using A = std::decay_t<decltype(a)>;
          if constexpr (std::is_same_v<A, model::HatchEvent>) {
            const int h = indexById(station.hatches, a.hatch);
            if (h >= 0) log.hatches.push_back({t, h, a.open});
          } else if constexpr (std::is_same_v<A, model::RepressEvent>) {
            const int m = indexById(station.modules, a.module);
            if (m >= 0) log.represses.push_back(loggedRepressOf(a, t, m));
          } else if constexpr (std::is_same_v<A, model::CrewMoveEvent>) {
            const int c = indexById(station.crew, a.crew);
            const int m = indexById(station.modules, a.module);
            if (c >= 0 && m >= 0) log.crewMoves.push_back({t, c, m});
          } else if constexpr (std::is_same_v<A, model::PatchEvent>) {
            log.patches.push_back({t, a.leak});
          }
          // LeakEvent: truth, never read. SensorFaultEvent: truth about the sensors.
        },
        ev.action);
  }
  const auto byStart = [](const detect::LoggedRepress& a, const detect::LoggedRepress& b) {
    return a.start_s < b.start_s;
  };
  std::stable_sort(log.represses.begin(), log.represses.end(), byStart);
  return log;
}

Result<detect::LoggedEvents> loadEventLog(const std::string& path, const std::string& stationPath,
                                          const model::Station& station) {
  Result<model::Scenario> s = model::loadScenario(path);
  if (!s) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    if (!in || text.str().find("station:") != std::string::npos) return s.error();
    const std::string absolute = std::filesystem::absolute(stationPath).string();
    Result<model::Scenario> wrapped =
        model::parseScenario("station: " + absolute + "\n" + text.str(), path,
                             std::filesystem::path(path).parent_path().string());
    if (!wrapped) return s.error();
    s = std::move(wrapped);
  }
  return loggedEventsOf(*s, station);
}

}  // namespace leakhunt::harness
