// Text as an error message shows it: in single quotes, control and non-ASCII bytes escaped, cut
// after 48 bytes. Junk input must not make junk messages. Used by every reader that quotes what
// it could not read.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace leakhunt {

inline std::string quoted(std::string_view text) {
  constexpr std::size_t kQuoteMax = 48;
  std::string out = "'";
  for (std::size_t i = 0; i < text.size() && i < kQuoteMax; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c >= 0x7f) {
      char escaped[5];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
  if (text.size() > kQuoteMax) out += "...";
  return out + "'";
}

}  // namespace leakhunt
