#include "telemetry/csv_line.hpp"

#include <algorithm>

namespace leakhunt::telemetry {

std::string_view trimBlanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::optional<std::string> splitCsvLine(std::string_view line, std::span<std::string_view> fields,
                                        std::span<std::string> unquoted, std::size_t& count) {
  count = 0;
  std::size_t pos = 0;
  const std::size_t last = fields.empty() ? 0 : fields.size() - 1;
  for (;;) {
    while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
    std::string_view text;
    if (pos < line.size() && line[pos] == '"') {
      std::string& out = unquoted[std::min(count, last)];
      out.clear();
      for (++pos;; ++pos) {
        if (pos >= line.size()) return "a quoted field has no closing '\"'";
        if (line[pos] != '"') {
          out += line[pos];
        } else if (pos + 1 < line.size() && line[pos + 1] == '"') {
          out += '"';
          ++pos;
        } else {
          break;
        }
      }
      ++pos;  // past the closing quote
      while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
      if (pos < line.size() && line[pos] != ',')
        return "unexpected text after a quoted field's closing '\"'";
      text = out;
    } else {
      const std::size_t comma = line.find(',', pos);
      text = trimBlanks(line.substr(pos, comma == std::string_view::npos ? comma : comma - pos));
      pos = comma == std::string_view::npos ? line.size() : comma;
    }
    if (count < fields.size()) fields[count] = text;
    ++count;
    if (pos >= line.size()) return std::nullopt;
    ++pos;  // past the comma
  }
}

}  // namespace leakhunt::telemetry
