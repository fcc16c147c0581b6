// One CSV line split per RFC 4180: the one CSV tokenizer of the project (issue 16), used by the
// telemetry reader and the trend's daily-summary reader. A field in double quotes may hold ','
// and '""' (one '"'); unquoted fields are trimmed of spaces and tabs.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace leakhunt::telemetry {

// Fills `fields` with the first fields.size() fields of `line` and sets `count` to how many the
// line has (more than fields.size() are counted, not kept). A quoted field's text is kept in
// `unquoted` (one string per slot of `fields`), which the views then point into. Returns why the
// line is not CSV, or nothing.
std::optional<std::string> splitCsvLine(std::string_view line, std::span<std::string_view> fields,
                                        std::span<std::string> unquoted, std::size_t& count);

std::string_view trimBlanks(std::string_view text);

}  // namespace leakhunt::telemetry
