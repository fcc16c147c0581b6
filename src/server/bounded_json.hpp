// JSON from clients, bounded. nlohmann::json serialises and compares recursively, so a
// document nested 100,000 deep overflows the stack the moment it is echoed or dumped: every
// body and message is depth-checked before it is parsed. Text echoed back to a client is made
// printable first, because the serialiser throws on invalid UTF-8 (docs/server.md, threat model).
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace leakhunt::server {

// The deepest nesting a client document may have: plans are the deepest legitimate ones
// (plan > steps > step > operations > operation > fields), well under this.
inline constexpr std::size_t kMaxJsonDepth = 32;

// The deepest nesting of arrays and objects in `text`, counted without parsing (brackets
// inside strings are skipped). Linear, no recursion, stops counting past `stopAt`.
std::size_t jsonNestingDepth(std::string_view text, std::size_t stopAt = 1u << 20);

// Parses `text` as JSON, refusing documents nested deeper than `maxDepth`. The message reads
// after "the body is " ("nested deeper than ...", "not valid JSON: ..." with nlohmann's line
// and column).
Result<nlohmann::json> parseBoundedJson(std::string_view text,
                                        std::size_t maxDepth = kMaxJsonDepth);

// Serialises `value`; invalid UTF-8 in any string becomes U+FFFD instead of an exception.
std::string dumpForClient(const nlohmann::json& value);

// `text` as it may be echoed in an error: valid UTF-8 (bad bytes become U+FFFD), control
// characters as '?', at most `maxBytes` bytes (then "...").
std::string printable(std::string_view text, std::size_t maxBytes = 200);

}  // namespace leakhunt::server
