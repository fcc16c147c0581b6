#include "telemetry/telemetry_io.hpp"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace leakhunt::telemetry {
namespace {

using namespace testing;

constexpr double kMs09Leak_s = 1535571000.0;  // 2018-08-29T19:30:00Z

struct ReadBack {
  Result<std::size_t> count = Error{"not read"};
  ChannelTable channels;
  std::vector<Sample> samples;
};

ReadBack readText(const std::string& text, Format format, const std::string& fileName = "tm.csv") {
  ReadBack back;
  std::istringstream in(text);
  back.count = readTelemetry(in, fileName, format, back.channels,
                             [&](const Sample& s) { back.samples.push_back(s); });
  return back;
}

std::string errorOf(const std::string& text, Format format, const std::string& fileName) {
  const ReadBack back = readText(text, format, fileName);
  return back.count.ok() ? fmt::format("read {} samples", *back.count) : back.count.error().message;
}

// Values of every kind a double can be, finite: random bit patterns (subnormals, huge, tiny,
// -0), plus the everyday Pa and K.
double randomFiniteValue(std::mt19937_64& rng) {
  switch (rng() % 4) {
    case 0:
      return std::uniform_real_distribution<double>(0.0, 110000.0)(rng);
    case 1:
      return std::round(std::uniform_real_distribution<double>(250.0, 320.0)(rng) * 100) / 100;
    default:
      for (;;) {
        const double v = std::bit_cast<double>(static_cast<std::uint64_t>(rng()));
        if (std::isfinite(v)) return v;
      }
  }
}

std::vector<Sample> randomSamples(std::mt19937_64& rng, ChannelTable& channels, int count) {
  const char* names[] = {"zvezda.pressure", "soyuz-ms09-om.pressure", "zarya.temperature",
                         "zvezda.ppO2",     "pma1-unity.state",       "hole-1.mass_flow"};
  for (const char* name : names) channels.intern(name);
  std::uniform_int_distribution<std::int64_t> ms(0, 4102444800000);  // 1970 .. 2100
  std::vector<Sample> samples;
  for (int i = 0; i < count; ++i) {
    samples.push_back({static_cast<double>(ms(rng)) / 1000.0,
                       static_cast<int>(rng() % channels.size()), randomFiniteValue(rng)});
  }
  samples.push_back({kMs09Leak_s, 0, -0.0});
  samples.push_back({kMs09Leak_s, 0, 5e-324});
  samples.push_back({kMs09Leak_s, 0, 1.7976931348623157e308});
  return samples;
}

std::string writeText(const std::vector<Sample>& samples, Format format,
                      const ChannelTable& channels) {
  std::ostringstream out;
  TelemetryWriter writer(out, format, channels);
  for (const Sample& s : samples) writer.write(s);
  return out.str();
}

void expectSameSamples(const ReadBack& back, const std::vector<Sample>& written,
                       const ChannelTable& channels) {
  ASSERT_TRUE(back.count.ok()) << back.count.error().message;
  ASSERT_EQ(*back.count, written.size());
  ASSERT_EQ(back.samples.size(), written.size());
  for (std::size_t i = 0; i < written.size(); ++i) {
    const Sample& a = written[i];
    const Sample& b = back.samples[i];
    ASSERT_EQ(std::bit_cast<std::uint64_t>(b.time_s), std::bit_cast<std::uint64_t>(a.time_s)) << i;
    ASSERT_EQ(std::bit_cast<std::uint64_t>(b.value), std::bit_cast<std::uint64_t>(a.value))
        << i << ": " << fmt::format("{} read as {}", a.value, b.value);
    ASSERT_EQ(back.channels.name(b.channel), channels.name(a.channel)) << i;
  }
}

TEST(TelemetryRoundTrip, csv_gives_back_every_sample_bit_for_bit) {
  std::mt19937_64 rng(3);
  ChannelTable channels;
  const std::vector<Sample> samples = randomSamples(rng, channels, 50000);
  expectSameSamples(readText(writeText(samples, Format::Csv, channels), Format::Csv), samples,
                    channels);
}

TEST(TelemetryRoundTrip, json_lines_give_back_every_sample_bit_for_bit) {
  std::mt19937_64 rng(4);
  ChannelTable channels;
  const std::vector<Sample> samples = randomSamples(rng, channels, 50000);
  expectSameSamples(readText(writeText(samples, Format::JsonLines, channels), Format::JsonLines),
                    samples, channels);
}

TEST(TelemetryRoundTrip, json_channel_names_with_quotes_and_controls_survive) {
  ChannelTable channels;
  channels.intern("odd \"name\" \\ with\ttab\x01");
  const std::vector<Sample> samples = {{kMs09Leak_s, 0, 1.5}};
  expectSameSamples(readText(writeText(samples, Format::JsonLines, channels), Format::JsonLines),
                    samples, channels);
}

TEST(TelemetryWriter, lines_look_like_formats_md) {
  ChannelTable channels;
  channels.intern("zvezda.pressure");
  const std::vector<Sample> samples = {{kMs09Leak_s, 0, 101325.0}, {kMs09Leak_s + 1.25, 0, 0.1}};
  EXPECT_EQ(writeText(samples, Format::Csv, channels),
            "time,channel,value\n"
            "2018-08-29T19:30:00.000Z,zvezda.pressure,101325\n"
            "2018-08-29T19:30:01.250Z,zvezda.pressure,0.1\n");
  EXPECT_EQ(writeText(samples, Format::JsonLines, channels),
            "{\"time\": \"2018-08-29T19:30:00.000Z\", \"channel\": \"zvezda.pressure\", "
            "\"value\": 101325}\n"
            "{\"time\": \"2018-08-29T19:30:01.250Z\", \"channel\": \"zvezda.pressure\", "
            "\"value\": 0.1}\n");
}

TEST(TelemetryWriter, an_empty_csv_is_just_its_header_and_reads_as_no_samples) {
  ChannelTable channels;
  const std::string text = writeText({}, Format::Csv, channels);
  EXPECT_EQ(text, "time,channel,value\n");
  const ReadBack back = readText(text, Format::Csv);
  ASSERT_TRUE(back.count.ok());
  EXPECT_EQ(*back.count, 0u);
  EXPECT_EQ(writeText({}, Format::JsonLines, channels), "");
}

TEST(TelemetryReader, crlf_bom_blank_lines_and_spaces_are_tolerated) {
  const std::string csv =
      "\xEF\xBB\xBFtime, channel ,value\r\n"
      "\r\n"
      "2018-08-29T19:30:00.000Z,zvezda.pressure,101325\r\n"
      "   \r\n"
      "2018-08-29T19:30:01Z , zarya.pressure , 101300.5\r\n"
      "\n";
  const ReadBack back = readText(csv, Format::Csv);
  ASSERT_TRUE(back.count.ok()) << back.count.error().message;
  ASSERT_EQ(back.samples.size(), 2u);
  EXPECT_EQ(back.channels.name(back.samples[1].channel), "zarya.pressure");
  EXPECT_EQ(back.samples[1].value, 101300.5);
  EXPECT_EQ(back.samples[1].time_s, kMs09Leak_s + 1.0);

  const std::string jsonl =
      "\xEF\xBB\xBF{\"time\": \"2018-08-29T19:30:00Z\", \"channel\": \"a.b\", \"value\": 7}\r\n"
      "\r\n"
      "{\"value\": 8, \"channel\": \"a.b\", \"time\": \"2018-08-29T19:30:00+00:00\", \"x\": 1}";
  const ReadBack json = readText(jsonl, Format::JsonLines, "tm.jsonl");
  ASSERT_TRUE(json.count.ok()) << json.count.error().message;
  ASSERT_EQ(json.samples.size(), 2u);
  EXPECT_EQ(json.samples[1].value, 8.0);
  EXPECT_EQ(json.samples[0].channel, json.samples[1].channel);
}

TEST(TelemetryReader, a_last_line_without_newline_is_read) {
  const ReadBack back = readText("time,channel,value\n2018-08-29T19:30:00Z,a.b,1", Format::Csv);
  ASSERT_TRUE(back.count.ok());
  EXPECT_EQ(*back.count, 1u);
}

TEST(TelemetryReader, times_out_of_order_are_delivered_as_they_come) {
  const ReadBack back = readText(
      "time,channel,value\n2018-08-29T19:30:05Z,a.b,1\n2018-08-29T19:30:00Z,a.b,2\n", Format::Csv);
  ASSERT_TRUE(back.count.ok());
  ASSERT_EQ(back.samples.size(), 2u);
  EXPECT_GT(back.samples[0].time_s, back.samples[1].time_s);
}

// `goodLines` valid samples after the header, then `bad`: the error is on line goodLines + 2.
std::string csvWithBadLine(int goodLines, const std::string& bad) {
  std::string text = "time,channel,value\n";
  for (int i = 0; i < goodLines; ++i) text += fmt::format("2018-08-29T19:30:{:02}Z,a.b,{}\n", i, i);
  return text + bad + "\n2018-08-29T19:31:00Z,a.b,1\n";
}

TEST(TelemetryReader, csv_errors_say_file_line_and_what) {
  EXPECT_EQ(errorOf(csvWithBadLine(10, "2018-08-29T19:30:00Z,a.b,abc"), Format::Csv, "tm.csv"),
            "tm.csv:12: value 'abc' is not a number");
  EXPECT_EQ(errorOf(csvWithBadLine(1, "2018-08-29T19:30:00Z,a.b"), Format::Csv, "tm.csv"),
            "tm.csv:3: expected 3 fields time,channel,value, found 2");
  EXPECT_EQ(errorOf(csvWithBadLine(1, "2018-08-29T19:30:00Z,a.b,1,2"), Format::Csv, "tm.csv"),
            "tm.csv:3: expected 3 fields time,channel,value, found 4");
  EXPECT_THAT(errorOf(csvWithBadLine(5, "2018-13-01T00:00:00Z,a.b,1"), Format::Csv, "tm.csv"),
              StartsWith("tm.csv:7: time '2018-13-01T00:00:00Z' is not ISO 8601 UTC"));
  EXPECT_EQ(errorOf(csvWithBadLine(2, "2018-08-29T19:30:00Z,a.b,nan"), Format::Csv, "tm.csv"),
            "tm.csv:4: value is not finite: 'nan'");
  EXPECT_EQ(errorOf(csvWithBadLine(2, "2018-08-29T19:30:00Z,a.b,-inf"), Format::Csv, "tm.csv"),
            "tm.csv:4: value is not finite: '-inf'");
  EXPECT_EQ(errorOf(csvWithBadLine(2, "2018-08-29T19:30:00Z,a.b,1e999"), Format::Csv, "tm.csv"),
            "tm.csv:4: value '1e999' is out of the range of a double");
  EXPECT_EQ(errorOf(csvWithBadLine(2, "2018-08-29T19:30:00Z,a.b,"), Format::Csv, "tm.csv"),
            "tm.csv:4: value '' is not a number");
  EXPECT_EQ(errorOf(csvWithBadLine(2, "2018-08-29T19:30:00Z,a.b,1.5x"), Format::Csv, "tm.csv"),
            "tm.csv:4: value '1.5x' is not a number");
  EXPECT_EQ(errorOf(csvWithBadLine(0, "2018-08-29T19:30:00Z,,1"), Format::Csv, "tm.csv"),
            "tm.csv:2: channel is empty");
  EXPECT_EQ(errorOf("time,value\n", Format::Csv, "tm.csv"),
            "tm.csv:1: expected the header 'time,channel,value', found 'time,value'");
  EXPECT_EQ(errorOf("\n\n2018-08-29T19:30:00Z,a.b,1\n", Format::Csv, "tm.csv"),
            "tm.csv:3: expected the header 'time,channel,value', found "
            "'2018-08-29T19:30:00Z,a.b,1'");
  EXPECT_EQ(errorOf("", Format::Csv, "tm.csv"),
            "tm.csv: empty file, expected the header 'time,channel,value'");
}

TEST(TelemetryReader, samples_before_an_error_are_delivered) {
  const ReadBack back = readText(csvWithBadLine(10, "junk"), Format::Csv);
  EXPECT_FALSE(back.count.ok());
  EXPECT_EQ(back.samples.size(), 10u);
}

std::string jsonlWithBadLine(int goodLines, const std::string& bad) {
  std::string text;
  for (int i = 0; i < goodLines; ++i) {
    text +=
        fmt::format(R"({{"time": "2018-08-29T19:30:{:02}Z", "channel": "a.b", "value": 1}})", i) +
        "\n";
  }
  return text + bad + "\n";
}

TEST(TelemetryReader, json_lines_errors_say_file_line_and_what) {
  const auto error = [](int good, const std::string& bad) {
    return errorOf(jsonlWithBadLine(good, bad), Format::JsonLines, "tm.jsonl");
  };
  EXPECT_THAT(error(3, R"({"time": "2018-08-29T19:30:00Z", "channel": "a.b", "value": abc})"),
              StartsWith("tm.jsonl:4: not valid JSON: column "));
  EXPECT_EQ(error(1, "[1, 2, 3]"),
            "tm.jsonl:2: expected a JSON object {\"time\", \"channel\", \"value\"}");
  EXPECT_EQ(error(2, R"({"channel": "a.b", "value": 1})"), "tm.jsonl:3: missing \"time\"");
  EXPECT_EQ(error(0, R"({"time": "2018-08-29T19:30:00Z", "value": 1})"),
            "tm.jsonl:1: missing \"channel\"");
  EXPECT_EQ(error(0, R"({"time": "2018-08-29T19:30:00Z", "channel": "a.b"})"),
            "tm.jsonl:1: missing \"value\"");
  EXPECT_EQ(error(0, R"({"time": "2018-08-29T19:30:00Z", "channel": "a.b", "value": "1"})"),
            "tm.jsonl:1: value is a string, not a number");
  EXPECT_EQ(error(0, R"({"time": "2018-08-29T19:30:00Z", "channel": "a.b", "value": null})"),
            "tm.jsonl:1: value is a null, not a number");
  EXPECT_EQ(error(0, R"({"time": "2018-08-29T19:30:00Z", "channel": "a.b", "value": 1e999})"),
            "tm.jsonl:1: not valid JSON: number overflow parsing '1e999'");
  EXPECT_EQ(error(0, R"({"time": 1535571000, "channel": "a.b", "value": 1})"),
            "tm.jsonl:1: time is a number, not a string");
  EXPECT_EQ(error(0, R"({"time": "2018-08-29T19:30:00Z", "channel": 3, "value": 1})"),
            "tm.jsonl:1: channel is a number, not a string");
  EXPECT_EQ(error(0, R"({"time": "2018-08-29T19:30:00Z", "channel": "", "value": 1})"),
            "tm.jsonl:1: channel is empty");
  EXPECT_EQ(error(4, R"({"time": "2018-02-30T00:00:00Z", "channel": "a.b", "value": 1})"),
            "tm.jsonl:5: time '2018-02-30T00:00:00Z' is not ISO 8601 UTC (2018-02 has no day 30)");
}

TEST(TelemetryReader, a_line_longer_than_the_limit_is_an_error_not_a_memory_hog) {
  const std::string text = "time,channel,value\n" + std::string(kMaxLineBytes + 1, 'x') + "\n";
  EXPECT_EQ(errorOf(text, Format::Csv, "tm.csv"),
            fmt::format("tm.csv:2: line is longer than {} bytes", kMaxLineBytes));
  // Just under the limit, spanning many read chunks: an ordinary (bad) line.
  const std::string longValue =
      "time,channel,value\n2018-08-29T19:30:00Z,a.b," + std::string(kMaxLineBytes - 50, '1') + "\n";
  EXPECT_THAT(errorOf(longValue, Format::Csv, "tm.csv"), StartsWith("tm.csv:2: value '1111111111"));
}

// A stream of `lines` samples made up as it is read, recording how far it has got.
class GeneratedCsv : public std::streambuf {
 public:
  explicit GeneratedCsv(int lines) : m_lines(lines) { nextLine(); }
  int linesHandedOut() const { return m_next; }

 protected:
  int_type underflow() override {
    return nextLine() ? traits_type::to_int_type(*gptr()) : traits_type::eof();
  }

 private:
  bool nextLine() {
    if (m_next > m_lines) return false;
    m_line = m_next == 0 ? std::string("time,channel,value\n")
                         : fmt::format("{},a.b,{}\n", formatTime(kMs09Leak_s + m_next), m_next);
    ++m_next;
    setg(m_line.data(), m_line.data(), m_line.data() + m_line.size());
    return true;
  }
  int m_lines;
  int m_next = 0;
  std::string m_line;
};

TEST(TelemetryReader, samples_arrive_while_the_file_is_still_being_read) {
  GeneratedCsv source(200000);
  std::istream in(&source);
  ChannelTable channels;
  int firstSeenAtLine = -1;
  std::size_t seen = 0;
  const Result<std::size_t> count =
      readTelemetry(in, "big.csv", Format::Csv, channels, [&](const Sample&) {
        if (seen++ == 0) firstSeenAtLine = source.linesHandedOut();
      });
  ASSERT_TRUE(count.ok()) << count.error().message;
  EXPECT_EQ(*count, 200000u);
  EXPECT_LT(firstSeenAtLine, 10000);
}

class TelemetryFiles : public Test {
 protected:
  void SetUp() override {
    m_dir = std::filesystem::temp_directory_path() /
            fmt::format("leakhunt-telemetry-{}", std::random_device{}());
    std::filesystem::create_directories(m_dir);
  }
  void TearDown() override { std::filesystem::remove_all(m_dir); }
  std::string path(const char* name) const { return (m_dir / name).string(); }
  std::filesystem::path m_dir;
};

TEST_F(TelemetryFiles, files_are_read_in_the_format_their_extension_names) {
  ChannelTable channels;
  channels.intern("zvezda.pressure");
  const std::vector<Sample> samples = {{kMs09Leak_s, 0, 101325.0}};
  for (const char* name : {"tm.csv", "tm.jsonl", "tm.NDJSON", "tm.txt"}) {
    const Format format = formatFromPath(name);
    std::ofstream(path(name), std::ios::binary) << writeText(samples, format, channels);
    ReadBack back;
    back.count = readTelemetryFile(path(name), back.channels,
                                   [&](const Sample& s) { back.samples.push_back(s); });
    expectSameSamples(back, samples, channels);
  }
  EXPECT_EQ(formatFromPath("a/b.jsonl"), Format::JsonLines);
  EXPECT_EQ(formatFromPath("b.ndjson"), Format::JsonLines);
  EXPECT_EQ(formatFromPath("jsonl"), Format::Csv);
  EXPECT_EQ(formatFromPath("b.csv"), Format::Csv);
}

TEST_F(TelemetryFiles, a_missing_file_or_a_directory_cannot_be_opened) {
  ChannelTable channels;
  const auto ignore = [](const Sample&) {};
  const Result<std::size_t> missing = readTelemetryFile(path("none.csv"), channels, ignore);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message,
            fmt::format("cannot open '{}': No such file or directory", path("none.csv")));
  const Result<std::size_t> directory = readTelemetryFile(m_dir.string(), channels, ignore);
  ASSERT_FALSE(directory.ok());
  EXPECT_THAT(directory.error().message, HasSubstr("is a directory"));
}

TEST(ChannelTable, interning_twice_gives_the_same_index) {
  ChannelTable channels;
  EXPECT_EQ(channels.find("zvezda.pressure"), -1);
  EXPECT_EQ(channels.intern("zvezda.pressure"), 0);
  EXPECT_EQ(channels.intern("zarya.pressure"), 1);
  EXPECT_EQ(channels.intern("zvezda.pressure"), 0);
  EXPECT_EQ(channels.find("zarya.pressure"), 1);
  EXPECT_EQ(channels.size(), 2u);
  EXPECT_EQ(channels.name(1), "zarya.pressure");
  EXPECT_EQ(channels.find("zarya"), -1);
}

}  // namespace
}  // namespace leakhunt::telemetry
