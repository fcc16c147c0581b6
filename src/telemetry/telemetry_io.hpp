// Reading and writing telemetry files: CSV `time,channel,value` with a header, and JSON Lines
// `{"time": "...", "channel": "...", "value": ...}`. Times are ISO 8601 UTC.
#pragma once

#include <functional>
#include <iosfwd>
#include <optional>
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
// formatTime appended to `out`: no allocation once `out` has room (the writers' hot path).
// Rounds to the nearest millisecond of the exact double value. A time that is not finite or
// not within the years 0000-9999 is written as the bare number, which parseTime rejects.
void appendTime(double unix_s, std::string& out);

// .jsonl and .ndjson (any case): JSON Lines; anything else: CSV.
Format formatFromPath(std::string_view path);

// Streams samples to `out` one at a time, in the order given. CSV starts with its header line.
// Times are written to the millisecond; values exactly (shortest round-trip form). Values must
// be finite (readers refuse NaN and infinities: leave a dropout out instead). A CSV channel name
// holding ',' or '"' is written in double quotes with '"' doubled (RFC 4180). Names must not be
// empty or hold CR or LF (the station reader refuses them: the line reader could not read them).
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
// extension (.jsonl/.ndjson: JSON Lines, else CSV) unless given. Reads line by line (memory
// does not grow with the file); tolerates a UTF-8 BOM, CRLF and blank lines; lines longer than
// kMaxLineBytes are an error. Times out of order are delivered as they come (TelemetryGuard,
// telemetry_guard.hpp, decides what to do with them). CSV fields may be quoted per RFC 4180.
inline constexpr std::size_t kMaxLineBytes = 1 << 20;
// A sample with the line it was read from; a returned text refuses the file there: reading
// stops with the Error "file:line: text".
using CheckedSampleFn = std::function<std::optional<std::string>(const Sample&, std::size_t line)>;
Result<std::size_t> readTelemetry(std::istream& in, const std::string& fileName, Format format,
                                  ChannelTable& channels, const CheckedSampleFn& onSample);
Result<std::size_t> readTelemetryFile(const std::string& path, ChannelTable& channels,
                                      const CheckedSampleFn& onSample);
Result<std::size_t> readTelemetry(std::istream& in, const std::string& fileName, Format format,
                                  ChannelTable& channels,
                                  const std::function<void(const Sample&)>& onSample);
Result<std::size_t> readTelemetryFile(const std::string& path, ChannelTable& channels,
                                      const std::function<void(const Sample&)>& onSample);

}  // namespace leakhunt::telemetry
