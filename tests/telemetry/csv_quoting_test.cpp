// Channel names holding ',' or '"' (issue 21 item 13): the writer quotes them per RFC 4180 and
// the reader reads them back as written.
#include <gtest/gtest.h>

#include <sstream>

#include "telemetry/telemetry_io.hpp"

namespace leakhunt::telemetry {
namespace {

TEST(CsvQuoting, names_with_a_comma_or_a_quote_round_trip) {
  ChannelTable written;
  const std::vector<std::string> names = {"a,b\"x", "plain.pressure", " padded ", "\"", ","};
  for (const std::string& n : names) written.intern(n);
  std::ostringstream out;
  TelemetryWriter writer(out, Format::Csv, written);
  for (int c = 0; c < static_cast<int>(names.size()); ++c) writer.write({1535571000.0, c, 1.5});
  EXPECT_NE(out.str().find(",\"a,b\"\"x\",1.5\n"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find(",plain.pressure,1.5\n"), std::string::npos) << out.str();
  std::istringstream in(out.str());
  ChannelTable read;
  std::vector<std::string> back;
  const Result<std::size_t> n =
      readTelemetry(in, "tm.csv", Format::Csv, read,
                    [&](const Sample& s) { back.push_back(read.name(s.channel)); });
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(back, names);
}

TEST(CsvQuoting, a_quoted_field_left_open_is_an_error_at_its_line) {
  std::istringstream in("time,channel,value\n2018-08-29T19:30:00Z,\"a,b,1\n");
  ChannelTable channels;
  const Result<std::size_t> n =
      readTelemetry(in, "tm.csv", Format::Csv, channels, [](const Sample&) {});
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().message, "tm.csv:2: a quoted field has no closing '\"'");
}

}  // namespace
}  // namespace leakhunt::telemetry
