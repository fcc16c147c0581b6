// ISO 8601 times, the one parser (issue 16): scenario and campaign files, `--since`, telemetry
// (telemetry::parseTime) and the server's requests all read times with it.
#pragma once

#include <string_view>

#include "base/result.hpp"

namespace leakhunt::model {

// Which zones a time may carry. Telemetry is UTC by contract ("Z" or "+00:00"), so another
// offset there is a mistake to report, not a shift to apply; a description file may write its
// local offset, which is applied.
enum class Zones { UtcOnly, AnyOffset };

// Seconds since 1970-01-01T00:00:00Z [s] of "YYYY-MM-DDThh:mm:ss[.fff]" and a zone ("Z" or
// "+hh:mm"); a time without a zone is refused, since a local time would silently shift events.
// Fractions of up to six digits read back bit for bit. Errors say why, in the form
// "time '...' is not ISO 8601 UTC (month 13 is not 01-12)".
Result<double> parseUtc(std::string_view text, Zones zones = Zones::AnyOffset);

// True when the text starts like a date ("2018-"), so it is not meant as a duration.
bool looksLikeDate(std::string_view text);

}  // namespace leakhunt::model
