// Fuzz the CSV telemetry reader: samples or a located error, never a crash or a hang; every
// delivered sample has a finite time and value and a known channel.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "telemetry/telemetry_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  leakhunt::telemetry::ChannelTable channels;
  std::size_t seen = 0;
  const auto count = leakhunt::telemetry::readTelemetry(
      in, "fuzz.csv", leakhunt::telemetry::Format::Csv, channels,
      [&](const leakhunt::telemetry::Sample& s) {
        if (!std::isfinite(s.time_s) || !std::isfinite(s.value)) __builtin_trap();
        if (s.channel < 0 || static_cast<std::size_t>(s.channel) >= channels.size())
          __builtin_trap();
        ++seen;
      });
  if (count && *count != seen) __builtin_trap();
  if (!count && count.error().message.rfind("fuzz.csv:", 0) != 0) __builtin_trap();
  return 0;
}
