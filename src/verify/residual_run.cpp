#include "verify/residual_run.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "model/load.hpp"

namespace leakhunt::verify {

Result<std::size_t> runResiduals(const model::Station& station, const detect::LoggedEvents& log,
                                 const std::vector<TelemetrySource>& sources, ResidualSink& sink,
                                 detect::DetectionObserver* observer,
                                 detect::DetectorOptions options) {
  telemetry::ChannelTable channels;
  for (const model::Sensor& s : station.sensors) channels.intern(s.channel);
  std::vector<std::string> names;
  for (std::size_t c = 0; c < channels.size(); ++c)
    names.push_back(channels.name(static_cast<int>(c)));
  ResidualTap tap(station, names, log, sink, options, observer);
  std::size_t total = 0;
  for (const TelemetrySource& source : sources) {
    const Result<std::size_t> n =
        source(channels, [&](const telemetry::Sample& s) { tap.onSample(s); });
    if (!n) return n.error();
    total += *n;
  }
  tap.finish();
  return total;
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
  return detect::loggedEventsOf(*s, station);
}

}  // namespace leakhunt::verify
