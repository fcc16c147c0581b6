#include "model/utc_time.hpp"

#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

#include "base/quoted.hpp"

namespace leakhunt::model {
namespace {

namespace chr = std::chrono;

constexpr std::int64_t kSecondsPerDay = 86400;

// Reads `count` decimal digits at `pos`; false when any is missing or not a digit.
bool readDigits(std::string_view text, std::size_t pos, std::size_t count, int& out) {
  if (pos + count > text.size()) return false;
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  out = value;
  return true;
}

bool charAt(std::string_view text, std::size_t pos, char c) {
  return pos < text.size() && text[pos] == c;
}

struct CivilTime {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

std::string printed(const char* format, int a, int b = 0, int c = 0) {
  char out[64];
  std::snprintf(out, sizeof out, format, a, b, c);
  return out;
}

// Why `text` does not start with "YYYY-MM-DDThh:mm:ss" naming a real second; empty if it does.
std::string civilProblem(std::string_view text, CivilTime& t) {
  if (!readDigits(text, 0, 4, t.year) || !charAt(text, 4, '-') ||
      !readDigits(text, 5, 2, t.month) || !charAt(text, 7, '-') || !readDigits(text, 8, 2, t.day) ||
      !charAt(text, 10, 'T') || !readDigits(text, 11, 2, t.hour) || !charAt(text, 13, ':') ||
      !readDigits(text, 14, 2, t.minute) || !charAt(text, 16, ':') ||
      !readDigits(text, 17, 2, t.second)) {
    return "expected YYYY-MM-DDThh:mm:ss[.sss]Z";
  }
  if (t.month < 1 || t.month > 12) return printed("month %02d is not 01-12", t.month);
  const chr::year_month_day date{chr::year{t.year}, chr::month{static_cast<unsigned>(t.month)},
                                 chr::day{static_cast<unsigned>(t.day)}};
  if (!date.ok()) return printed("%04d-%02d has no day %02d", t.year, t.month, t.day);
  if (t.hour > 23) return printed("hour %02d is not 00-23", t.hour);
  if (t.minute > 59) return printed("minute %02d is not 00-59", t.minute);
  if (t.second > 59) return printed("second %02d is not 00-59", t.second);
  return {};
}

std::int64_t secondsSinceEpoch(const CivilTime& t) {
  const chr::sys_days date{chr::year{t.year} / chr::month{static_cast<unsigned>(t.month)} /
                           chr::day{static_cast<unsigned>(t.day)}};
  return std::int64_t{date.time_since_epoch().count()} * kSecondsPerDay + t.hour * 3600 +
         t.minute * 60 + t.second;
}

// Whole seconds plus the fraction given by `digits` (decimal digits after the point).
double addFraction(std::int64_t whole_s, std::string_view digits) {
  constexpr std::int64_t kPow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
  if (digits.size() <= 6) {
    // One rounding: "00.123" gives exactly the double nearest to the true time, so times
    // written at millisecond precision read back bit for bit.
    std::int64_t scaled = whole_s;
    for (char c : digits) scaled = scaled * 10 + (c - '0');
    return static_cast<double>(scaled) / static_cast<double>(kPow10[digits.size()]);
  }
  long double fraction = 0.0L;  // error far below the double's resolution
  for (auto it = digits.rbegin(); it != digits.rend(); ++it)
    fraction = (fraction + (*it - '0')) / 10;
  return static_cast<double>(static_cast<long double>(whole_s) + fraction);
}

}  // namespace

bool looksLikeDate(std::string_view text) {
  return text.size() >= 5 && std::isdigit(static_cast<unsigned char>(text[0])) &&
         std::isdigit(static_cast<unsigned char>(text[1])) &&
         std::isdigit(static_cast<unsigned char>(text[2])) &&
         std::isdigit(static_cast<unsigned char>(text[3])) && text[4] == '-';
}

Result<double> parseUtc(std::string_view text, Zones zones) {
  const auto fail = [&](const std::string& why) {
    return Error{"time " + quoted(text) + " is not ISO 8601 UTC (" + why + ")"};
  };
  CivilTime civil;
  if (std::string problem = civilProblem(text, civil); !problem.empty()) return fail(problem);
  std::size_t pos = 19;
  std::string_view fraction;
  if (charAt(text, pos, '.')) {
    const std::size_t first = ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == first) return fail("expected digits after '.'");
    fraction = text.substr(first, pos - first);
  }
  const std::string_view zone = text.substr(pos);
  if (zone.empty()) return fail("no zone: end with Z or +00:00");
  int offset_s = 0;
  if (zone != "Z" && zone != "+00:00") {
    int hours = 0, minutes = 0;
    const bool isOffset = zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') &&
                          readDigits(zone, 1, 2, hours) && zone[3] == ':' &&
                          readDigits(zone, 4, 2, minutes) && hours <= 23 && minutes <= 59;
    if (!isOffset) return fail("unexpected " + quoted(zone) + " after the seconds");
    if (zones == Zones::UtcOnly)
      return fail("zone " + std::string(zone) + " is not UTC: use Z or +00:00");
    offset_s = (zone[0] == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
  }
  return addFraction(secondsSinceEpoch(civil), fraction) - offset_s;
}

}  // namespace leakhunt::model
