// Fuzz the scenario reader (station by path relative to data/scenarios, or inline) and the
// checker: never a crash, a hang or a sanitizer report.
#include <cstddef>
#include <cstdint>
#include <string>

#include "model/load.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::string baseDir = LEAKHUNT_SOURCE_DIR "/data/scenarios";
  const leakhunt::Result<leakhunt::model::Scenario> scenario =
      leakhunt::model::parseScenario(text, "fuzz.yaml", baseDir);
  if (!scenario && scenario.error().message.empty()) __builtin_trap();
  (void)leakhunt::model::checkText(text, "fuzz.yaml", baseDir);
  return 0;
}
