#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <random>

#include "telemetry/telemetry_io.hpp"

namespace leakhunt::telemetry {
namespace {

using namespace testing;
namespace chr = std::chrono;

constexpr double kMs09Leak_s = 1535571000.0;  // 2018-08-29T19:30:00Z

// An independent rendering: exact long double product, std::chrono calendar and hh_mm_ss.
std::string referenceFormat(double unix_s) {
  const auto totalMs =
      static_cast<std::int64_t>(std::llround(static_cast<long double>(unix_s) * 1000.0L));
  const chr::sys_time<chr::milliseconds> time{chr::milliseconds{totalMs}};
  const auto day = chr::floor<chr::days>(time);
  const chr::year_month_day date{day};
  const chr::hh_mm_ss clock{time - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                     clock.hours().count(), clock.minutes().count(), clock.seconds().count(),
                     clock.subseconds().count());
}

double parsed(std::string_view text) {
  const Result<double> t = parseTime(text);
  EXPECT_TRUE(t.ok()) << text << ": " << (t.ok() ? "" : t.error().message);
  return t.ok() ? *t : std::nan("");
}

std::string parseError(std::string_view text) {
  const Result<double> t = parseTime(text);
  return t.ok() ? "parsed as " + formatTime(*t) : t.error().message;
}

TEST(TimeText, epoch_and_the_ms09_leak_have_known_text) {
  EXPECT_EQ(formatTime(0.0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(formatTime(kMs09Leak_s), "2018-08-29T19:30:00.000Z");
  EXPECT_EQ(parsed("2018-08-29T19:30:00Z"), kMs09Leak_s);
  EXPECT_EQ(formatTime(-0.001), "1969-12-31T23:59:59.999Z");
}

TEST(TimeText, millisecond_times_read_back_bit_for_bit) {
  std::mt19937_64 rng(1);
  // 1900-01-01 .. 2200-01-01 in milliseconds, so times before the epoch are covered too.
  std::uniform_int_distribution<std::int64_t> ms(-2208988800000, 7258118400000);
  for (int i = 0; i < 200000; ++i) {
    const double t = static_cast<double>(ms(rng)) / 1000.0;
    const std::string text = formatTime(t);
    ASSERT_EQ(text, referenceFormat(t)) << fmt::format("{}", t);
    ASSERT_EQ(parsed(text), t) << text;
  }
}

TEST(TimeText, any_double_rounds_to_its_nearest_millisecond) {
  std::mt19937_64 rng(2);
  std::uniform_real_distribution<double> seconds(-1e9, 4e9);
  for (int i = 0; i < 200000; ++i) {
    const double t = seconds(rng);
    ASSERT_EQ(formatTime(t), referenceFormat(t)) << fmt::format("{}", t);
  }
}

TEST(TimeText, half_milliseconds_round_by_the_exact_double_and_carry) {
  // Half-millisecond decimals are not doubles: the nearest double decides, on either side.
  EXPECT_EQ(formatTime(0.9995), "1970-01-01T00:00:01.000Z");  // 0.99950000000000005507
  EXPECT_EQ(formatTime(std::nextafter(0.9995, 0.0)), "1970-01-01T00:00:00.999Z");
  EXPECT_EQ(formatTime(1.0005), "1970-01-01T00:00:01.000Z");  // 1.00049999999999994493
  EXPECT_EQ(formatTime(std::nextafter(1.0005, 2.0)), "1970-01-01T00:00:01.001Z");
  EXPECT_EQ(formatTime(59.9995), "1970-01-01T00:00:59.999Z");  // 59.99949999999999761258
  EXPECT_EQ(formatTime(59.99951), "1970-01-01T00:01:00.000Z");
  EXPECT_EQ(formatTime(86399.9996), "1970-01-02T00:00:00.000Z");
  EXPECT_EQ(formatTime(parsed("2018-12-31T23:59:59.9996Z")), "2019-01-01T00:00:00.000Z");
  EXPECT_EQ(formatTime(parsed("2018-12-31T23:59:59.9994Z")), "2018-12-31T23:59:59.999Z");
  EXPECT_EQ(formatTime(-0.0004), "1970-01-01T00:00:00.000Z");
}

TEST(TimeText, consecutive_days_each_get_their_own_date) {
  const double midnight = parsed("2018-08-29T00:00:00Z");
  for (double t : {midnight - 0.001, midnight, midnight - 0.001, midnight + 86400.0, midnight}) {
    EXPECT_EQ(formatTime(t), referenceFormat(t));
  }
}

TEST(TimeText, leap_days_exist_only_in_leap_years) {
  EXPECT_EQ(formatTime(parsed("2016-02-29T12:00:00Z")), "2016-02-29T12:00:00.000Z");
  EXPECT_EQ(formatTime(parsed("2000-02-29T00:00:00Z")), "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(parsed("2020-03-01T00:00:00Z") - parsed("2020-02-28T00:00:00Z"), 2 * 86400.0);
  EXPECT_EQ(parsed("2019-03-01T00:00:00Z") - parsed("2019-02-28T00:00:00Z"), 86400.0);
  EXPECT_EQ(parsed("2021-01-01T00:00:00Z") - parsed("2020-01-01T00:00:00Z"), 366 * 86400.0);
  EXPECT_EQ(formatTime(parsed("2020-02-28T23:59:59.9996Z")), "2020-02-29T00:00:00.000Z");
  EXPECT_EQ(formatTime(parsed("2019-02-28T23:59:59.9996Z")), "2019-03-01T00:00:00.000Z");
  EXPECT_THAT(parseError("2019-02-29T00:00:00Z"), HasSubstr("2019-02 has no day 29"));
  EXPECT_THAT(parseError("1900-02-29T00:00:00Z"), HasSubstr("1900-02 has no day 29"));
  EXPECT_THAT(parseError("2100-02-29T00:00:00Z"), HasSubstr("2100-02 has no day 29"));
}

TEST(TimeText, utc_offset_and_fractions_of_any_length_are_accepted) {
  EXPECT_EQ(parsed("2018-08-29T19:30:00+00:00"), kMs09Leak_s);
  EXPECT_EQ(parsed("2018-08-29T19:30:00.5Z"), kMs09Leak_s + 0.5);
  EXPECT_EQ(parsed("2018-08-29T19:30:00.250+00:00"), kMs09Leak_s + 0.25);
  EXPECT_EQ(parsed("2018-08-29T19:30:00.000000000000000000000Z"), kMs09Leak_s);
  EXPECT_NEAR(parsed("2018-08-29T19:30:00.1234567891234Z") - kMs09Leak_s, 0.1234567891234, 3e-7);
  EXPECT_NEAR(parsed("1970-01-01T00:00:00.1234567891234Z"), 0.1234567891234, 1e-16);
  EXPECT_EQ(formatTime(parsed("2018-08-29T19:30:00.99999999999Z")), "2018-08-29T19:30:01.000Z");
}

TEST(TimeText, anything_else_is_refused_with_the_reason) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "expected YYYY-MM-DDThh:mm:ss[.sss]Z"},
      {"2018-08-29", "expected YYYY-MM-DDThh:mm:ss[.sss]Z"},
      {"2018-08-29 19:30:00Z", "expected YYYY-MM-DDThh:mm:ss[.sss]Z"},
      {"18-08-29T19:30:00Z", "expected YYYY-MM-DDThh:mm:ss[.sss]Z"},
      {"2018-8-29T19:30:00Z", "expected YYYY-MM-DDThh:mm:ss[.sss]Z"},
      {"2018-08-29T19:30Z", "expected YYYY-MM-DDThh:mm:ss[.sss]Z"},
      {"+2018-08-29T19:30:00Z", "expected YYYY-MM-DDThh:mm:ss[.sss]Z"},
      {"2018-13-01T00:00:00Z", "month 13 is not 01-12"},
      {"2018-00-01T00:00:00Z", "month 00 is not 01-12"},
      {"2018-04-31T00:00:00Z", "2018-04 has no day 31"},
      {"2018-04-00T00:00:00Z", "2018-04 has no day 00"},
      {"2018-08-29T24:00:00Z", "hour 24 is not 00-23"},
      {"2018-08-29T19:60:00Z", "minute 60 is not 00-59"},
      {"2016-12-31T23:59:60Z", "second 60 is not 00-59"},
      {"2018-08-29T19:30:00", "no zone: end with Z or +00:00"},
      {"2018-08-29T19:30:00.Z", "expected digits after '.'"},
      {"2018-08-29T19:30:00+03:00", "zone +03:00 is not UTC: use Z or +00:00"},
      {"2018-08-29T19:30:00-00:00", "zone -00:00 is not UTC: use Z or +00:00"},
      {"2018-08-29T19:30:00z", "unexpected 'z' after the seconds"},
      {"2018-08-29T19:30:00Z ", "unexpected 'Z ' after the seconds"},
      {"2018-08-29T19:30:00,5Z", "unexpected ',5Z' after the seconds"},
      {"2018-08-29T19:30:00.5ZZ", "unexpected 'ZZ' after the seconds"},
  };
  for (const auto& [text, reason] : cases) {
    const std::string message = parseError(text);
    EXPECT_THAT(message, HasSubstr(reason)) << text;
    EXPECT_THAT(message, HasSubstr("is not ISO 8601 UTC")) << text;
  }
  EXPECT_EQ(parseError("2018-13-01T00:00:00Z"),
            "time '2018-13-01T00:00:00Z' is not ISO 8601 UTC (month 13 is not 01-12)");
}

TEST(TimeText, junk_is_quoted_short_and_printable) {
  const std::string junk = std::string("\x01\xff", 2) + std::string(200, 'x');
  const std::string message = parseError(junk);
  EXPECT_THAT(message, StartsWith("time '\\x01\\xffxxx"));
  EXPECT_THAT(message, HasSubstr("...'"));
  EXPECT_LT(message.size(), 140u);
}

TEST(TimeText, times_outside_four_digit_years_are_written_as_numbers_that_do_not_parse) {
  for (double t : {std::nan(""), HUGE_VAL, -HUGE_VAL, 1e12, -1e12}) {
    EXPECT_FALSE(parseTime(formatTime(t)).ok()) << formatTime(t);
  }
  EXPECT_EQ(formatTime(parsed("9999-12-31T23:59:59.999Z")), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(formatTime(parsed("0000-01-01T00:00:00Z")), "0000-01-01T00:00:00.000Z");
}

TEST(TimeText, appending_keeps_what_is_there) {
  std::string line = "t=";
  appendTime(kMs09Leak_s + 0.042, line);
  EXPECT_EQ(line, "t=2018-08-29T19:30:00.042Z");
}

}  // namespace
}  // namespace leakhunt::telemetry
