// Telemetry: a stream of (time, channel, value) samples (architecture.md). Channel names are
// "<module>.<quantity>"; values are SI (Pa, K; hatch_state 1 open, 0 closed), but humidity is
// in percent relative humidity (0 to 100), as hygrometers report it.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace leakhunt::telemetry {

struct Sample {
  double time_s = 0.0;  // seconds since the Unix epoch, UTC
  int channel = -1;     // index into a ChannelTable
  double value = 0.0;
};

// Channel names interned once so that the per-sample path handles integers, not strings.
class ChannelTable {
 public:
  int intern(const std::string& name);      // existing index or a new one
  int find(const std::string& name) const;  // -1 when unknown
  const std::string& name(int channel) const { return m_names[static_cast<std::size_t>(channel)]; }
  std::size_t size() const { return m_names.size(); }

 private:
  std::vector<std::string> m_names;
  std::unordered_map<std::string, int> m_index;  // name -> position in m_names
};

}  // namespace leakhunt::telemetry
