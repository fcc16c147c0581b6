// Telemetry text: ISO 8601 times, the CSV / JSON Lines writer and the streaming reader.
#include "telemetry/telemetry_io.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <vector>

#include "base/quoted.hpp"
#include "model/utc_time.hpp"
#include "telemetry/csv_line.hpp"

namespace leakhunt::telemetry {
namespace {

namespace chr = std::chrono;

constexpr std::int64_t kSecondsPerDay = 86400;
// 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z [s since the epoch]: four-digit years only.
constexpr double kFirstTime_s = -62167219200.0;
constexpr double kEndTime_s = 253402300800.0;
constexpr std::string_view kCsvHeader = "time,channel,value";

// ---- time text --------------------------------------------------------------------------------

// Writes `value` (0-99) as two digits.
char* twoDigits(char* out, int value) {
  out[0] = static_cast<char>('0' + value / 10);
  out[1] = static_cast<char>('0' + value % 10);
  return out + 2;
}

// The date part "YYYY-MM-DDT" of the day last formatted on this thread: consecutive samples
// almost always share it.
struct DayCache {
  std::int64_t day = INT64_MIN;
  char text[11] = {};
};

const char* datePrefix(std::int64_t day) {
  thread_local DayCache cache;
  if (cache.day != day) {
    const chr::year_month_day date{chr::sys_days{chr::days{day}}};
    fmt::format_to_n(cache.text, sizeof cache.text, "{:04}-{:02}-{:02}T",
                     static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                     static_cast<unsigned>(date.day()));
    cache.day = day;
  }
  return cache.text;
}

// Nearest integer to unix_s * 1000 [ms], exact for the double given: e.g. the double nearest
// 1.0005 lies just below it and gives 1000. The rounded product decides unless it lies within
// its own rounding error of a half; then fma compares the exact product with the half.
std::int64_t nearestMillisecond(double unix_s) {
  const double product = unix_s * 1000.0;
  auto below = static_cast<std::int64_t>(product);  // truncates toward zero
  if (static_cast<double>(below) > product) --below;
  const double aboveHalf = product - (static_cast<double>(below) + 0.5);  // exact: |.| < 1
  if (std::abs(aboveHalf) > std::abs(product) * 0x1p-52) return aboveHalf > 0.0 ? below + 1 : below;
  const double exactAboveHalf = std::fma(unix_s, 1000.0, -(static_cast<double>(below) + 0.5));
  return exactAboveHalf >= 0.0 ? below + 1 : below;
}

std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// ---- reading ----------------------------------------------------------------------------------

// Hands out the lines of a stream one by one through a fixed chunk buffer; only a line that
// spans two chunks is copied.
class LineReader {
 public:
  enum class Status { Line, End, TooLong, ReadError };

  explicit LineReader(std::istream& in) : m_in(in), m_chunk(1 << 16) {}

  // The next line without its '\n'; valid until the next call.
  Status next(std::string_view& line) {
    m_spanning.clear();
    for (;;) {
      if (m_pos < m_end) {
        const char* start = m_chunk.data() + m_pos;
        const std::size_t available = m_end - m_pos;
        const auto* newline = static_cast<const char*>(std::memchr(start, '\n', available));
        const std::size_t length = newline ? static_cast<std::size_t>(newline - start) : available;
        if (m_spanning.size() + length > kMaxLineBytes) return Status::TooLong;
        m_pos += newline ? length + 1 : length;
        if (newline && m_spanning.empty()) {
          line = std::string_view(start, length);
          return Status::Line;
        }
        m_spanning.append(start, length);
        if (newline) {
          line = m_spanning;
          return Status::Line;
        }
      }
      if (m_atEnd) {
        if (m_spanning.empty()) return Status::End;
        line = m_spanning;
        return Status::Line;
      }
      if (!refill()) return Status::ReadError;
    }
  }

 private:
  bool refill() {
    m_in.read(m_chunk.data(), static_cast<std::streamsize>(m_chunk.size()));
    m_end = static_cast<std::size_t>(m_in.gcount());
    m_pos = 0;
    if (m_in.bad()) return false;
    if (m_end < m_chunk.size()) m_atEnd = true;
    return true;
  }

  std::istream& m_in;
  std::vector<char> m_chunk;
  std::size_t m_pos = 0;
  std::size_t m_end = 0;
  bool m_atEnd = false;
  std::string m_spanning;  // a line that crosses a chunk boundary
};

std::string_view trim(std::string_view text) { return trimBlanks(text); }

// The sample parts of one line, before the channel is interned.
struct Fields {
  double time_s = 0.0;
  double value = 0.0;
};

// Reads one file's lines, skipping blanks, with errors "file:line: ...".
class SampleReader {
 public:
  SampleReader(std::istream& in, const std::string& fileName, ChannelTable& channels,
               const CheckedSampleFn& onSample)
      : m_lines(in), m_fileName(fileName), m_channels(channels), m_onSample(onSample) {}

  Result<std::size_t> readCsv() {
    bool haveHeader = false;
    std::string_view line;
    for (;;) {
      if (auto problem = nextContentLine(line)) return *problem;
      if (m_endOfInput) break;
      if (!haveHeader) {
        if (!isCsvHeader(line)) {
          return error(fmt::format("expected the header '{}', found {}", kCsvHeader, quoted(line)));
        }
        haveHeader = true;
        continue;
      }
      if (auto problem = csvSample(line)) return *problem;
    }
    if (!haveHeader) {
      return Error{fmt::format("{}: empty file, expected the header '{}'", m_fileName, kCsvHeader)};
    }
    return m_count;
  }

  Result<std::size_t> readJsonLines() {
    std::string_view line;
    for (;;) {
      if (auto problem = nextContentLine(line)) return *problem;
      if (m_endOfInput) return m_count;
      if (auto problem = jsonSample(line)) return *problem;
    }
  }

 private:
  Error error(std::string_view what) const {
    return Error{fmt::format("{}:{}: {}", m_fileName, m_lineNumber, what)};
  }

  // The next line that is not blank, without BOM or '\r'; sets m_endOfInput at the end.
  std::optional<Error> nextContentLine(std::string_view& line) {
    for (;;) {
      const LineReader::Status status = m_lines.next(line);
      if (status == LineReader::Status::End) {
        m_endOfInput = true;
        return std::nullopt;
      }
      ++m_lineNumber;
      if (status == LineReader::Status::TooLong) {
        return error(fmt::format("line is longer than {} bytes", kMaxLineBytes));
      }
      if (status == LineReader::Status::ReadError) return error("read error");
      if (m_lineNumber == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
      if (line.ends_with('\r')) line.remove_suffix(1);
      if (!trim(line).empty()) return std::nullopt;
    }
  }

  static bool isCsvHeader(std::string_view line) {
    std::string normalized;
    for (std::string_view rest = line;;) {
      const std::size_t comma = rest.find(',');
      normalized += trim(rest.substr(0, comma));
      if (comma == std::string_view::npos) break;
      normalized += ',';
      rest.remove_prefix(comma + 1);
    }
    return normalized == kCsvHeader;
  }

  std::optional<Error> splitCsv(std::string_view line, std::string_view (&field)[3],
                                std::size_t& count) {
    if (auto why = splitCsvLine(line, field, m_unquoted, count)) return error(*why);
    return std::nullopt;
  }

  std::optional<Error> csvSample(std::string_view line) {
    std::string_view field[3];
    std::size_t count = 0;
    if (auto problem = splitCsv(line, field, count)) return problem;
    if (count != 3) {
      return error(fmt::format("expected 3 fields time,channel,value, found {}", count));
    }
    Fields parsed;
    if (auto problem = timeField(field[0], parsed.time_s)) return problem;
    if (auto problem = valueField(field[2], parsed.value)) return problem;
    return deliver(field[1], parsed);
  }

  std::optional<Error> jsonSample(std::string_view line) {
    nlohmann::json object;
    try {
      object = nlohmann::json::parse(line.begin(), line.end());
    } catch (const nlohmann::json::exception& e) {
      return error(fmt::format("not valid JSON: {}", jsonDetail(e.what())));
    }
    if (!object.is_object())
      return error("expected a JSON object {\"time\", \"channel\", \"value\"}");
    const auto time = object.find("time");
    const auto channel = object.find("channel");
    const auto value = object.find("value");
    if (time == object.end()) return error("missing \"time\"");
    if (channel == object.end()) return error("missing \"channel\"");
    if (value == object.end()) return error("missing \"value\"");
    if (!time->is_string())
      return error(fmt::format("time is a {}, not a string", time->type_name()));
    if (!channel->is_string()) {
      return error(fmt::format("channel is a {}, not a string", channel->type_name()));
    }
    if (!value->is_number()) {
      return error(fmt::format("value is a {}, not a number", value->type_name()));
    }
    Fields parsed;
    if (auto problem = timeField(time->get_ref<const std::string&>(), parsed.time_s))
      return problem;
    parsed.value = value->get<double>();
    if (!std::isfinite(parsed.value)) return error("value is not finite");
    return deliver(channel->get_ref<const std::string&>(), parsed);
  }

  // nlohmann's message without its "[json.exception...] parse error at line 1, " prefix,
  // shortened: it may quote a whole line of junk.
  static std::string jsonDetail(std::string_view what) {
    if (const std::size_t bracket = what.find("] "); bracket != std::string_view::npos) {
      what.remove_prefix(bracket + 2);
    }
    if (what.starts_with("parse error at line 1, ")) what.remove_prefix(23);
    std::string detail;
    for (std::size_t i = 0; i < what.size() && i < 160; ++i) {
      const auto c = static_cast<unsigned char>(what[i]);
      detail += (c < 0x20 || c >= 0x7f) ? '?' : static_cast<char>(c);
    }
    if (what.size() > 160) detail += "...";
    return detail;
  }

  std::optional<Error> timeField(std::string_view text, double& time_s) const {
    Result<double> parsed = parseTime(text);
    if (!parsed) return error(parsed.error().message);
    time_s = *parsed;
    return std::nullopt;
  }

  std::optional<Error> valueField(std::string_view text, double& value) const {
    std::string_view digits = text;
    if (digits.starts_with('+')) digits.remove_prefix(1);
    const char* end = digits.data() + digits.size();
    const auto [stop, status] = std::from_chars(digits.data(), end, value);
    if (digits.empty() || stop != end || status == std::errc::invalid_argument) {
      return error(fmt::format("value {} is not a number", quoted(text)));
    }
    if (status == std::errc::result_out_of_range) {
      return error(fmt::format("value {} is out of the range of a double", quoted(text)));
    }
    if (!std::isfinite(value)) return error(fmt::format("value is not finite: {}", quoted(text)));
    return std::nullopt;
  }

  std::optional<Error> deliver(std::string_view channelName, const Fields& fields) {
    if (channelName.empty()) return error("channel is empty");
    m_channelName.assign(channelName);  // reuses its capacity: no allocation per sample
    const Sample sample{fields.time_s, m_channels.intern(m_channelName), fields.value};
    if (std::optional<std::string> refused = m_onSample(sample, m_lineNumber))
      return error(*refused);
    ++m_count;
    return std::nullopt;
  }

  LineReader m_lines;
  const std::string& m_fileName;
  ChannelTable& m_channels;
  const CheckedSampleFn& m_onSample;
  std::size_t m_lineNumber = 0;
  std::string m_unquoted[3];  // quoted CSV fields without their quotes
  std::size_t m_count = 0;
  bool m_endOfInput = false;
  std::string m_channelName;
};

// ---- writing ----------------------------------------------------------------------------------

// `text` as the inside of a JSON string.
void appendJsonEscaped(std::string_view text, std::string& out) {
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
}

// `text` as one CSV field (RFC 4180): in double quotes, with '"' doubled, when it holds a
// comma, a quote, a line break or edge blanks (which the reader would trim); else as is.
void appendCsvField(std::string_view text, std::string& out) {
  const bool plain = text.find_first_of(",\"\r\n") == std::string_view::npos &&
                     (text.empty() || (text.front() != ' ' && text.front() != '\t' &&
                                       text.back() != ' ' && text.back() != '\t'));
  if (plain) {
    out += text;
    return;
  }
  out += '"';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace

Result<double> parseTime(std::string_view iso8601) {
  return model::parseUtc(iso8601, model::Zones::UtcOnly);
}

void appendTime(double unix_s, std::string& out) {
  if (!(unix_s >= kFirstTime_s && unix_s < kEndTime_s - 0.0005)) {
    fmt::format_to(std::back_inserter(out), "{}", unix_s);
    return;
  }
  const std::int64_t totalMs = nearestMillisecond(unix_s);
  const std::int64_t total_s = floorDiv(totalMs, 1000);
  const std::int64_t day = floorDiv(total_s, kSecondsPerDay);
  const auto secondOfDay = static_cast<int>(total_s - day * kSecondsPerDay);
  const auto ms = static_cast<int>(totalMs - total_s * 1000);
  char clock[13];  // hh:mm:ss.mmmZ
  char* p = twoDigits(clock, secondOfDay / 3600);
  *p++ = ':';
  p = twoDigits(p, secondOfDay / 60 % 60);
  *p++ = ':';
  p = twoDigits(p, secondOfDay % 60);
  *p++ = '.';
  *p++ = static_cast<char>('0' + ms / 100);
  p = twoDigits(p, ms % 100);
  *p = 'Z';
  out.append(datePrefix(day), sizeof DayCache::text);
  out.append(clock, sizeof clock);
}

std::string formatTime(double unix_s) {
  std::string text;
  appendTime(unix_s, text);
  return text;
}

Format formatFromPath(std::string_view path) {
  const std::string extension = std::filesystem::path(path).extension().string();
  std::string lower;
  for (char c : extension) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == ".jsonl" || lower == ".ndjson" ? Format::JsonLines : Format::Csv;
}

TelemetryWriter::TelemetryWriter(std::ostream& out, Format format, const ChannelTable& channels)
    : m_out(out), m_format(format), m_channels(channels) {
  if (m_format == Format::Csv) {
    m_line.assign(kCsvHeader);
    m_line += '\n';
    m_out.write(m_line.data(), static_cast<std::streamsize>(m_line.size()));
  }
}

void TelemetryWriter::write(const Sample& sample) {
  const std::string& channel = m_channels.name(sample.channel);
  m_line.clear();
  if (m_format == Format::Csv) {
    appendTime(sample.time_s, m_line);
    m_line += ',';
    appendCsvField(channel, m_line);
    fmt::format_to(std::back_inserter(m_line), ",{}\n", sample.value);
  } else {
    m_line += "{\"time\": \"";
    appendTime(sample.time_s, m_line);
    m_line += "\", \"channel\": \"";
    appendJsonEscaped(channel, m_line);
    m_line += "\", \"value\": ";
    if (sample.value == 0.0 && std::signbit(sample.value)) {
      m_line += "-0.0";  // JSON readers take "-0" for the integer 0 and lose the sign
    } else {
      fmt::format_to(std::back_inserter(m_line), "{}", sample.value);
    }
    m_line += "}\n";
  }
  m_out.write(m_line.data(), static_cast<std::streamsize>(m_line.size()));
}

Result<std::size_t> readTelemetry(std::istream& in, const std::string& fileName, Format format,
                                  ChannelTable& channels, const CheckedSampleFn& onSample) {
  SampleReader reader(in, fileName, channels, onSample);
  return format == Format::Csv ? reader.readCsv() : reader.readJsonLines();
}

Result<std::size_t> readTelemetry(std::istream& in, const std::string& fileName, Format format,
                                  ChannelTable& channels,
                                  const std::function<void(const Sample&)>& onSample) {
  const CheckedSampleFn always = [&](const Sample& s, std::size_t) -> std::optional<std::string> {
    onSample(s);
    return std::nullopt;
  };
  return readTelemetry(in, fileName, format, channels, always);
}

Result<std::size_t> readTelemetryFile(const std::string& path, ChannelTable& channels,
                                      const CheckedSampleFn& onSample) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Error{fmt::format("cannot open '{}': it is a directory", path)};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{fmt::format("cannot open '{}': {}", path, std::strerror(errno))};
  return readTelemetry(in, path, formatFromPath(path), channels, onSample);
}

Result<std::size_t> readTelemetryFile(const std::string& path, ChannelTable& channels,
                                      const std::function<void(const Sample&)>& onSample) {
  const CheckedSampleFn always = [&](const Sample& s, std::size_t) -> std::optional<std::string> {
    onSample(s);
    return std::nullopt;
  };
  return readTelemetryFile(path, channels, always);
}

}  // namespace leakhunt::telemetry
