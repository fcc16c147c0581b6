// Reading and writing telemetry files: CSV `time,channel,value` with a header, and JSON Lines
// `{"time": "...", "channel": "...", "value": ...}`. Times are ISO 8601 UTC.
#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "telemetry/sample.hpp"

namespace leakhunt::telemetry {

enum class Format { Csv, JsonLines };

// "2018-08-29T19:30:00.000Z" <-> seconds since the epoch. Accepts a missing fraction and
// "+00:00" as well as "Z".
Result<double> parseTime(std::string_view iso8601);
std::string formatTime(double unix_s);  // millisecond precision, always "Z"

// Streams samples to `out` one at a time, in the order given.
class TelemetryWriter {
 public:
  TelemetryWriter(std::ostream& out, Format format, const ChannelTable& channels);
  void write(const Sample& sample);

 private:
  std::ostream& m_out;
  Format m_format;
  const ChannelTable& m_channels;
  std::string m_line;  // reused buffer
};

// Reads a whole file sample by sample, calling `onSample` for each; channels are interned into
// `channels`. Stops at the first malformed line with an Error "file:line: what is wrong"
// (nothing is lost: the samples before it were delivered). The format is chosen by the file
// extension (.jsonl/.ndjson: JSON Lines, else CSV) unless given.
Result<std::size_t> readTelemetry(std::istream& in, const std::string& fileName, Format format,
                                  ChannelTable& channels,
                                  const std::function<void(const Sample&)>& onSample);
Result<std::size_t> readTelemetryFile(const std::string& path, ChannelTable& channels,
                                      const std::function<void(const Sample&)>& onSample);

}  // namespace leakhunt::telemetry
