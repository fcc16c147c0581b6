// What the public record says of the bundled scenarios' leaks (../shared/docs/record.md and
// physics.md section 8), for the table that puts leakhunt's figures beside it.
#pragma once

#include <string>
#include <vector>

namespace leakhunt::story {

struct RecordFigure {
  std::string quantity;  // "time to alarm", "time to locate", "leak rate", "reserve time"
  std::string figure;    // as the record gives it, with its unit
  std::string source;
};

// The record for a leak in `module` (the bundled scenarios' modules); empty when none.
std::vector<RecordFigure> recordFor(const std::string& module);

}  // namespace leakhunt::story
