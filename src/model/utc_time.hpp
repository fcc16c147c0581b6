// ISO 8601 UTC times as scenario files write them: 2018-08-29T19:30:00Z.
#pragma once

#include <string_view>

#include "base/result.hpp"

namespace leakhunt::model {

// Seconds since 1970-01-01T00:00:00Z [s]. Accepts fractional seconds and a "Z" or "+hh:mm"
// zone; a time without a zone is refused, since a local time would silently shift events.
Result<double> parseUtc(std::string_view text);

// True when the text starts like a date ("2018-"), so it is not meant as a duration.
bool looksLikeDate(std::string_view text);

}  // namespace leakhunt::model
