// Whatever the bytes, the reader returns samples or an Error "file:line: ..." and never crashes.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "telemetry/telemetry_io.hpp"

namespace leakhunt::telemetry {
namespace {

using namespace testing;

std::string validFile(Format format) {
  ChannelTable channels;
  channels.intern("zvezda.pressure");
  channels.intern("soyuz-ms09-om.temperature");
  std::ostringstream out;
  TelemetryWriter writer(out, format, channels);
  for (int i = 0; i < 20; ++i) writer.write({1535571000.0 + i * 0.25, i % 2, 101325.0 - i * 0.7});
  return out.str();
}

// Reads `bytes`; checks the result is either samples or a located error.
void expectSamplesOrLocatedError(const std::string& bytes, Format format) {
  std::istringstream in(bytes);
  ChannelTable channels;
  std::size_t delivered = 0;
  const Result<std::size_t> count =
      readTelemetry(in, "junk.tm", format, channels, [&](const Sample& s) {
        ASSERT_GE(s.channel, 0);
        ASSERT_LT(static_cast<std::size_t>(s.channel), channels.size());
        ++delivered;
      });
  if (count.ok()) {
    EXPECT_EQ(*count, delivered);
  } else {
    EXPECT_THAT(count.error().message, StartsWith("junk.tm:"));
    EXPECT_LT(count.error().message.size(), 400u) << "error messages stay short";
  }
}

TEST(Robustness, every_truncation_of_a_valid_file_reads_or_fails_cleanly) {
  for (Format format : {Format::Csv, Format::JsonLines}) {
    const std::string file = validFile(format);
    for (std::size_t length = 0; length <= file.size(); ++length) {
      expectSamplesOrLocatedError(file.substr(0, length), format);
    }
  }
}

TEST(Robustness, random_bytes_read_or_fail_cleanly) {
  std::mt19937_64 rng(5);
  for (int round = 0; round < 3000; ++round) {
    std::string bytes(rng() % 400, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    expectSamplesOrLocatedError(bytes, Format::Csv);
    expectSamplesOrLocatedError(bytes, Format::JsonLines);
  }
}

TEST(Robustness, random_corruptions_of_a_valid_file_read_or_fail_cleanly) {
  std::mt19937_64 rng(6);
  const char interesting[] = {'\0', '\n', '\r', ',', '"', '{', '}', '.', '-', 'e', 'Z', ':', '\\'};
  for (Format format : {Format::Csv, Format::JsonLines}) {
    const std::string file = validFile(format);
    for (int round = 0; round < 1500; ++round) {
      std::string bytes = file;
      for (int edits = 1 + static_cast<int>(rng() % 4); edits > 0; --edits) {
        const std::size_t at = rng() % bytes.size();
        bytes[at] = rng() % 2 ? interesting[rng() % sizeof interesting] : static_cast<char>(rng());
      }
      expectSamplesOrLocatedError(bytes, format);
    }
  }
}

TEST(Robustness, embedded_nuls_are_errors_not_string_ends) {
  using namespace std::string_literals;
  const std::string csv =
      "time,channel,value\n2018-08-29T19:30:00Z,a\0b,1\n2018-08-29T19:30:00Z,a.b,1\0\n"s;
  std::istringstream in(csv);
  ChannelTable channels;
  const Result<std::size_t> count =
      readTelemetry(in, "nul.csv", Format::Csv, channels, [](const Sample&) {});
  ASSERT_FALSE(count.ok());
  EXPECT_EQ(count.error().message, "nul.csv:3: value '1\\x00' is not a number");
  EXPECT_EQ(channels.name(0), "a\0b"s);
  const std::string jsonl =
      "{\"time\": \"2018-08-29T19:30:00Z\", \"channel\": \"a\0\", \"value\": 1}\n"s;
  expectSamplesOrLocatedError(jsonl, Format::JsonLines);
}

TEST(Robustness, deeply_nested_json_is_just_an_error) {
  const std::string deep = std::string(500000, '[') + std::string(500000, ']') + "\n";
  std::istringstream in(deep);
  ChannelTable channels;
  const Result<std::size_t> count =
      readTelemetry(in, "deep.jsonl", Format::JsonLines, channels, [](const Sample&) {});
  ASSERT_FALSE(count.ok());
  EXPECT_THAT(count.error().message, StartsWith("deep.jsonl:1: expected a JSON object"));
}

}  // namespace
}  // namespace leakhunt::telemetry
