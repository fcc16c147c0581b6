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
  std::stringstream text;
  text << in.rdbuf();
  if (text.str().find("station:") != std::string::npos) return s;
  const std::string absolute = std::filesystem::absolute(stationPath).string();
  Result<model::Scenario> wrapped =
      model::parseScenario("station: " + absolute + "\n" + text.str(), path,
                           std::filesystem::path(path).parent_path().string());
  return wrapped ? wrapped : s;
}

}  // namespace leakhunt::cli
