#include "cli/event_file.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "model/load.hpp"

namespace leakhunt::cli {

Result<model::Scenario> loadEvents(const std::string& path, const std::string& stationPath) {
  Result<model::Scenario> s = model::loadScenario(path);
  if (s) return s;
  std::ifstream in(path);
  if (!in) return s;  // unreadable: loadScenario said why
  std::stringstream text;
  text << in.rdbuf();
  if (text.str().find("station:") != std::string::npos) return s;
  // A file of events only: the station is the command line's. It goes after the file's own
  // lines, so a message names the file's line, and the file's own error is the one reported
  // (not "missing 'station'", which said nothing of an unknown hatch on line 5).
  std::string body = text.str();
  if (!body.empty() && body.back() != '\n') body += '\n';
  std::string station = std::filesystem::absolute(stationPath).string();
  for (std::size_t at = station.find('\''); at != std::string::npos;
       at = station.find('\'', at + 2))
    station.insert(at, 1, '\'');  // a single-quoted YAML scalar doubles its quotes
  return model::parseScenario(body + "station: '" + station + "'\n", path,
                              std::filesystem::path(path).parent_path().string());
}

}  // namespace leakhunt::cli
