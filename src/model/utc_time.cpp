#include "model/utc_time.hpp"

#include <cctype>
#include <charconv>
#include <chrono>
#include <string>

namespace leakhunt::model {
namespace {

// Reads exactly `digits` decimal digits at `pos`, advancing it.
bool readDigits(std::string_view s, std::size_t& pos, std::size_t digits, int& out) {
  if (pos + digits > s.size()) return false;
  int value = 0;
  for (std::size_t i = 0; i < digits; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  pos += digits;
  out = value;
  return true;
}

bool expect(std::string_view s, std::size_t& pos, std::string_view allowed) {
  if (pos >= s.size() || allowed.find(s[pos]) == std::string_view::npos) return false;
  ++pos;
  return true;
}

Error malformed(std::string_view text) {
  return Error{"'" + std::string(text) + "' is not an ISO 8601 UTC time like 2018-08-29T19:30:00Z"};
}

}  // namespace

bool looksLikeDate(std::string_view text) {
  return text.size() >= 5 && std::isdigit(static_cast<unsigned char>(text[0])) &&
         std::isdigit(static_cast<unsigned char>(text[1])) &&
         std::isdigit(static_cast<unsigned char>(text[2])) &&
         std::isdigit(static_cast<unsigned char>(text[3])) && text[4] == '-';
}

Result<double> parseUtc(std::string_view text) {
  using namespace std::chrono;
  std::size_t pos = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!readDigits(text, pos, 4, y) || !expect(text, pos, "-") || !readDigits(text, pos, 2, mo) ||
      !expect(text, pos, "-") || !readDigits(text, pos, 2, d) || !expect(text, pos, "Tt ") ||
      !readDigits(text, pos, 2, h) || !expect(text, pos, ":") || !readDigits(text, pos, 2, mi) ||
      !expect(text, pos, ":") || !readDigits(text, pos, 2, s)) {
    return malformed(text);
  }
  double fraction = 0.0;
  if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
    const std::size_t begin = pos;
    ++pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
    if (pos == begin + 1) return malformed(text);
    std::string digits = "0." + std::string(text.substr(begin + 1, pos - begin - 1));
    std::from_chars(digits.data(), digits.data() + digits.size(), fraction);
  }
  int offset_s = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    int oh = 0, om = 0;
    if (!readDigits(text, pos, 2, oh)) return malformed(text);
    expect(text, pos, ":");
    if (!readDigits(text, pos, 2, om) || oh > 23 || om > 59) return malformed(text);
    offset_s = sign * (oh * 3600 + om * 60);
  } else {
    return Error{"'" + std::string(text) + "' has no time zone; write UTC times with a Z"};
  }
  if (pos != text.size()) return malformed(text);

  const year_month_day date{year{y}, month{static_cast<unsigned>(mo)},
                            day{static_cast<unsigned>(d)}};
  if (!date.ok()) return Error{"'" + std::string(text) + "' is not a calendar date"};
  // 60 is allowed for a leap second; POSIX time folds it onto the next second.
  if (h > 23 || mi > 59 || s > 60) return Error{"'" + std::string(text) + "' is not a time of day"};
  const auto midnight = sys_days{date}.time_since_epoch();
  const double days_s = static_cast<double>(duration_cast<seconds>(midnight).count());
  return days_s + h * 3600.0 + mi * 60.0 + s + fraction - offset_s;
}

}  // namespace leakhunt::model
