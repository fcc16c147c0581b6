// Fuzz the station reader and checker: any bytes give a Station, an Error or diagnostics,
// never a crash, a hang or a sanitizer report.
#include <cstddef>
#include <cstdint>
#include <string>

#include "model/load.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const leakhunt::Result<leakhunt::model::Station> station =
      leakhunt::model::parseStation(text, "fuzz.yaml");
  if (!station && station.error().message.empty()) __builtin_trap();  // errors say what is wrong
  const leakhunt::model::CheckReport report =
      leakhunt::model::checkText(text, "fuzz.yaml", LEAKHUNT_SOURCE_DIR "/data/stations");
  // The checker and the loader agree on whether a station is valid.
  if (report.kind == leakhunt::model::FileKind::Station &&
      station.ok() != (report.errorCount() == 0))
    __builtin_trap();
  return 0;
}
